package admin

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var articleIDPattern = regexp.MustCompile(`^/admin/articles/(\d+)\?done=`)

// createdID reads the new article's id from the redirect after a save.
func createdID(t *testing.T, res response) int64 {
	t.Helper()
	m := articleIDPattern.FindStringSubmatch(res.location())
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("save: %d to %q\n%s", res.status, res.location(), res.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func (f *fixture) public(t *testing.T, path string) response {
	t.Helper()
	return f.anon(t).get(path)
}

// TestWriteSubmitPublishCorrect follows a story through the newsroom over
// HTTP: written with a photo by a contributor, submitted, published by an
// editor, corrected, updated, moved, unpublished, scheduled.
func TestWriteSubmitPublishCorrect(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec, _ := st.SectionByPath(ctx, "news/world")
		writer := f.as(t, "contributor")
		form := url.Values{
			"headline": {"Harbour reopens after the storm"}, "summary": {"Ferries run again."}, "section": {itoa(sec.ID)},
			"bylines": {"Contributor Person\nAFP"}, "tags": {"Storms, Harbours"},
			"body":      {"The first ferry left at dawn.\n\n# What changed\n\n> We are open again.\n>\n> — Harbour master"},
			"photo_alt": {"Ferries at a quay"}, "photo_caption": {"The quay on Monday."}, "photo_credit": {"AFP"},
		}
		id := createdID(t, writer.postFile("/admin/articles", form, "quay.jpg", testJPEG(t, 800, 600)))
		path := "/admin/articles/" + itoa(id)
		e, err := st.Editorial(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		a := e.Article
		if a.Status != news.Draft || e.CreatedBy != f.users["contributor"].ID || a.Photo == nil || a.Photo.Alt != "Ferries at a quay" ||
			len(a.Bylines) != 2 || !a.Bylines[1].Agency || len(a.Tags) != 2 || !strings.Contains(a.BodyHTML, "<h2") {
			t.Fatalf("the saved draft: %+v (photo %+v)", a, a.Photo)
		}
		if res := f.public(t, a.URL()); res.status != http.StatusNotFound {
			t.Errorf("a draft on the public site: %d, want 404", res.status)
		}

		// The contributor cannot publish by any route or field.
		for _, p := range []string{"/publish", "/schedule", "/unpublish", "/corrections"} {
			if res := writer.post(path+p, url.Values{"publish_at": {"2030-01-01T10:00"}, "correction": {"x"}}); res.status != http.StatusForbidden {
				t.Errorf("contributor POST %s: %d, want 403", p, res.status)
			}
		}
		sneaky := editorForm(e)
		sneaky.Set("status", "published")
		sneaky.Set("published_at", "2026-01-01T00:00")
		writer.post(path, sneaky)
		if got, _ := st.Editorial(ctx, id); got.Article.Status != news.Draft {
			t.Fatalf("a contributor's save with status=published made it %s", got.Article.Status)
		}

		// Submitted, it leaves the writer's hands.
		if res := writer.post(path+"/submit", nil); res.status != http.StatusSeeOther {
			t.Fatalf("submit: %d\n%s", res.status, res.body)
		}
		e, _ = st.Editorial(ctx, id)
		if e.Article.Status != news.Review {
			t.Fatalf("after submit: %s", e.Article.Status)
		}
		if res := writer.post(path, editorForm(e)); res.status != http.StatusForbidden {
			t.Errorf("the writer saving after submitting: %d, want 403", res.status)
		}
		if res := writer.get(path); res.status != 200 || !strings.Contains(res.body, "only an editor can change it") {
			t.Errorf("the writer opening it after submitting: %d, want a read-only page", res.status)
		}
		if res := f.as(t, "other").get(path); res.status != http.StatusForbidden {
			t.Errorf("another contributor opening it: %d, want 403", res.status)
		}

		// The editor fixes the summary and publishes in one step.
		editor := f.as(t, "editor")
		pub := editorForm(e)
		pub.Set("summary", "Ferries run again from Port Alder.")
		if res := editor.post(path+"/publish", pub); res.status != http.StatusSeeOther || !strings.HasSuffix(res.location(), "done=published") {
			t.Fatalf("publish: %d %q\n%s", res.status, res.location(), res.body)
		}
		e, _ = st.Editorial(ctx, id)
		if e.Article.Status != news.Published || e.Article.PublishedAt.IsZero() || e.Article.Summary != "Ferries run again from Port Alder." {
			t.Fatalf("after publish: %+v", e.Article)
		}
		url1 := e.Article.URL()
		for _, page := range []string{url1, "/", "/news/world/", "/news/"} {
			res := f.public(t, page)
			if res.status != 200 || !strings.Contains(res.body, "Harbour reopens after the storm") {
				t.Errorf("public %s after publishing: %d, the story missing", page, res.status)
			}
		}
		if res := f.public(t, url1); !strings.Contains(res.body, "srcset=\"/media/") || !strings.Contains(res.body, "Port Alder") {
			t.Errorf("the public article lacks its photo or new summary")
		}

		// A correction shows at once; the audit log has publish and correction.
		if res := editor.post(path+"/corrections", url.Values{"correction": {"An earlier version misnamed the port."}}); res.status != http.StatusSeeOther {
			t.Fatalf("correction: %d\n%s", res.status, res.body)
		}
		if res := f.public(t, url1); !strings.Contains(res.body, "An earlier version misnamed the port.") {
			t.Error("the correction is not on the public page")
		}
		// A substantive update sets the public "updated" time.
		e, _ = st.Editorial(ctx, id)
		upd := editorForm(e)
		upd.Set("body", e.Article.Body+"\n\nThe second ferry followed at noon.")
		upd.Set("updated", "1")
		if res := editor.post(path, upd); res.status != http.StatusSeeOther {
			t.Fatalf("update: %d\n%s", res.status, res.body)
		}
		if res := f.public(t, url1); !strings.Contains(res.body, "updated <time") || !strings.Contains(res.body, "second ferry") {
			t.Error("the public page does not show the update")
		}

		// A new slug: the old address answers 301.
		e, _ = st.Editorial(ctx, id)
		mv := editorForm(e)
		mv.Set("slug", "port-alder-harbour-reopens")
		editor.post(path, mv)
		if res := f.public(t, url1); res.status != http.StatusMovedPermanently || res.location() != "/news/world/port-alder-harbour-reopens" {
			t.Errorf("the old address: %d to %q, want 301 to the new", res.status, res.location())
		}

		// Unpublished: gone from the site (410 at its address: withdrawn),
		// and the redirect from its old address with it.
		if res := editor.post(path+"/unpublish", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("unpublish: %d", res.status)
		}
		for p, want := range map[string]int{"/news/world/port-alder-harbour-reopens": http.StatusGone, url1: http.StatusNotFound} {
			if res := f.public(t, p); res.status != want {
				t.Errorf("%s after unpublishing: %d, want %d", p, res.status, want)
			}
		}

		// Scheduled: refused in the past; published by the scheduler when due.
		if res := editor.post(path+"/schedule", url.Values{"publish_at": {"2001-01-01T10:00"}}); res.status != http.StatusBadRequest {
			t.Errorf("scheduling in the past: %d, want 400", res.status)
		}
		due := time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04")
		if res := editor.post(path+"/schedule", url.Values{"publish_at": {due}}); res.status != http.StatusSeeOther {
			t.Fatalf("schedule: %d\n%s", res.status, res.body)
		}
		if e, _ := st.Editorial(ctx, id); e.Article.Status != news.Scheduled || e.PublishAt.IsZero() {
			t.Fatalf("after scheduling: %s at %v", e.Article.Status, e.PublishAt)
		}
		f.adm.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		sctx, stop := contextWithCancel()
		done := make(chan struct{})
		go func() { f.adm.RunScheduler(sctx); close(done) }()
		deadline := time.Now().Add(5 * time.Second)
		for {
			if res := f.public(t, "/news/world/port-alder-harbour-reopens"); res.status == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the scheduled story is not on the site 5 s after it fell due")
			}
			time.Sleep(50 * time.Millisecond)
		}
		stop()
		<-done
		entries, _ := st.AuditLog(ctx, store.AuditFilter{Target: "article " + itoa(id)})
		var acts []string
		for _, x := range entries {
			acts = append(acts, x.Action)
		}
		want := "publish schedule unpublish update correction publish submit create"
		if got := strings.Join(acts, " "); got != want {
			t.Errorf("audit of the story: %q, want %q", got, want)
		}
	})
}

