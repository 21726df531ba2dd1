package admin

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// draftOf is the draft token an editor page was given.
func draftOf(t *testing.T, body string) string {
	t.Helper()
	const mark = `name="draft" value="`
	i := strings.Index(body, mark)
	if i < 0 {
		t.Fatal("the editor page has no draft token")
	}
	rest := body[i+len(mark):]
	return rest[:strings.IndexByte(rest, '"')]
}

// TestAutosaveAfterSaveIsRefused is the race by HTTP, in the order that
// caused it: an autosave, the save, then a last autosave of the same page
// arriving after the save. The late one is refused, and the article is
// not said to hold text that was never saved.
func TestAutosaveAfterSaveIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Ferry fares to rise")
		path := "/admin/articles/" + itoa(e.Article.ID)
		c := f.as(t, "contributor")
		tok := draftOf(t, c.get(path).body)
		form := editorForm(e)
		form.Set("draft", tok)
		form.Set("body", "Fares rise by a tenth.")
		auto := func(seq int) response {
			js := f.as(t, "contributor")
			js.header.Set("Accept", "application/json")
			form.Set("seq", fmt.Sprint(seq))
			return js.post(path+"/autosave", form)
		}
		if res := auto(1); res.status != 200 {
			t.Fatalf("autosave: %d %s", res.status, res.body)
		}
		form.Set("body", "Fares rise by a tenth in May.")
		if res := c.post(path, form); res.status != http.StatusSeeOther {
			t.Fatalf("save: %d", res.status)
		}
		if res := auto(2); res.status != http.StatusConflict {
			t.Errorf("an autosave arriving after its page was saved: %d, want 409", res.status)
		}
		if res := c.get(path); hasBanner(res.body) {
			t.Error("after a plain save the editor says its text was never saved")
		}
		if as, err := st.LatestAutosave(ctx, f.users["contributor"].ID, e.Article.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("an autosave is left after the save: %+v, %v", as, err)
		}
		// Text autosaved and never saved is still offered, with its page's
		// token, and the offer goes once it is saved or discarded.
		tok2 := draftOf(t, c.get(path).body)
		cur, _ := st.Editorial(ctx, e.Article.ID)
		form = editorForm(cur)
		form.Set("draft", tok2)
		form.Set("body", "Fares rise by a tenth in May, the operator says.")
		if res := auto(1); res.status != 200 {
			t.Fatalf("autosave: %d", res.status)
		}
		if res := c.get(path); !hasBanner(res.body) || !strings.Contains(res.body, "?autosave="+tok2) {
			t.Error("text autosaved and never saved is not offered back")
		}
	})
}

// TestNewStoriesKeepTheirOwnDrafts: each new story page autosaves under
// its own token; creating the story closes it, and the next new story is
// not offered the previous one's text.
func TestNewStoriesKeepTheirOwnDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec, _ := st.SectionByPath(ctx, "news/world")
		c := f.as(t, "contributor")
		tok := draftOf(t, c.get("/admin/articles/new").body)
		form := url.Values{"headline": {"Lighthouse for sale"}, "body": {"The council sells it."}, "section": {itoa(sec.ID)}, "draft": {tok}}
		js := f.as(t, "contributor")
		js.header.Set("Accept", "application/json")
		form.Set("seq", "1")
		if res := js.post("/admin/articles/new/autosave", form); res.status != 200 {
			t.Fatalf("autosave: %d %s", res.status, res.body)
		}
		if res := c.post("/admin/articles", form); res.status != http.StatusSeeOther {
			t.Fatalf("create: %d", res.status)
		}
		form.Set("seq", "2")
		if res := js.post("/admin/articles/new/autosave", form); res.status != http.StatusConflict {
			t.Errorf("a late autosave of a created story: %d, want 409", res.status)
		}
		res := c.get("/admin/articles/new")
		if hasBanner(res.body) || strings.Contains(res.body, "Lighthouse for sale") {
			t.Error("the next new story is offered the created one's text")
		}
		if draftOf(t, res.body) == tok {
			t.Error("the next new story has the same draft token")
		}
	})
}

// TestInterruptedAutosaveIsNoError: a client that goes away (a tab closed
// while its autosave was being sent or handled) is not a server error.
func TestInterruptedAutosaveIsNoError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Pier repairs begin")
		path := "/admin/articles/" + itoa(e.Article.ID) + "/autosave"
		form := editorForm(e)
		form.Set("draft", "gone-page")
		form.Set("seq", "1")
		c := f.as(t, "contributor")

		// Gone while the handler runs: the request's context is cancelled,
		// as the server does when the connection drops.
		h := f.adm.Handler()
		gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithCancel(r.Context())
			r.ParseForm()
			cancel()
			h.ServeHTTP(w, r.WithContext(ctx))
		}))
		defer gone.Close()
		c.base = gone.URL
		c.header.Set("Accept", "application/json")
		c.post(path, form)

		// Gone mid-body: half a form, then the connection closes.
		conn, err := net.Dial("tcp", strings.TrimPrefix(f.srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		body := form.Encode()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nCookie: %s=%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nAccept: application/json\r\n\r\n%s",
			path, strings.TrimPrefix(f.srv.URL, "http://"), c.cookie.Name, c.cookie.Value, len(body)+500, body)
		conn.(*net.TCPConn).CloseWrite()
		bufio.NewReader(conn).ReadString('\n') // the server's answer, or the close
		conn.Close()

		// Both were handled by now (the first answered; the second read
		// to its end before the answer above).
		logs := f.logs.String()
		for _, bad := range []string{"level=ERROR", "level=WARN"} {
			if strings.Contains(logs, bad) {
				t.Errorf("an interrupted autosave is logged as %s:\n%s", bad, logs)
			}
		}
		if !strings.Contains(logs, "client went away") {
			t.Errorf("the log does not say the client went away:\n%s", logs)
		}
	})
}
