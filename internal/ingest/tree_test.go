package ingest_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// deniedFS is a folder in which one subfolder cannot be listed, as a
// folder the importing user may not read (chmod 000) would be.
type deniedFS struct {
	fstest.MapFS
	deny string
}

func (f deniedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == f.deny {
		return nil, &fs.PathError{Op: "openat", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.ReadDir(name)
}

// TestImportTreeGoesOnPastAnUnreadableFolder: a subfolder that cannot be
// listed is one failure, named with the reason, and the files beside and
// after it are imported (it used to end the whole import with a bare
// "openat closed: permission denied", importing nothing).
func TestImportTreeGoesOnPastAnUnreadableFolder(t *testing.T) {
	e := sqliteEnv(t)
	story := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2026-11-20T08:15:00Z\nsection: news\n---\nBody.\n")}
	}
	fsys := deniedFS{fstest.MapFS{
		"a.md":        story("Before"),
		"closed/b.md": story("Hidden"),
		"z/c.md":      story("Later"),
	}, "closed"}
	results, err := e.im.ImportTree(ctx, fsys, ".")
	if err != nil {
		t.Fatalf("the tree failed as a whole: %v", err)
	}
	var got []string
	for _, r := range results {
		if r.Err != nil {
			got = append(got, r.Err.Error())
		} else {
			got = append(got, r.Path)
		}
	}
	want := []string{"/news/before", "closed: folder: cannot be read (permission denied): the files in it are not imported", "/news/later"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