func TestConflictKeepsBothTexts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "editor", "Council votes on the budget")
		path := "/admin/articles/" + itoa(e.Article.ID)
		first, second := f.as(t, "editor"), f.as(t, "admin")
		mine := editorForm(e)
		mine.Set("body", "The editor's version of the vote.")
		theirs := editorForm(e)
		theirs.Set("body", "The admin's version of the vote.")
		if res := first.post(path, mine); res.status != http.StatusSeeOther {
			t.Fatalf("first save: %d", res.status)
		}
		res := second.post(path, theirs)
		if res.status != http.StatusConflict || !strings.Contains(res.body, "Not saved: someone else saved first") ||
			!strings.Contains(res.body, "kept as revision 3") || !strings.Contains(res.body, "The admin&#39;s version of the vote.") {
			t.Fatalf("second save from the same base: %d\n%s", res.status, res.body)
		}
		// The banner names who saved the revision that won (the editor),
		// not whose save was refused (the admin).
		if !strings.Contains(res.body, "Editor Person saved revision 2 while you were editing") {
			t.Errorf("the conflict banner does not name the editor who saved revision 2:\n%s", conflictBanner(res.body))
		}
		if !strings.Contains(res.body, "revision 2, saved by Editor Person") {
			t.Error("the status line does not name the editor as the one who saved the current revision")
		}
		cur, _ := st.Editorial(ctx, e.Article.ID)
		if cur.LastEditor != "Editor Person" {
			t.Errorf("last editor after a refused save: %q, want Editor Person", cur.LastEditor)
		}
		if cur.Article.Body != "The editor's version of the vote." {
			t.Errorf("the stored text after the refused save: %q", cur.Article.Body)
		}
		kept, err := st.Revision(ctx, e.Article.ID, 3)
		if err != nil || kept.Kind != news.ConflictRevision || kept.Content.Body != "The admin's version of the vote." {
			t.Errorf("the refused text: %+v, %v", kept, err)
		}
		// The page offers the comparison; the form now carries the current
		// base, so saving again is a deliberate choice.
		if !strings.Contains(res.body, `/diff?from=2&amp;to=3`) || !strings.Contains(res.body, `name="base" value="2"`) {
			t.Error("the conflict page lacks the comparison link or the new base")
		}
		if res := second.get(path + "/diff?from=2&to=3"); res.status != 200 || !strings.Contains(res.body, "<del>editor&#39;s</del>") {
			t.Errorf("the comparison: %d\n%s", res.status, res.body)
		}
	})
}

