package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// story is one story a test published and when.
type story struct {
	path              string
	started, answered time.Time
}

// publish imports one story from a Markdown file, as a newsroom script
// would, and returns its address once the import has answered: the story
// is then acknowledged (stored durably, published).
func publish(t *testing.T, vars map[string]string, dir, slug, date, photo string) (story, error) {
	md := "---\ntitle: Story " + slug + "\nslug: " + slug + "\ndate: " + date + "\nsection: news\n"
	if photo != "" {
		md += "image:\n  alt: A coloured square\n  src: " + photo + "\n"
	}
	md += "---\nThe story " + slug + ", in a paragraph.\n"
	file := filepath.Join(dir, slug+".md")
	if err := os.WriteFile(file, []byte(md), 0o644); err != nil {
		return story{}, err
	}
	s := story{started: time.Now()}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"import", file}, env(vars), nil, &out, &errOut); err != nil {
		return story{}, fmt.Errorf("import %s: %v: %s%s", slug, err, out.String(), errOut.String())
	}
	s.answered, s.path = time.Now(), strings.TrimSpace(out.String())
	return s, nil
}

// colourJPEG is a photo of one colour, wide enough for two variants.
func colourJPEG(t *testing.T, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 700, 400))
	for y := range 400 {
		for x := range 700 {
			img.Set(x, y, color.RGBA{c.R, c.G, uint8(x / 3), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var mediaSrc = regexp.MustCompile(`/media/[0-9a-f]{2}/[0-9a-f]{64}[-0-9a-z]*\.(?:jpg|png)`)

// TestBackupWhilePublishing publishes stories while a backup of the
// running site is made, restores the backup into a fresh folder (and, on
// PostgreSQL, a fresh database), and serves both: every story
// acknowledged before the backup began is on the restored site, its page
// and its photos byte for byte the same as the original site's; a story
// published after the backup ended is not there.
func TestBackupWhilePublishing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		data, dest, restored := filepath.Join(dir, "data"), filepath.Join(dir, "backup"), filepath.Join(dir, "restored")
		// On SQLite the database is the file in the data folder, as an
		// operator has it; on PostgreSQL the restore goes into a new
		// database of its own.
		vars := map[string]string{"NEWSDESK_DATA": data}
		rvars := map[string]string{"NEWSDESK_DATA": restored}
		if strings.HasPrefix(dsn, "postgres") {
			vars["NEWSDESK_DB"] = dsn
			rvars["NEWSDESK_DB"] = testkit.FreshPostgres(t)
		}
		in := t.TempDir()

		// Stories with photos, newer than any the writer will publish:
		// an article page shows its section's four newest stories, which
		// the writer's must not change.
		var acked []story
		for i := range 6 {
			photo := fmt.Sprintf("photo-%d.jpg", i)
			writeFile(t, filepath.Join(in, photo), colourJPEG(t, color.RGBA{uint8(40 * i), 90, 0, 255}))
			s, err := publish(t, vars, in, fmt.Sprintf("seeded-%d", i), fmt.Sprintf("2026-11-20T0%d:00:00Z", i), photo)
			if err != nil {
				t.Fatal(err)
			}
			acked = append(acked, s)
		}
		startServe(t, []string{"--base-url", "https://news.example.org"}, vars)

		// The writer publishes one story after another, each dated
		// earlier than the one before, until told to stop.
		var (
			mu      sync.Mutex
			written []story
			wg      sync.WaitGroup
			stop    = make(chan struct{})
		)
		wg.Go(func() {
			at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				s, err := publish(t, vars, in, fmt.Sprintf("written-%d", n), at.Add(-time.Duration(n)*time.Hour).Format(time.RFC3339), "")
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				written = append(written, s)
				mu.Unlock()
			}
		})
		stopWriter := sync.OnceFunc(func() { close(stop); wg.Wait() })
		defer stopWriter()
		waitFor := func(n int) {
			for deadline := time.Now().Add(time.Minute); ; {
				mu.Lock()
				got := len(written)
				mu.Unlock()
				if got >= n {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("the writer published %d stories in a minute", got)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		waitFor(2)

		// Back up until a story was published while a backup ran (a small
		// site's backup is quick); each backup after the first goes into
		// the same folder, and copies only what is new.
		var began, ended time.Time
		for try := 1; ; try++ {
			began = time.Now()
			var out, errOut bytes.Buffer
			if err := run(context.Background(), []string{"backup", dest}, env(vars), nil, &out, &errOut); err != nil {
				t.Fatalf("backup: %v\n%s%s", err, out.String(), errOut.String())
			}
			ended = time.Now()
			if try > 1 && !strings.Contains(out.String(), " 0 media objects copied") {
				t.Errorf("backup %d copied media again: %s", try, out.String())
			}
			mu.Lock()
			during := 0
			for _, s := range written {
				if s.started.Before(ended) && s.answered.After(began) {
					during++
				}
			}
			mu.Unlock()
			if during > 0 {
				t.Logf("backup %d: %d stories published while it ran (%v)", try, during, ended.Sub(began).Round(time.Millisecond))
				break
			}
			if try == 20 {
				t.Fatal("no story was published during any of 20 backups")
			}
		}
		// A story begun after the backup ended.
		mu.Lock()
		n := len(written)
		mu.Unlock()
		waitFor(n + 2)
		stopWriter()
		var after []story
		for _, s := range written {
			if s.answered.Before(began) {
				acked = append(acked, s)
			}
			if s.started.After(ended) {
				after = append(after, s)
			}
		}
		if len(after) == 0 {
			t.Fatal("no story was begun after the backup ended")
		}

		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"restore", dest}, env(rvars), nil, &out, &errOut); err != nil {
			t.Fatalf("restore: %v\n%s%s", err, out.String(), errOut.String())
		}

		orig := startServe(t, []string{"--base-url", "https://news.example.org"}, vars)
		back := startServe(t, []string{"--base-url", "https://news.example.org"}, rvars)
		photos := 0
		for _, s := range acked {
			code, want := fetch(t, orig+s.path)
			if code != 200 {
				t.Fatalf("%s on the original site: %d", s.path, code)
			}
			code, got := fetch(t, back+s.path)
			if code != 200 || got != want {
				t.Errorf("%s: the restored site answers %d and %d bytes, the original %d bytes; first difference: %s", s.path, code, len(got), len(want), firstDiff(got, want))
				continue
			}
			for _, src := range slices.Compact(slices.Sorted(slices.Values(mediaSrc.FindAllString(want, -1)))) {
				_, a := fetch(t, orig+src)
				code, b := fetch(t, back+src)
				if code != 200 || a != b {
					t.Errorf("%s: the restored site answers %d with %d bytes, the original %d bytes", src, code, len(b), len(a))
				}
				photos++
			}
		}
		if photos == 0 {
			t.Error("no photo was compared")
		}
		for _, s := range after {
			if code, _ := fetch(t, back+s.path); code != 404 {
				t.Errorf("%s, published after the backup ended, is on the restored site: %d", s.path, code)
			}
		}
		t.Logf("%d stories and %d photo files the same on both sites; %d stories published after the backup absent", len(acked), photos, len(after))
	})
}

// firstDiff shows where two pages part.
func firstDiff(a, b string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			lo := max(0, i-60)
			return fmt.Sprintf("at byte %d: %q vs %q", i, a[lo:min(len(a), i+60)], b[lo:min(len(b), i+60)])
		}
	}
	return "one is a prefix of the other"
}

