package admin

import (
	"context"
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestUploadWhileThePhotoStoreIsAway: with the object store out of reach
// (a loopback port nothing listens on), each of the newsroom's ways to
// upload a photo answers 503 saying which store cannot be reached and
// that nothing was saved, and leaves nothing behind: no library entry, no
// article pointing at a photo that was not stored, no change to the
// article the photo came with.
func TestUploadWhileThePhotoStoreIsAway(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f := newFixture(t, st)
		// The same newsroom, its photos in a bucket that cannot be
		// reached.
		bl, err := media.OpenS3(context.Background(), media.S3Config{Bucket: "newsroom-photos", Prefix: "site/",
			Endpoint: "http://127.0.0.1:9", PathStyle: true, Region: "us-east-1", AccessKeyID: "k", SecretAccessKey: "s"})
		if err != nil {
			t.Fatal(err)
		}
		ms := media.NewStore(bl, media.StoreOptions{})
		adm, err := New(Config{BaseURL: f.adm.cfg.BaseURL, SiteName: "The Test Gazette", Changed: f.site.Changed, Preview: f.site.RenderPreview},
			st, ms, slog.New(slog.NewTextHandler(f.logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		mux.Handle("/admin/", adm.Handler())
		f.srv = httptest.NewServer(mux)
		t.Cleanup(f.srv.Close)

		const want = "the photo store (s3://newsroom-photos/site/) cannot be reached just now, so nothing was stored: try again"
		photo := testJPEG(t, 1200, 800)

		// The library's upload form.
		c := f.as(t, "editor")
		res := c.postFile("/admin/media", url.Values{"alt": {"The quay"}}, "quay.jpg", photo)
		page := html.UnescapeString(res.body)
		if res.status != http.StatusServiceUnavailable || !strings.Contains(page, want) || res.header.Get("Retry-After") == "" {
			t.Errorf("the library's upload: %d, Retry-After %q, want 503 saying %q:\n%s", res.status, res.header.Get("Retry-After"), want, res.body)
		}
		if !strings.Contains(page, `name="photo"`) {
			t.Errorf("the library's upload: the answer is not the upload form, to try again from:\n%s", res.body)
		}
		if strings.Contains(page, "Something went wrong") {
			t.Errorf("the library's upload: the generic error page:\n%s", res.body)
		}

		// Several photos at once.
		res = c.postFiles("/admin/media", map[string]string{"caption": "The quay"},
			map[string][]byte{"quay.jpg": photo, "pier.jpg": testJPEG(t, 1000, 700)}, []string{"quay.jpg", "pier.jpg"})
		page = html.UnescapeString(res.body)
		if res.status != http.StatusServiceUnavailable || !strings.Contains(page, want) || strings.Contains(page, "Something went wrong") ||
			!strings.Contains(page, "pier.jpg") {
			t.Errorf("a multiple upload: %d, want 503 saying %q:\n%s", res.status, want, res.body)
		}

		// The editor's photo dialog (a script, answered in JSON).
		j := f.as(t, "contributor")
		j.header.Set("Accept", "application/json")
		res = j.postFile("/admin/editor/photos", url.Values{"alt": {"The quay"}}, "quay.jpg", photo)
		var answer struct{ Error string }
		if err := json.Unmarshal([]byte(res.body), &answer); err != nil || res.status != http.StatusServiceUnavailable || !strings.Contains(answer.Error, want) {
			t.Errorf("the editor's photo upload: %d %s, want 503 saying %q", res.status, res.body, want)
		}

		// A story saved with a lead photo to upload: neither is saved.
		e := f.draft(t, "contributor", "Ferries stop for the storm")
		form := editorForm(e)
		form.Set("headline", "Ferries stop for the storm, and the bridge too")
		res = f.as(t, "contributor").postFile("/admin/articles/"+itoa(e.Article.ID), form, "storm.jpg", photo)
		if page := html.UnescapeString(res.body); res.status != http.StatusServiceUnavailable || !strings.Contains(page, want) {
			t.Errorf("saving a story with a photo to upload: %d, want 503 saying %q:\n%s", res.status, want, res.body)
		}
		got, err := st.Editorial(context.Background(), e.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Article.Headline != e.Article.Headline || got.Article.Photo != nil {
			t.Errorf("the story after the refused save: headline %q, photo %+v; want it unchanged, without a photo", got.Article.Headline, got.Article.Photo)
		}
		if list, err := st.LibraryPhotos(context.Background(), 10, 0); err != nil || len(list) != 0 {
			t.Errorf("the library after the refused uploads: %d photos (%v), want none", len(list), err)
		}
	})
}

// TestFramingWhileThePhotoStoreIsAway: saving a photo's framing cuts new
// crops into the photo store; with the store out of reach the answer is
// the photo's page with 503 and the store's words (not the generic error
// page), and the framing is not saved, so no page names a crop that is
// not there.
func TestFramingWhileThePhotoStoreIsAway(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f := newFixture(t, st)
		id := uploadPhoto(t, f, 800, 600) // while the store was there
		bl, err := media.OpenS3(context.Background(), media.S3Config{Bucket: "newsroom-photos", Prefix: "site/",
			Endpoint: "http://127.0.0.1:9", PathStyle: true, Region: "us-east-1", AccessKeyID: "k", SecretAccessKey: "s"})
		if err != nil {
			t.Fatal(err)
		}
		adm, err := New(Config{BaseURL: f.adm.cfg.BaseURL, SiteName: "The Test Gazette", Changed: f.site.Changed, Preview: f.site.RenderPreview},
			st, media.NewStore(bl, media.StoreOptions{}), slog.New(slog.NewTextHandler(f.logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		mux.Handle("/admin/", adm.Handler())
		f.srv = httptest.NewServer(mux)
		t.Cleanup(f.srv.Close)

		const want = "the photo store (s3://newsroom-photos/site/) cannot be reached just now"
		res := f.as(t, "editor").post("/admin/media/"+itoa(id)+"/framing", url.Values{"focus_x": {"0.1"}, "focus_y": {"0.25"}})
		page := html.UnescapeString(res.body)
		if res.status != http.StatusServiceUnavailable || !strings.Contains(page, want) || res.header.Get("Retry-After") == "" ||
			strings.Contains(page, "Something went wrong") || !strings.Contains(page, `name="focus_x"`) {
			t.Errorf("saving the framing: %d, Retry-After %q, want the photo's page, 503 saying %q:\n%.2000s", res.status, res.header.Get("Retry-After"), want, res.body)
		}
		p, err := st.LibraryPhoto(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Media.Framing != (news.Framing{}) {
			t.Errorf("the framing was saved without its crops: %+v", p.Media.Framing)
		}
	})
}