func TestRevisionsRestoreAndAutosave(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Bridge to reopen in spring")
		path := "/admin/articles/" + itoa(e.Article.ID)
		c := f.as(t, "contributor")
		for i, body := range []string{"The bridge will reopen in April.", "The bridge will reopen in May."} {
			form := editorForm(e)
			form.Set("base", strconv.Itoa(i+1))
			form.Set("body", body)
			if res := c.post(path, form); res.status != http.StatusSeeOther {
				t.Fatalf("save %d: %d\n%s", i, res.status, res.body)
			}
		}
		res := c.get(path + "/revisions")
		if res.status != 200 || strings.Count(res.body, `name="from"`) != 3 {
			t.Fatalf("history: %d, want 3 revisions", res.status)
		}
		res = c.get(path + "/diff?from=2&to=3")
		if !strings.Contains(res.body, "<del>April.</del>") || !strings.Contains(res.body, "<ins>May.</ins>") {
			t.Errorf("diff of one word: \n%s", res.body)
		}
		if res := c.post(path+"/revisions/2/restore", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("restore: %d", res.status)
		}
		cur, _ := st.Editorial(ctx, e.Article.ID)
		rev, _ := st.Revision(ctx, e.Article.ID, 4)
		if cur.Article.Body != "The bridge will reopen in April." || cur.Revision != 4 || rev.Kind != news.RestoredRevision || rev.Note != "restored revision 2" {
			t.Errorf("after restoring 2: body %q at revision %d (%+v)", cur.Article.Body, cur.Revision, rev)
		}

		// Autosave: kept apart from the article, offered back, discarded.
		c.header.Set("Accept", "application/json")
		form := editorForm(cur)
		form.Set("draft", "page-one")
		form.Set("seq", "1")
		form.Set("body", "Half a sentence typed before the laptop di")
		res = c.post(path+"/autosave", form)
		var got map[string]string
		if res.status != 200 || json.Unmarshal([]byte(res.body), &got) != nil || got["saved_at"] == "" {
			t.Fatalf("autosave: %d %s", res.status, res.body)
		}
		c.header.Del("Accept")
		if cur2, _ := st.Editorial(ctx, e.Article.ID); cur2.Article.Body != cur.Article.Body {
			t.Error("an autosave changed the article")
		}
		if res := c.get(path); !strings.Contains(res.body, "was never saved") {
			t.Error("the editor does not offer the autosaved text")
		}
		if res := c.get(path + "?autosave=page-one"); !strings.Contains(res.body, "Half a sentence typed before the laptop di</textarea>") {
			t.Error("restoring the autosave does not fill the form")
		}
		if res := f.as(t, "other").post(path+"/autosave", form); res.status != http.StatusForbidden {
			t.Errorf("another contributor autosaving: %d", res.status)
		}
		c.post(path+"/autosave", url.Values{"discard": {"1"}, "draft": {"page-one"}})
		if _, err := st.LatestAutosave(ctx, f.users["contributor"].ID, e.Article.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("after discarding: %v", err)
		}
		// A new story's autosave.
		c.header.Set("Accept", "application/json")
		c.post("/admin/articles/new/autosave", url.Values{"headline": {"Unsaved idea"}, "body": {"Notes."}, "draft": {"new-one"}, "seq": {"1"}})
		c.header.Del("Accept")
		if res := c.get("/admin/articles/new"); !strings.Contains(res.body, `href="?autosave=new-one"`) {
			t.Error("a new story's autosave is not offered on the new-story page")
		}
		if res := c.get("/admin/articles/new?autosave=new-one"); !strings.Contains(res.body, `value="Unsaved idea"`) {
			t.Error("a new story's autosave is not offered back")
		}
	})
}

