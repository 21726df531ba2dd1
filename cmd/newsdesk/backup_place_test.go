package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// TestBackupRefusesItsOwnSite: a backup into the data folder itself, or
// into the media folder (whichever way the path is spelt, through a link
// included), is refused before anything is written. Into the media folder,
// every backup copied the one before it along with the photos, and grew
// each time; into the data folder, it wrote over the site's own photos,
// the public variants made 0600. A folder beside them in the data folder
// is a place like any other.
func TestBackupRefusesItsOwnSite(t *testing.T) {
	data := filepath.Join(t.TempDir(), "site")
	st, err := store.Open(context.Background(), filepath.Join(data, "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	media := filepath.Join(data, "media")
	for _, d := range []string{filepath.Join(media, "originals"), filepath.Join(media, "public")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	elsewhere := t.TempDir()
	link := filepath.Join(elsewhere, "to-media")
	if err := os.Symlink(media, link); err != nil {
		t.Fatal(err)
	}
	otherMedia := filepath.Join(elsewhere, "photos")
	if err := os.MkdirAll(otherMedia, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, env(nil), nil, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	for _, tt := range []struct {
		dest   string
		extra  []string
		errHas string
	}{
		{data, nil, "is the data folder"},
		{data + "/.", nil, "is the data folder"},
		{media, nil, "the media folder"},
		{filepath.Join(media, "public", "bk"), nil, "the media folder"},
		{filepath.Join(link, "bk"), nil, "the media folder"},
		{filepath.Join(otherMedia, "bk"), []string{"--media", otherMedia}, "the media folder"},
	} {
		before := files(t, filepath.Dir(data))
		args := append([]string{"backup", tt.dest, "--data", data}, tt.extra...)
		out, err := cmd(args...)
		if exitCode(err) != 1 || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("%q: exit %d, %v; want exit 1 and an error containing %q\n%s", args, exitCode(err), err, tt.errHas, out)
		}
		if after := files(t, filepath.Dir(data)); len(after) != len(before) {
			t.Errorf("%q: the refused backup wrote %d files", args, len(after)-len(before))
		}
	}
	if out, err := cmd("backup", filepath.Join(data, "backups"), "--data", data); err != nil {
		t.Errorf("a backup into a folder of its own in the data folder: %v\n%s", err, out)
	}
}

// files lists the files under dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBackupRefusesAnEmptyDatabase: --db naming a database that holds no
// site (a mistyped name of one that exists, such as postgres) is refused,
// as a data folder without newsdesk.db is: it would be a backup of
// nothing, which says so only on the day it is restored.
func TestBackupRefusesAnEmptyDatabase(t *testing.T) {
	dsn := testkit.FreshPostgres(t)
	dest := filepath.Join(t.TempDir(), "bk")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"backup", dest, "--data", t.TempDir(), "--db", dsn}, env(nil), nil, &out, &errOut)
	if exitCode(err) != 1 || !strings.Contains(fmt.Sprint(err), "holds no site") {
		t.Fatalf("a backup of an empty database: exit %d, %v; want exit 1 and a refusal\n%s%s", exitCode(err), err, out.String(), errOut.String())
	}
	if _, err := os.Stat(dest); err == nil {
		t.Error("the refused backup made its folder")
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := run(context.Background(), []string{"backup", dest, "--data", t.TempDir(), "--db", dsn}, env(nil), nil, &out, &errOut); err != nil {
		t.Errorf("a backup of a site's database: %v\n%s%s", err, out.String(), errOut.String())
	}
}
