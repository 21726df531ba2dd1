package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
	"github.com/newsdesk/newsdesk/internal/testkit/s3server"
)

// s3Instance returns the variables of an instance on the database dsn
// whose photos are in the bucket b, with a data folder of its own: nothing
// on disk is shared between instances.
func s3Instance(t *testing.T, dsn string, b s3server.Bucket) map[string]string {
	return map[string]string{
		"NEWSDESK_DB":             dsn,
		"NEWSDESK_DATA":           t.TempDir(),
		"NEWSDESK_MEDIA":          b.URL(),
		"NEWSDESK_MEDIA_ENDPOINT": b.Endpoint,
		"AWS_ACCESS_KEY_ID":       b.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":   b.SecretAccessKey,
	}
}

// apiToken adds an editor and returns the secret of a token that uploads,
// writes and publishes for them.
func apiToken(t *testing.T, vars map[string]string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"user", "add", "--email", "photo@example.org", "--name", "Photo Desk", "--role", "editor", "--password-stdin"},
		env(vars), strings.NewReader("a long enough password\n"), &out, &out); err != nil {
		t.Fatalf("user add: %v: %s", err, out.String())
	}
	out.Reset()
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "photo-bot", "--scope", "upload:media", "--scope", "write:articles",
		"--scope", "publish", "--user", "photo@example.org"}, env(vars), nil, &out, &errOut); err != nil {
		t.Fatalf("token create: %v: %s", err, errOut.String())
	}
	return strings.TrimSpace(out.String())
}

// photo is a JPEG of w × h that differs for each seed.
func photo(t *testing.T, w, h, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8(seed * 37), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploaded is the API's answer to an upload.
type uploaded struct {
	ID       int64 `json:"id"`
	Variants []struct {
		URL string `json:"url"`
	} `json:"variants"`
	Error struct {
		Code, Message string
	} `json:"error"`
}

// upload sends a photo to an instance's API.
func upload(t *testing.T, base, secret string, data []byte) (int, uploaded) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("photo", "harbour.jpg")
	fw.Write(data)
	mw.WriteField("alt", "The harbour at dawn")
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+secret)
	var u uploaded
	status := callJSON(t, req, &u)
	return status, u
}

// callJSON sends req and decodes its JSON answer into v.
func callJSON(t *testing.T, req *http.Request, v any) int {
	t.Helper()
	res, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %s", req.Method, req.URL, res.StatusCode, b)
	}
	return res.StatusCode
}

// publishWithPhoto writes and publishes a story with the photo id through
// an instance's API, and returns its path.
func publishWithPhoto(t *testing.T, base, secret, headline string, id int64) string {
	t.Helper()
	do := func(method, path, body string) map[string]any {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		var v map[string]any
		if status := callJSON(t, req, &v); status >= 300 {
			t.Fatalf("%s %s: %d %v", method, path, status, v)
		}
		return v
	}
	a := do("POST", "/api/v1/articles", `{"headline":`+strconv.Quote(headline)+`,"body":"The harbour reopened.","section":"news/world","photo_id":`+strconv.FormatInt(id, 10)+`}`)
	p := do("POST", "/api/v1/articles/"+strconv.FormatInt(int64(a["id"].(float64)), 10)+"/publish", "")
	u, _ := p["url"].(string)
	if i := strings.Index(u, "//"); i >= 0 {
		u = u[i+2:]
		u = u[strings.Index(u, "/"):]
	}
	if u == "" {
		t.Fatalf("published, but no url: %v", p)
	}
	return u
}

// get returns an answer's status, body and headers.
func get(t *testing.T, u string) (int, []byte, http.Header) {
	t.Helper()
	res, err := (&http.Client{Timeout: time.Minute}).Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return res.StatusCode, b, res.Header
}

// mediaPath is the path of a variant's address.
func mediaPath(t *testing.T, u string) string {
	t.Helper()
	i := strings.Index(u, "/media/")
	if i < 0 {
		t.Fatalf("%q is no /media/ address", u)
	}
	return u[i:]
}

var mediaLink = regexp.MustCompile(`/media/[0-9a-f]{2}/[0-9a-f]{64}[-0-9a-fx]*\.(?:jpg|png)`)

// noPhotosOnDisk fails when a data folder holds any file under media/:
// the photos are in the bucket alone.
func noPhotosOnDisk(t *testing.T, data string) {
	t.Helper()
	filepath.WalkDir(filepath.Join(data, "media"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("a file on disk, %s: the photos should be in the bucket alone", p)
		}
		return nil
	})
}