func TestPreviewIsSanitized(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.as(t, "contributor")
		c.header.Set("Accept", "application/json")
		res := c.post("/admin/preview", url.Values{"body": {"# Sub\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1))"}})
		var got map[string]string
		json.Unmarshal([]byte(res.body), &got)
		h := got["html"]
		if res.status != 200 || !strings.Contains(h, "<h2") || !strings.Contains(h, "<strong>bold</strong>") || strings.Contains(h, "<script") || strings.Contains(h, "javascript:") {
			t.Errorf("preview: %d %q", res.status, h)
		}
		c.header.Del("Accept")
		if res := c.post("/admin/preview", url.Values{"body": {"Plain *text*."}, "headline": {"Test"}}); res.status != 200 || !strings.Contains(res.body, "&lt;em&gt;text&lt;/em&gt;") {
			t.Errorf("the no-script preview page (the public page in its frame): %d", res.status)
		}
	})
}

// pngClaiming is a valid PNG whose header claims w x h pixels.
func pngClaiming(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	// IHDR: 8-byte signature, 4 length, 4 type, then width and height.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// withGPS puts an EXIF block with a GPS position into a JPEG, as a phone
// camera does.
func withGPS(jpg []byte) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08" + // big-endian TIFF, first IFD at 8
		"\x00\x01" + "\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x1a" + "\x00\x00\x00\x00" + // one entry: GPS IFD at 26
		"\x00\x01" + "\x00\x02\x00\x05\x00\x00\x00\x03\x00\x00\x00\x2c" + "\x00\x00\x00\x00" + // GPSLatitude, 3 rationals at 44
		"\x00\x00\x00\x3b\x00\x00\x00\x01\x00\x00\x00\x07\x00\x00\x00\x01\x00\x00\x00\x1e\x00\x00\x00\x01" + "GPSMARKER-59.437N")
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xff, 0xe1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, app1...)
	return append(out, jpg[2:]...)
}

