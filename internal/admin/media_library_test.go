package admin

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// postFiles posts a multipart form with several files in the field
// "photo".
func (c *client) postFiles(path string, fields map[string]string, files map[string][]byte, order []string) response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, name := range order {
		fw, _ := mw.CreateFormFile("photo", name)
		fw.Write(files[name])
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func libraryCount(t *testing.T, st *store.Store) int {
	t.Helper()
	list, err := st.SearchPhotos(ctx, store.PhotoFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestMultiUploadReportsEachFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.as(t, "contributor")
		files := map[string][]byte{
			"harbour.jpg": testJPEG(t, 40, 30),
			"notes.jpg":   []byte("these are not the pixels of a photo"),
			"quay.jpg":    testJPEG(t, 30, 40),
		}
		res := c.postFiles("/admin/media", map[string]string{"caption": "Harbour at dawn", "credit": "Ana Ruiz"}, files,
			[]string{"harbour.jpg", "notes.jpg", "quay.jpg"})
		if res.status != 200 {
			t.Fatalf("upload of three: %d\n%s", res.status, res.body)
		}
		for _, want := range []string{"2 uploaded, 1 refused", "harbour.jpg</a>: uploaded", "quay.jpg</a>: uploaded", "notes.jpg: not uploaded: "} {
			if !strings.Contains(res.body, want) {
				t.Errorf("no %q in the answer:\n%s", want, res.body)
			}
		}
		// The bad file left nothing behind; the two good ones carry the
		// form's words.
		if n := libraryCount(t, st); n != 2 {
			t.Errorf("%d photos in the library, want 2", n)
		}
		list, _ := st.SearchPhotos(ctx, store.PhotoFilter{Caption: "harbour"})
		if len(list) != 2 || list[0].Credit != "Ana Ruiz" {
			t.Errorf("the uploads' words: %+v", list)
		}
		// Every file refused: 400, and the library as it was.
		res = c.postFiles("/admin/media", nil, map[string][]byte{"a.jpg": []byte("no"), "b.jpg": []byte("nope")}, []string{"a.jpg", "b.jpg"})
		if res.status != 400 || !strings.Contains(res.body, "0 uploaded, 2 refused") {
			t.Errorf("two bad files: %d\n%s", res.status, res.body)
		}
		if n := libraryCount(t, st); n != 2 {
			t.Errorf("%d photos after two bad files, want 2", n)
		}
		// One photo alone still leads to its page.
		res = c.postFile("/admin/media", nil, "one.jpg", testJPEG(t, 20, 20))
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/admin/media/") {
			t.Errorf("one photo: %d %s", res.status, res.location())
		}
	})
}

func TestPhotoLibrarySearchAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for i := range mediaPage + 5 {
			m := news.Media{Hash: strings.Repeat("0", 60) + itoaPad(i), Type: "image/jpeg", Size: 1, Width: 640, Height: 480}
			if err := st.SaveMedia(ctx, &m); err != nil {
				t.Fatal(err)
			}
			caption, credit := "Street scene "+itoa(int64(i)), "Staff"
			if i%10 == 0 {
				caption, credit = "Ferry at the quay "+itoa(int64(i)), "Agence Presse"
			}
			if err := st.SetPhotoDefaults(ctx, m.ID, "", caption, credit); err != nil {
				t.Fatal(err)
			}
		}
		c := f.as(t, "contributor")
		shown := regexp.MustCompile(`<a href="/admin/media/(\d+)">`)
		count := func(path string) (int, string) {
			res := c.get(path)
			if res.status != 200 {
				t.Fatalf("GET %s: %d\n%s", path, res.status, res.body)
			}
			next := ""
			if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(res.body); m != nil {
				next = html.UnescapeString(m[1])
			}
			return len(shown.FindAllString(res.body, -1)), next
		}
		if n, _ := count("/admin/media?caption=ferry"); n != 6 {
			t.Errorf("caption ferry: %d photos, want 6", n)
		}
		if n, _ := count("/admin/media?credit=agence&caption=quay+4"); n != 1 {
			t.Errorf("credit and caption: %d photos, want 1", n)
		}
		if n, _ := count("/admin/media?to=2020-01-01"); n != 0 {
			t.Errorf("uploaded before 2020: %d photos, want 0", n)
		}
		// All of them, a page at a time by keyset, none twice.
		n1, next := count("/admin/media?credit=a")
		if n1 != mediaPage || !strings.Contains(next, "after=") || !strings.Contains(next, "credit=a") {
			t.Fatalf("first page: %d photos, next %q", n1, next)
		}
		n2, last := count(next)
		if n1+n2 != mediaPage+5 || last != "" {
			t.Errorf("pages of %d and %d (next %q), want %d in all", n1, n2, last, mediaPage+5)
		}
		for _, c2 := range []struct{ q, says string }{
			{"from=soon", "from: &#34;soon&#34; is not a day"},
			{"after=later", "after: &#34;later&#34; is not a place in the library"},
			{"from=2026-02-02&to=2026-02-01", "to: the range ends"},
		} {
			res := c.get("/admin/media?" + c2.q)
			if res.status != 400 || !strings.Contains(res.body, c2.says) {
				t.Errorf("?%s: %d, want 400 saying %q", c2.q, res.status, c2.says)
			}
		}
	})
}

func itoaPad(i int) string {
	s := itoa(int64(i))
	return strings.Repeat("0", 4-len(s)) + s
}

// TestPhotoSearchIgnoresCaseOfAnyLetter: the library's search finds a
// caption or credit whatever the case of its letters, accented ones too,
// on both engines (SQLite's LOWER folds only A to Z).
func TestPhotoSearchIgnoresCaseOfAnyLetter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		m := news.Media{Hash: strings.Repeat("e", 64), Type: "image/jpeg", Size: 1, Width: 640, Height: 480}
		if err := st.SaveMedia(ctx, &m); err != nil {
			t.Fatal(err)
		}
		if err := st.SetPhotoDefaults(ctx, m.ID, "Façade of the ÉGLISE", "Église Saint-Étienne at dusk", "Ørsted Agency"); err != nil {
			t.Fatal(err)
		}
		for _, f := range []store.PhotoFilter{
			{Caption: "église"}, {Caption: "ÉGLISE SAINT-ÉTIENNE"}, {Caption: "saint-étienne"}, {Caption: "FAÇADE"},
			{Credit: "ørsted"}, {Credit: "ØRSTED AGENCY"},
		} {
			list, err := st.SearchPhotos(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Errorf("%+v found %d photos, want 1", f, len(list))
			}
		}
	})
}

// TestMultiUploadRefusesTooManyFiles: more files than an upload takes are
// refused as a whole, named, and none is stored, good ones included.
func TestMultiUploadRefusesTooManyFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		files := map[string][]byte{}
		var order []string
		for i := range maxUploadFiles + 1 {
			name := "p" + itoa(int64(i)) + ".jpg"
			files[name] = testJPEG(t, 10+i, 10)
			order = append(order, name)
		}
		res := f.as(t, "contributor").postFiles("/admin/media", nil, files, order)
		if res.status != 400 || !strings.Contains(res.body, "21 files chosen: upload at most 20 at once") {
			t.Errorf("21 files: %d\n%s", res.status, res.body)
		}
		if n := libraryCount(t, st); n != 0 {
			t.Errorf("%d photos stored from a refused upload, want 0", n)
		}
	})
}
