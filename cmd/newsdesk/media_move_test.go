package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/testkit/s3server"
)

// objects returns every object of b by name.
func objects(t *testing.T, b media.Blobs) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	out := map[string][]byte{}
	err := b.List(ctx, "", func(i media.BlobInfo) error {
		data, err := readBlob(ctx, b, i.Name)
		out[i.Name] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameObjects fails unless a and b hold the same names with the same bytes.
func sameObjects(t *testing.T, a, b map[string][]byte) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%d objects, want %d", len(b), len(a))
	}
	for name, data := range a {
		if !bytes.Equal(b[name], data) {
			t.Errorf("%s: %d bytes, want the source's %d", name, len(b[name]), len(data))
		}
	}
}

// TestMediaMove: `media move` copies every object of a site's media folder
// to a bucket (or another folder), each read back and checked; run again,
// it copies nothing, puts back what went missing and replaces what
// differs; an original whose bytes do not match its name is reported and
// not carried over, and the command fails; the move back to a folder gives
// the originals their private modes.
func TestMediaMove(t *testing.T) {
	for _, where := range []string{"folder", "s3"} {
		t.Run(where, func(t *testing.T) {
			var bucket s3server.Bucket
			if where == "s3" {
				bucket = s3server.Shared(t)
			}
			data := t.TempDir()
			ms, err := media.OpenStore(filepath.Join(data, "media"))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				m, err := ms.Put("p.jpg", photo(t, 900+i, 500, i), media.DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				if err := ms.PutCrops(m); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := ms.PutLater("later.jpg", photo(t, 700, 400, 9), media.DefaultLimits()); err != nil {
				t.Fatal(err)
			}
			src := objects(t, ms.Blobs())
			ms.Close()

			vars := map[string]string{"NEWSDESK_DATA": data}
			var to string
			var dst media.Blobs
			if where == "s3" {
				b := bucket
				to = b.URL()
				vars["NEWSDESK_MEDIA_ENDPOINT"] = b.Endpoint
				vars["AWS_ACCESS_KEY_ID"], vars["AWS_SECRET_ACCESS_KEY"] = b.AccessKeyID, b.SecretAccessKey
				dst, err = media.OpenS3(context.Background(), media.S3Config{Bucket: b.Bucket, Prefix: b.Prefix, Endpoint: b.Endpoint,
					PathStyle: true, AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey})
			} else {
				to = filepath.Join(t.TempDir(), "moved")
				dst, err = media.OpenFolder(to)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()
			move := func(args ...string) (string, string, error) {
				var out, errOut bytes.Buffer
				err := run(context.Background(), append([]string{"media", "move"}, args...), env(vars), nil, &out, &errOut)
				return out.String(), errOut.String(), err
			}

			out, progress, err := move("--to", to)
			if err != nil {
				t.Fatalf("media move: %v\n%s%s", err, out, progress)
			}
			n := len(src)
			if want := strconv.Itoa(n) + " copied, 0 already there"; !strings.Contains(out, want) {
				t.Errorf("first move said %q, want %q", out, want)
			}
			if !strings.Contains(progress, "media move: "+strconv.Itoa(n)+" of "+strconv.Itoa(n)+" objects done") {
				t.Errorf("no progress: %q", progress)
			}
			sameObjects(t, src, objects(t, dst))

			// Again: nothing to copy. Then one object lost and one changed
			// at the destination (as a move cut short by something else,
			// or a damaged copy, would leave them).
			if out, _, err := move("--to", to); err != nil || !strings.Contains(out, "0 copied, "+strconv.Itoa(n)+" already there and the same") {
				t.Errorf("second move: %q, %v", out, err)
			}
			names := slices.Sorted(func(yield func(string) bool) {
				for k := range src {
					if !yield(k) {
						return
					}
				}
			})
			ctx := context.Background()
			lost, changed := names[0], names[len(names)-1]
			if err := dst.Delete(ctx, lost); err != nil {
				t.Fatal(err)
			}
			if err := dst.Delete(ctx, changed); err != nil {
				t.Fatal(err)
			}
			if err := dst.Put(ctx, changed, []byte("not the photo")); err != nil {
				t.Fatal(err)
			}
			if out, _, err := move("--to", to); err != nil || !strings.Contains(out, "1 copied, "+strconv.Itoa(n-2)+" already there and the same, 1 replaced, 0 failed") {
				t.Errorf("move after a loss and a change: %q, %v", out, err)
			}
			sameObjects(t, src, objects(t, dst))

			// An original damaged at the source is refused, and said so.
			var orig string
			for _, name := range names {
				if strings.HasPrefix(name, "originals/") {
					orig = name
				}
			}
			if err := os.WriteFile(filepath.Join(data, "media", filepath.FromSlash(orig)), []byte("bit rot"), 0o600); err != nil {
				t.Fatal(err)
			}
			out, progress, err = move("--to", to)
			if err == nil || !strings.Contains(out, "1 failed") || !strings.Contains(progress, orig+": damaged in") {
				t.Errorf("a damaged original: %v, %q, %q; want a failure naming it", err, out, progress)
			}
			if got := objects(t, dst)[orig]; !bytes.Equal(got, src[orig]) {
				t.Errorf("the damaged original replaced the good copy")
			}

			// And back, into a new folder.
			back := filepath.Join(t.TempDir(), "back")
			vars["NEWSDESK_MEDIA"] = to
			if out, progress, err := move("--to", back); err != nil || !strings.Contains(out, strconv.Itoa(n)+" copied") {
				t.Fatalf("move back: %v, %q %q", err, out, progress)
			}
			home, err := media.OpenFolder(back)
			if err != nil {
				t.Fatal(err)
			}
			defer home.Close()
			sameObjects(t, src, objects(t, home))
			if fi, err := os.Stat(filepath.Join(back, filepath.FromSlash(orig))); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("an original moved back: %v %v, want mode 0600", fi.Mode(), err)
			}
		})
	}
}

// TestMediaFlagsUsage: mistakes in media move's and serve's --media flags
// are refused before anything is copied or served.
func TestMediaFlagsUsage(t *testing.T) {
	data := t.TempDir()
	d := []string{"--data", data}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"media"}, "media move --to WHERE"},
		{[]string{"media", "copy"}, `unknown command "copy"`},
		{append([]string{"media", "move"}, d...), "say where the photos go"},
		{append([]string{"media", "move", "--to", "s3://Bad_Bucket/x"}, d...), "not a bucket name"},
		{append([]string{"media", "move", "--to", filepath.Join(data, "media")}, d...), "the photos are in"},
		{append([]string{"media", "move", "--to", "s3://bucket/x", "--media-endpoint", "ftp://x"}, d...), "--media-endpoint"},
		{append([]string{"media", "move", "--to", "s3://bucket/x", "--workers", "0"}, d...), "--workers"},
		{append([]string{"serve", "--media-url", "https://cdn.example.net/media/"}, d...), "are for --media s3://"},
		{append([]string{"serve", "--media", "s3://b"}, d...), "not a bucket name"},
		{append([]string{"serve", "--media", "s3://bucket/p", "--media-url", "/media/"}, d...), "--media-url"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, env(nil), nil, &out, &errOut)
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error()+errOut.String(), tt.want) {
			t.Errorf("%q: %v (exit %d), %q; want exit 2 naming %q", tt.args, err, exitCode(err), errOut.String(), tt.want)
		}
	}
}