func TestPhotoUploads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.as(t, "contributor")
		bad := []struct {
			name, file string
			data       []byte
			want       string
		}{
			{"SVG with script", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "SVG"},
			{"HTML named .jpg", "photo.jpg", []byte("<!doctype html><html><body><script>alert(1)</script></body></html>"), "HTML"},
			{"50,000 x 50,000 PNG", "huge.png", pngClaiming(t, 50000, 50000), "50000 x 50000"},
			{"truncated JPEG", "cut.jpg", testJPEG(t, 200, 100)[:300], "damaged"},
		}
		for _, b := range bad {
			res := c.postFile("/admin/media", url.Values{"alt": {"x"}}, b.file, b.data)
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, b.want) {
				t.Errorf("%s: %d, want 400 naming %q\n%s", b.name, res.status, b.want, res.body)
			}
		}
		if list, _ := st.LibraryPhotos(ctx, 10, 0); len(list) != 0 {
			t.Errorf("after refused uploads the library holds %d photos", len(list))
		}

		photo := withGPS(testJPEG(t, 1000, 700))
		if !bytes.Contains(photo, []byte("GPSMARKER")) {
			t.Fatal("the test photo has no GPS data")
		}
		res := c.postFile("/admin/media", url.Values{"alt": {"A quay"}, "caption": {"The quay."}, "credit": {"Staff"}}, "phone.jpg", photo)
		if res.status != http.StatusSeeOther || !strings.HasSuffix(res.location(), "done=uploaded") {
			t.Fatalf("upload: %d %q\n%s", res.status, res.location(), res.body)
		}
		page := c.get(strings.TrimSuffix(res.location(), "?done=uploaded"))
		keys := regexp.MustCompile(`/media/([0-9a-f]{2}/[0-9a-f]{64}-\d+\.jpg)`).FindAllStringSubmatch(page.body, -1)
		if len(keys) == 0 {
			t.Fatalf("the photo page names no variant\n%s", page.body)
		}
		for _, k := range keys {
			v := f.public(t, "/media/"+k[1])
			if v.status != 200 || bytes.Contains([]byte(v.body), []byte("GPSMARKER")) || bytes.Contains([]byte(v.body), []byte("Exif")) {
				t.Errorf("public variant %s: %d, EXIF or GPS present", k[1], v.status)
			}
		}
		again := c.postFile("/admin/media", nil, "copy.jpg", photo)
		if again.location() != strings.Replace(res.location(), "uploaded", "duplicate", 1) {
			t.Errorf("the same photo again: %q, want the first one's page with done=duplicate", again.location())
		}
		if list, _ := st.LibraryPhotos(ctx, 10, 0); len(list) != 1 || list[0].Alt != "A quay" {
			t.Errorf("library after a duplicate: %d photos", len(list))
		}
		// Where used: a draft with it as lead photo.
		sec, _ := st.SectionByPath(ctx, "news/world")
		list, _ := st.LibraryPhotos(ctx, 1, 0)
		c.post("/admin/articles", url.Values{"headline": {"Quay story"}, "section": {itoa(sec.ID)}, "body": {"x"}, "photo_id": {itoa(list[0].Media.ID)}})
		if page := c.get("/admin/media/" + itoa(list[0].Media.ID)); !strings.Contains(page.body, "Quay story") {
			t.Error("the photo page does not list the article using it")
		}
	})
}

// TestFailedSaveKeepsTextAndPhoto: a form with a mistake comes back with
// everything typed and the uploaded photo chosen, and changes nothing else.
func TestFailedSaveKeepsTextAndPhoto(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.as(t, "contributor")
		form := url.Values{"headline": {"Storm surge floods the old town"}, "body": {"Water rose a metre overnight."}, "photo_alt": {"A flooded street"}}
		res := c.postFile("/admin/articles", form, "flood.jpg", testJPEG(t, 400, 300))
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "section: choose a section") || !strings.Contains(res.body, `data-field="section"`) {
			t.Fatalf("no section: %d\n%s", res.status, res.body)
		}
		if !strings.Contains(res.body, "Water rose a metre overnight.</textarea>") || !strings.Contains(res.body, `value="Storm surge floods the old town"`) {
			t.Error("the text typed is not in the form shown again")
		}
		photos, _ := st.LibraryPhotos(ctx, 5, 0)
		if len(photos) != 1 || !strings.Contains(res.body, `name="photo_id" value="`+itoa(photos[0].Media.ID)+`" checked`) {
			t.Errorf("the uploaded photo is not chosen in the form shown again (%d photos)", len(photos))
		}
		if list, _ := st.DeskArticles(ctx, store.DeskFilter{Scope: news.EveryArticle()}); len(list) != 0 {
			t.Errorf("a refused save stored %d articles", len(list))
		}
	})
}

// conflictBanner is the conflict box of an editor page, for messages.
func conflictBanner(body string) string {
	i := strings.Index(body, `<div class="conflict"`)
	if i < 0 {
		return "(no conflict banner)"
	}
	j := strings.Index(body[i:], "</div>")
	return body[i : i+j]
}
