package admin

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/web"
)

// TestEditorPhotoEndpoints: an upload from the editor goes through the
// library's checks and answers the /media/ path a figure names; the same
// file again is the same photo, with the library's words; the search finds
// photos by their words; a writer's words fill only empty defaults; a file
// that is not a photo is refused with a message, and nothing is stored.
func TestEditorPhotoEndpoints(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	c := f.as(t, "contributor")
	c.header.Set("Accept", "application/json")

	type answer struct {
		Photo     editorPhoto   `json:"photo"`
		Photos    []editorPhoto `json:"photos"`
		Duplicate bool          `json:"duplicate"`
		Next      int           `json:"next"`
		Error     string        `json:"error"`
	}
	decode := func(r response) answer {
		t.Helper()
		var a answer
		if err := json.Unmarshal([]byte(r.body), &a); err != nil {
			t.Fatalf("status %d, not JSON: %s", r.status, r.body)
		}
		return a
	}

	res := c.postFile("/admin/editor/photos", url.Values{"alt": {"A quay"}}, "quay.jpg", testJPEG(t, 1600, 900))
	if res.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.status, res.body)
	}
	up := decode(res)
	if !regexp.MustCompile(`^/media/[0-9a-f]{2}/[0-9a-f]{64}-1280\.jpg$`).MatchString(up.Photo.Src) || up.Photo.Width != 1280 || up.Photo.Alt != "A quay" {
		t.Errorf("uploaded photo: %+v", up.Photo)
	}
	if got := c.get(up.Photo.Src); got.status != http.StatusOK {
		t.Errorf("GET %s: %d", up.Photo.Src, got.status)
	}

	again := decode(c.postFile("/admin/editor/photos", nil, "copy.jpg", testJPEG(t, 1600, 900)))
	if !again.Duplicate || again.Photo.ID != up.Photo.ID || again.Photo.Alt != "A quay" {
		t.Errorf("the same file again: %+v", again)
	}

	// Words typed in the editor fill the caption and credit, not the alt.
	words := c.post("/admin/editor/photos/"+itoa(up.Photo.ID)+"/words", url.Values{"alt": {"Other words"}, "caption": {"Ferries at dawn"}, "credit": {"AFP"}})
	if w := decode(words); words.status != http.StatusOK || w.Photo.Alt != "A quay" || w.Photo.Caption != "Ferries at dawn" || w.Photo.Credit != "AFP" {
		t.Errorf("words: %d %+v", words.status, w)
	}

	for q, want := range map[string]int{"": 1, "ferries afp": 1, "FERRIES": 1, "quay dawn": 1, "storm": 0} {
		got := decode(c.get("/admin/editor/photos?q=" + url.QueryEscape(q)))
		if len(got.Photos) != want {
			t.Errorf("search %q: %d photos, want %d", q, len(got.Photos), want)
		}
	}

	bad := c.postFile("/admin/editor/photos", nil, "notes.jpg", []byte("not a photo at all"))
	if bad.status != http.StatusBadRequest || !strings.Contains(decode(bad).Error, "notes.jpg") {
		t.Errorf("a text file: %d %s", bad.status, bad.body)
	}
	if list, _ := f.st.LibraryPhotos(ctx, 10, 0); len(list) != 1 {
		t.Errorf("%d photos in the library, want 1", len(list))
	}
}

// TestEditorSearchPages: the library's search answers 24 photos at a time,
// newest first, and says where the next page starts.
func TestEditorSearchPages(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	c := f.as(t, "contributor")
	c.header.Set("Accept", "application/json")
	for i := range 30 {
		if r := c.postFile("/admin/editor/photos", url.Values{"caption": {"Photo " + itoa(int64(i))}}, "p.jpg", testJPEG(t, 40+i, 30)); r.status != http.StatusCreated {
			t.Fatalf("upload %d: %d %s", i, r.status, r.body)
		}
	}
	var first, second struct {
		Photos []editorPhoto `json:"photos"`
		Next   int           `json:"next"`
	}
	json.Unmarshal([]byte(c.get("/admin/editor/photos?q=photo").body), &first)
	json.Unmarshal([]byte(c.get("/admin/editor/photos?q=photo&offset=24").body), &second)
	if len(first.Photos) != 24 || first.Next != 24 || len(second.Photos) != 6 || second.Next != 0 {
		t.Fatalf("pages: %d (next %d), %d (next %d)", len(first.Photos), first.Next, len(second.Photos), second.Next)
	}
	if first.Photos[0].Caption != "Photo 29" {
		t.Errorf("first photo %q, want the newest", first.Photos[0].Caption)
	}
}

// TestEditorBundleGzipped: the editor's bundle, the newsroom's largest
// file, is sent gzipped to browsers that take it, and unzips to itself.
func TestEditorBundleGzipped(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	want, err := web.Static.ReadFile("static/editor.js")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+f.adm.editorJS, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") != "gzip" || len(raw) > len(want)/2 {
		t.Fatalf("Content-Encoding %q, %d bytes of %d", res.Header.Get("Content-Encoding"), len(raw), len(want))
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, want) {
		t.Error("the gzipped bundle does not unzip to the bundle")
	}
	req.Header.Set("Accept-Encoding", "gzip;q=0, br")
	res2, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(res2.Body)
	res2.Body.Close()
	if res2.Header.Get("Content-Encoding") != "" || !bytes.Equal(plain, want) {
		t.Errorf("gzip;q=0: Content-Encoding %q, %d bytes", res2.Header.Get("Content-Encoding"), len(plain))
	}
}