// TestTwoInstancesShareS3Photos: two instances on one PostgreSQL database
// and one bucket, no folder shared: a photo uploaded through one is served
// by the other at once, byte for byte; a story with it published through
// the second has every photo address of its page served by the first
// (crop copies made on request there, into the bucket).
func TestTwoInstancesShareS3Photos(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := testkit.FreshPostgres(t)
		b := s3server.Shared(t)
		varsA, varsB := s3Instance(t, dsn, b), s3Instance(t, dsn, b)
		importArticle(t, varsA, t.TempDir(), "Opening story", "news/world")
		secret := apiToken(t, varsA)
		a := startServe(t, nil, varsA)
		bb := startServe(t, nil, varsB)

		status, up := upload(t, a, secret, photo(t, 1600, 900, 1))
		if status != http.StatusCreated || len(up.Variants) == 0 {
			t.Fatalf("upload through the first: %d %+v", status, up)
		}
		uploaded := time.Now()
		for _, v := range up.Variants {
			p := mediaPath(t, v.URL)
			code, fromB, h := get(t, bb+p)
			if code != http.StatusOK {
				t.Fatalf("the second instance answers %s with %d", p, code)
			}
			if cc := h.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" || h.Get("Content-Type") != "image/jpeg" {
				t.Errorf("%s from the second: Cache-Control %q, Content-Type %q", p, cc, h.Get("Content-Type"))
			}
			_, fromA, _ := get(t, a+p)
			if !bytes.Equal(fromA, fromB) || len(fromA) == 0 {
				t.Errorf("%s: %d bytes from the first, %d from the second", p, len(fromA), len(fromB))
			}
		}
		t.Logf("every variant served by the other instance %v after the upload answered", time.Since(uploaded).Round(time.Millisecond))

		path := publishWithPhoto(t, bb, secret, "Harbour reopens", up.ID)
		var page []byte
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			var code int
			code, page, _ = get(t, a+path)
			if code == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s on the first instance: %d", path, code)
			}
		}
		links := mediaLink.FindAllString(string(page), -1)
		crops := 0
		for _, l := range links {
			if strings.Contains(l, "x") {
				crops++
			}
			if code, _, _ := get(t, a+l); code != http.StatusOK {
				t.Errorf("%s, on the story's page, answers %d on the first instance", l, code)
			}
		}
		if crops == 0 {
			t.Errorf("the page names no crop copy (%d photo links): the test shows nothing of copies made on request", len(links))
		}
		noPhotosOnDisk(t, varsA["NEWSDESK_DATA"])
		noPhotosOnDisk(t, varsB["NEWSDESK_DATA"])
	})
}

