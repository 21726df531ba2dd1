package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/testkit/s3server"
)

// The store's tests run on both places its bytes can live: a folder, and
// a bucket of the S3 server in NEWSDESK_TEST_S3 (skipped, with a message,
// when there is none; .ci/run starts one).

// openS3 returns Blobs in a fresh prefix of the shared S3 server's test
// bucket.
func openS3(t testing.TB) *S3 {
	t.Helper()
	b := s3server.Shared(t)
	return openS3At(t, b)
}

func openS3At(t testing.TB, b s3server.Bucket) *S3 {
	t.Helper()
	s, err := OpenS3(context.Background(), S3Config{Bucket: b.Bucket, Prefix: b.Prefix, Endpoint: b.Endpoint, Region: b.Region,
		PathStyle: true, AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background()); err != nil {
		t.Fatalf("the test bucket: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// eachBlobs runs f on a folder's Blobs and on an S3 bucket's.
func eachBlobs(t *testing.T, f func(t *testing.T, b Blobs)) {
	t.Run("folder", func(t *testing.T) {
		b, err := OpenFolder(filepath.Join(t.TempDir(), "media"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		f(t, b)
	})
	t.Run("s3", func(t *testing.T) { f(t, openS3(t)) })
}

// eachStore runs f on a store in a folder and on one in an S3 bucket.
func eachStore(t *testing.T, f func(t *testing.T, s *Store)) {
	eachBlobs(t, func(t *testing.T, b Blobs) {
		s := NewStore(b, StoreOptions{})
		f(t, s)
	})
}

// names lists the objects under prefix in s, sorted.
func names(t testing.TB, s *Store, prefix string) []string {
	t.Helper()
	var out []string
	if err := s.blobs.List(context.Background(), prefix, func(i BlobInfo) error {
		out = append(out, i.Name)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// readObject returns the bytes of the object name in s, or nil.
func readObject(t testing.TB, s *Store, name string) []byte {
	t.Helper()
	data, err := s.readAll(context.Background(), name)
	if err != nil {
		t.Errorf("reading %s: %v", name, err)
	}
	return data
}

// replaceObject puts data under name in s in place of what is there.
func replaceObject(t testing.TB, s *Store, name string, data []byte) {
	t.Helper()
	ctx := context.Background()
	if err := s.blobs.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	if err := s.blobs.Put(ctx, name, data); err != nil {
		t.Fatal(err)
	}
}

// TestBlobs: what the Store asks of where its bytes live, the same in a
// folder and in a bucket.
func TestBlobs(t *testing.T) {
	eachBlobs(t, func(t *testing.T, b Blobs) {
		ctx := context.Background()
		const name = "public/ab/object-1.jpg"
		if _, err := b.Stat(ctx, name); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Stat of a missing object = %v, want fs.ErrNotExist", err)
		}
		if _, err := b.Open(ctx, name); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Open of a missing object = %v, want fs.ErrNotExist", err)
		}
		data := bytes.Repeat([]byte("0123456789"), 1000)
		if err := b.Put(ctx, name, data); err != nil {
			t.Fatal(err)
		}
		// Put does not replace: names are made from content.
		if err := b.Put(ctx, name, []byte("other")); err != nil {
			t.Fatal(err)
		}
		info, err := b.Stat(ctx, name)
		if err != nil || info.Size != int64(len(data)) || info.Name != name || info.ModTime.IsZero() {
			t.Fatalf("Stat = %+v, %v; want %s of %d bytes with a date", info, err, name, len(data))
		}
		f, err := b.Open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := f.Stat()
		if err != nil || fi.Size() != int64(len(data)) || fi.Name() != "object-1.jpg" {
			t.Errorf("Blob.Stat = %v, %v", fi, err)
		}
		got, err := io.ReadAll(f)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("read %d bytes (%v), want the %d put", len(got), err, len(data))
		}
		// As http.ServeContent reads a range: to the end for the size,
		// back, then from the middle.
		if n, err := f.Seek(0, io.SeekEnd); n != int64(len(data)) || err != nil {
			t.Errorf("Seek to the end = %d, %v", n, err)
		}
		if _, err := f.Seek(4321, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		part := make([]byte, 25)
		if _, err := io.ReadFull(f, part); err != nil || !bytes.Equal(part, data[4321:4346]) {
			t.Errorf("read %q (%v) at 4321, want %q", part, err, data[4321:4346])
		}
		f.Close()

		for _, n := range []string{"originals/ab/x.jpg", "public/ac/y.png", "public/ab/object-2.jpg"} {
			if err := b.Put(ctx, n, []byte(n)); err != nil {
				t.Fatal(err)
			}
		}
		list := func(prefix string) string {
			var got []string
			if err := b.List(ctx, prefix, func(i BlobInfo) error {
				if i.Size != int64(len(i.Name)) && i.Name != name {
					t.Errorf("%s: size %d", i.Name, i.Size)
				}
				got = append(got, i.Name)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			return strings.Join(got, " ")
		}
		for prefix, want := range map[string]string{
			"":                 "originals/ab/x.jpg public/ab/object-1.jpg public/ab/object-2.jpg public/ac/y.png",
			"public/":          "public/ab/object-1.jpg public/ab/object-2.jpg public/ac/y.png",
			"public/ab/":       "public/ab/object-1.jpg public/ab/object-2.jpg",
			"public/ab/object": "public/ab/object-1.jpg public/ab/object-2.jpg",
			"public/a":         "public/ab/object-1.jpg public/ab/object-2.jpg public/ac/y.png",
			"originals/":       "originals/ab/x.jpg",
			"nothing/":         "",
		} {
			if got := list(prefix); got != want {
				t.Errorf("List(%q) = %q, want %q", prefix, got, want)
			}
		}
		stop := errors.New("enough")
		if err := b.List(ctx, "", func(BlobInfo) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("List whose fn fails = %v, want its error", err)
		}

		if err := b.Delete(ctx, name); err != nil {
			t.Fatal(err)
		}
		if err := b.Delete(ctx, name); err != nil {
			t.Errorf("deleting a missing object: %v", err)
		}
		if _, err := b.Stat(ctx, name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat after Delete = %v", err)
		}
		if got := list("public/ab/"); got != "public/ab/object-2.jpg" {
			t.Errorf("after Delete, List = %q", got)
		}
	})
}

// TestBlobsPutTogether: uploads of the same photo at once each store it
// whole; readers see it whole or not at all.
func TestBlobsPutTogether(t *testing.T) {
	eachBlobs(t, func(t *testing.T, b Blobs) {
		ctx := context.Background()
		data := bytes.Repeat([]byte("photo"), 200_000) // a megabyte
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if err := b.Put(ctx, "originals/aa/same.jpg", data); err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() {
				f, err := b.Open(ctx, "originals/aa/same.jpg")
				if errors.Is(err, fs.ErrNotExist) {
					return
				} else if err != nil {
					t.Error(err)
					return
				}
				defer f.Close()
				got, err := io.ReadAll(f)
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("a reader saw %d bytes (%v), want all %d", len(got), err, len(data))
				}
			})
		}
		wg.Wait()
	})
}

// TestS3Unavailable: a store that cannot be reached fails at once with
// ErrUnavailable and a message fit to show that names it and says nothing
// was stored; the store's Handler answers 503, not cached.
func TestS3Unavailable(t *testing.T) {
	// A port nothing listens on: the server is down.
	b := s3server.Bucket{Endpoint: "http://127.0.0.1:9", Region: "us-east-1", Bucket: "newsdesk-test", Prefix: "p/",
		AccessKeyID: "k", SecretAccessKey: "s"}
	bl, err := OpenS3(context.Background(), S3Config{Bucket: b.Bucket, Prefix: b.Prefix, Endpoint: b.Endpoint, PathStyle: true,
		AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey})
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(bl, StoreOptions{})
	_, err = s.Put("a.jpg", encodeJPEG(t, gradient(400, 300)), DefaultLimits())
	if !errors.Is(err, ErrUnavailable) || news.ErrorCode(err) != news.EUNAVAILABLE {
		t.Fatalf("Put = %v (code %s), want ErrUnavailable and EUNAVAILABLE", err, news.ErrorCode(err))
	}
	msg := news.ErrorMessage(err)
	if want := "the photo store (s3://newsdesk-test/p/) cannot be reached just now, so nothing was stored"; !strings.Contains(msg, want) || strings.Contains(msg, "127.0.0.1") {
		t.Errorf("message %q, want %q and no address", msg, want)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:9") {
		t.Errorf("the error for the log, %q, does not say what failed", err)
	}
	if err := bl.Check(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Check = %v, want ErrUnavailable", err)
	}
	// A photo asked for meanwhile: 503, which no cache keeps, for the
	// plain handler and the one that makes copies.
	m := news.Media{Hash: strings.Repeat("ab", 32), Type: "image/jpeg", Width: 800, Height: 600}
	find := func(context.Context, string) (news.Media, error) { return m, nil }
	for name, h := range map[string]http.Handler{"Handler": s.Handler(), "HandlerMaking": s.HandlerMaking(find)} {
		for _, key := range []string{Variants(m)[0].Key, CropVariants(m, news.Square)[0].Key} {
			mux := http.NewServeMux()
			mux.Handle("GET /media/{key...}", h)
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+key, nil))
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Retry-After") == "" {
				t.Errorf("%s, %s with the store down: %d, Cache-Control %q, Retry-After %q; want 503, no-store and a Retry-After",
					name, key, w.Code, w.Header().Get("Cache-Control"), w.Header().Get("Retry-After"))
			}
		}
	}
}

// TestHandlerRedirectsToPublicURL: with a PublicURL (a public bucket or a
// CDN), /media/ answers a valid key with a redirect there, not for ever,
// once the copy is made; other keys are 404 as before.
func TestHandlerRedirectsToPublicURL(t *testing.T) {
	f, err := OpenFolder(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(f, StoreOptions{PublicURL: "https://cdn.example.net/media"})
	defer s.Close()
	m, err := s.Put("a.jpg", encodeJPEG(t, gradient(900, 600)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	find := func(context.Context, string) (news.Media, error) { return m, nil }
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", s.HandlerMaking(find))
	crop := CropVariants(m, news.Square)[0].Key
	for key, want := range map[string]int{Variants(m)[0].Key: 302, crop: 302, "x": 404, "originals/" + m.Hash[:2] + "/" + m.Key(): 404} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+key, nil))
		if w.Code != want {
			t.Errorf("%s: %d, want %d", key, w.Code, want)
			continue
		}
		if want != 302 {
			continue
		}
		if loc := w.Header().Get("Location"); loc != "https://cdn.example.net/media/"+key {
			t.Errorf("%s: Location %q", key, loc)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=86400" {
			t.Errorf("%s: Cache-Control %q, want a day's", key, cc)
		}
	}
	// The crop copy the redirect points at was made first.
	if f, err := s.Open(crop); err != nil {
		t.Errorf("the crop copy redirected to is not in the store: %v", err)
	} else {
		f.Close()
	}
}