// TestBackupCommandMistakes: what the commands refuse, and how.
func TestBackupCommandMistakes(t *testing.T) {
	dir := t.TempDir()
	cmd := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, env(nil), nil, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	for _, tt := range []struct {
		args   []string
		exit   int
		errHas string
	}{
		{[]string{"backup"}, 2, "give one folder"},
		{[]string{"backup", "s3://B/x", "--data", dir}, 2, "is not a bucket name"},
		{[]string{"backup", filepath.Join(dir, "b"), "--data", dir, "--media-region", "eu"}, 2, "are for --media s3://"},
		{[]string{"backup", filepath.Join(dir, "b"), "--data", filepath.Join(dir, "nothing")}, 1, "the data folder"},
		{[]string{"backup", filepath.Join(dir, "b"), "--data", dir}, 1, "has no newsdesk.db"},
		{[]string{"backup", filepath.Join(dir, "b"), "--db", "mysql://x"}, 2, "postgres://"},
		{[]string{"backup", filepath.Join(dir, "b"), "--data", dir, "--db", "postgres://nobody@127.0.0.1:1/x", "--pg-dump", "/nonexistent/pg_dump"}, 1, "pg_dump is not installed"},
		{[]string{"restore"}, 2, "give the one folder"},
		{[]string{"restore", filepath.Join(dir, "nothing"), "--data", filepath.Join(dir, "d")}, 1, "there is no backup at"},
		{[]string{"restore", dir, "--data", filepath.Join(dir, "d")}, 1, "has no manifest.json: it is incomplete"},
	} {
		out, err := cmd(tt.args...)
		if exitCode(err) != tt.exit || err == nil || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("%q: exit %d, %v; want exit %d and an error containing %q\n%s", tt.args, exitCode(err), err, tt.exit, tt.errHas, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "d")); err == nil {
		t.Error("a refused restore made the data folder")
	}
	var out bytes.Buffer
	run(context.Background(), []string{"help"}, env(nil), nil, &out, io.Discard)
	if !strings.Contains(out.String(), "backup ") || !strings.Contains(out.String(), "restore ") {
		t.Errorf("the usage does not name backup and restore:\n%s", out.String())
	}
}
