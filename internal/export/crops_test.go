package export

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cropLinkRE matches the address of a copy of a photo's crop, wherever a
// page names it (src, srcset, og:image, JSON-LD).
var cropLinkRE = regexp.MustCompile(`/media/[0-9a-f]{2}/[0-9a-f]{64}-(?:16x9|4x3|1x1)-[0-9a-f]{8}-[0-9]+\.(?:jpg|png)`)

// cropFiles lists the crop copies under dir.
func cropFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && cropLinkRE.MatchString("/media/"+filepath.Base(filepath.Dir(p))+"/"+e.Name()) {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkCropCopies checks that a copy exported from photos that have no
// crop copies yet (media.Store.Put makes none: the first request for one
// makes it) holds every crop copy its pages name: the export asks the
// site for them, which makes them.
func checkCropCopies(t *testing.T, dir string) {
	t.Helper()
	named := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, l := range cropLinkRE.FindAllString(string(data), -1) {
			named[l] = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[string]bool{}
	for l, page := range named {
		shapes[strings.Split(strings.TrimPrefix(l, "/media/"), "-")[1]] = true
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(l))); err != nil {
			t.Errorf("%s names %s, which the copy lacks: %v", page, l, err)
		}
	}
	if len(shapes) != 3 {
		t.Errorf("the copy's pages name crop copies of shapes %v, want 16x9, 4x3 and 1x1", shapes)
	}
}