// TestS3Outage stops the S3 server (its process, by its id) for about 20
// seconds under two instances: published pages keep coming, the same
// bytes, from the page cache; an upload, through the API and through the
// newsroom's library, fails with a message that says what is wrong, and
// leaves nothing behind (no library entry, so no story can point at the
// photo); photos not in any cache answer 503, which no
// cache keeps; when the server is back, uploads work again without a
// restart and both instances serve the new photo.
func TestS3Outage(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := testkit.FreshPostgres(t)
		srv := s3server.Start(t)
		b := srv.Bucket(t)
		varsA, varsB := s3Instance(t, dsn, b), s3Instance(t, dsn, b)
		importArticle(t, varsA, t.TempDir(), "Opening story", "news/world")
		secret := apiToken(t, varsA)
		a := startServe(t, nil, varsA)
		bb := startServe(t, nil, varsB)

		status, up := upload(t, a, secret, photo(t, 1200, 800, 1))
		if status != http.StatusCreated {
			t.Fatalf("upload: %d %+v", status, up)
		}
		path := publishWithPhoto(t, a, secret, "Storm closes the harbour", up.ID)
		pages := map[string][]byte{}
		for _, base := range []string{a, bb} {
			for _, p := range []string{path, "/", "/news/world/"} {
				for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
					code, body, _ := get(t, base+p)
					if code == http.StatusOK && (p != "/" || bytes.Contains(body, []byte("Storm closes the harbour"))) {
						pages[base+p] = body
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s%s: %d", base, p, code)
					}
				}
			}
		}
		// A photo of the page that nobody asked for yet: no cache has it.
		links := mediaLink.FindAllString(string(pages[a+path]), -1)
		if len(links) == 0 {
			t.Fatal("the story's page names no photo")
		}
		unasked := links[len(links)-1]

		// The newsroom, signed in as the photo desk's editor.
		jar, _ := cookiejar.New(nil)
		newsroom := &http.Client{Jar: jar, Timeout: time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if res, err := newsroom.PostForm(a+"/admin/login", url.Values{"email": {"photo@example.org"}, "password": {"a long enough password"}}); err != nil || res.StatusCode != http.StatusSeeOther {
			t.Fatalf("newsroom login: %v %v", res, err)
		} else {
			res.Body.Close()
		}
		newsroomUpload := func(data []byte) (int, string) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("photo", "harbour.jpg")
			fw.Write(data)
			mw.Close()
			req, _ := http.NewRequest("POST", a+"/admin/media", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			res, err := newsroom.Do(req)
			if err != nil {
				t.Fatalf("newsroom upload: %v", err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, html.UnescapeString(string(b))
		}

		pid := srv.PID()
		srv.Stop(t)
		stopped := time.Now()
		t.Logf("SeaweedFS (pid %d) stopped", pid)

		second := photo(t, 1000, 700, 2)
		sum := sha256.Sum256(second)
		checks := 0
		for time.Since(stopped) < 20*time.Second {
			for u, want := range pages {
				code, body, _ := get(t, u)
				if code != http.StatusOK || !bytes.Equal(body, want) {
					t.Fatalf("%s with the object store down: %d, %d bytes (%d before)", u, code, len(body), len(want))
				}
			}
			status, got := upload(t, a, secret, second)
			if status != http.StatusServiceUnavailable || got.Error.Code != news.EUNAVAILABLE ||
				!strings.Contains(got.Error.Message, "the photo store ("+b.URL()+") cannot be reached just now, so nothing was stored") {
				t.Fatalf("an upload with the object store down: %d %+v, want 503 saying the photo store cannot be reached", status, got)
			}
			if code, page := newsroomUpload(second); code != http.StatusServiceUnavailable ||
				!strings.Contains(page, "the photo store ("+b.URL()+") cannot be reached just now, so nothing was stored") {
				t.Fatalf("a newsroom upload with the object store down: %d, want 503 saying the photo store cannot be reached:\n%s", code, page)
			}
			code, _, h := get(t, bb+unasked)
			if code != http.StatusServiceUnavailable || h.Get("Cache-Control") != "no-store" || h.Get("Retry-After") == "" {
				t.Fatalf("a photo with the object store down: %d, Cache-Control %q, Retry-After %q; want 503, no-store and a Retry-After",
					code, h.Get("Cache-Control"), h.Get("Retry-After"))
			}
			checks++
			time.Sleep(time.Second)
		}
		// Nothing half-written: no library entry for the refused photo.
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if p, err := st.PhotoByHash(context.Background(), hex.EncodeToString(sum[:])); news.ErrorCode(err) != news.ENOTFOUND {
			t.Fatalf("the refused upload left a library entry: %+v, %v", p, err)
		}

		restart := time.Now()
		srv.StartAgain(t)
		t.Logf("stopped %v, checked %d times meanwhile; SeaweedFS back as pid %d, storing objects %v after it was started again",
			restart.Sub(stopped).Round(time.Second), checks, srv.PID(), time.Since(restart).Round(100*time.Millisecond))
		back := time.Now()
		// Back by itself: the next upload is stored, and served by both.
		status, up2 := upload(t, a, secret, second)
		if status != http.StatusCreated || len(up2.Variants) == 0 {
			t.Fatalf("an upload once the object store is back: %d %+v", status, up2)
		}
		if code, page := newsroomUpload(photo(t, 900, 600, 3)); code != http.StatusSeeOther {
			t.Fatalf("a newsroom upload once the object store is back: %d\n%s", code, page)
		}
		for _, base := range []string{a, bb} {
			for _, l := range []string{mediaPath(t, up2.Variants[0].URL), unasked} {
				if code, _, _ := get(t, base+l); code != http.StatusOK {
					t.Errorf("%s%s once the object store is back: %d", base, l, code)
				}
			}
		}
		t.Logf("the first upload after the outage stored and served by both instances %v after the store answered again", time.Since(back).Round(time.Millisecond))
	})
}
