package admin

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// instance is a second newsroom over the same database as f, through a
// store of its own: another instance behind the same load balancer. The
// accounts are f's.
func (f *fixture) instance(t *testing.T, dsn string) *fixture {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	adm, err := New(Config{BaseURL: f.adm.cfg.BaseURL, SiteName: f.adm.cfg.SiteName}, st, f.ms, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(adm.Handler())
	t.Cleanup(srv.Close)
	g := *f
	g.st, g.adm, g.srv = st, adm, srv
	return &g
}

// beat sends the editor page's heartbeat and reads its answer.
func (c *client) beat(t *testing.T, articlePath string) presenceJSON {
	t.Helper()
	req, _ := http.NewRequest("POST", c.base+articlePath+"/presence", strings.NewReader("beat=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res := c.do(req)
	if res.status != http.StatusOK {
		t.Fatalf("heartbeat: %d %s", res.status, res.body)
	}
	var p presenceJSON
	if err := json.Unmarshal([]byte(res.body), &p); err != nil {
		t.Fatalf("heartbeat answer %q: %v", res.body, err)
	}
	return p
}

func names(ps []presenceEntry) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// TestPresenceAcrossInstances is the goal "a second editor opening a
// story sees the first, on another instance too", by HTTP: the editor on
// instance one opens a story; the admin opening it on instance two is
// shown the editor holding the lock as the page loads; the editor's next
// heartbeat names the admin. Entries past their time are gone. The admin
// takes the lock over, and the editor's next heartbeat says so. A
// writer's own draft is only for them and editors.
func TestPresenceAcrossInstances(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		one := newFixture(t, st)
		two := one.instance(t, dsn)
		e := one.draft(t, "contributor", "Harbour strike ends")
		path := "/admin/articles/" + itoa(e.Article.ID)
		ed, adm := one.as(t, "editor"), two.as(t, "admin")

		page := ed.get(path).body
		if !strings.Contains(page, "Nobody else has this story open.") || !strings.Contains(page, `id="presence-lock" role="alert" hidden`) {
			t.Fatalf("the first editor's page:\n%s", page)
		}
		page = adm.get(path).body
		if !strings.Contains(page, "Also in this story: Editor Person (since ") ||
			!strings.Contains(page, `<span id="presence-holder">Editor Person</span> is editing this story since`) ||
			strings.Contains(page, `id="presence-take" hidden`) {
			t.Fatalf("the second editor's page, on the other instance, does not show the first holding the lock:\n%s", page)
		}
		// One heartbeat later the first sees the second.
		p := ed.beat(t, path)
		if !p.Mine || p.Holder != "" || len(p.Others) != 1 || p.Others[0].Name != "Admin Person" {
			t.Fatalf("the first editor's next heartbeat: %+v; want the lock theirs, Admin Person seen", p)
		}
		if p := adm.beat(t, path); p.Mine || p.Holder != "Editor Person" || !p.CanTake {
			t.Fatalf("the second's heartbeat: %+v", p)
		}

		// The writer of the draft sees both; an unrelated writer may not
		// look in.
		if p := one.as(t, "contributor").beat(t, path); len(p.Others) != 2 || p.Holder != "Editor Person" || p.CanTake {
			t.Errorf("the writer's heartbeat: %+v; want both editors, no take-over", p)
		}
		if res := one.as(t, "other").post(path+"/presence", url.Values{"beat": {"1"}}); res.status != http.StatusForbidden {
			t.Errorf("another writer's heartbeat on the draft: %d, want 403", res.status)
		}

		// Take-over: the admin takes it; the editor is told.
		if res := adm.post(path+"/lock", nil); res.status != http.StatusOK || !strings.Contains(res.body, `value="yes"`) {
			t.Fatalf("take over without confirming: %d, want the question", res.status)
		}
		if res := adm.post(path+"/lock", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("take over: %d\n%s", res.status, res.body)
		}
		p = ed.beat(t, path)
		if p.Mine || p.TakenBy != "Admin Person" || p.Holder != "Admin Person" {
			t.Fatalf("the editor after the take-over: %+v; want told Admin Person took it", p)
		}
		if !strings.Contains(adm.get(path).body, `id="presence-lock" role="alert" hidden`) {
			t.Error("the taker's page still says someone else is editing")
		}
		if log, _ := st.AuditLog(ctx, store.AuditFilter{Target: "article " + itoa(e.Article.ID), Actions: []string{"lock.take"}}); len(log) != 1 ||
			log[0].UserName != "Admin Person" || !strings.Contains(log[0].Detail, "Editor Person") {
			t.Errorf("the audit log of the take-over: %+v", log)
		}
		// A writer may not take a lock over.
		if res := one.as(t, "contributor").post(path+"/lock", url.Values{"confirm": {"yes"}}); res.status != http.StatusForbidden {
			t.Errorf("a writer takes the lock: %d, want 403", res.status)
		}

		// Expiry: entries not renewed within the time to live are gone.
		raw := storetest.RawDB(t, dsn)
		if _, err := raw.Exec(`UPDATE editing_presence SET seen_at = seen_at - $1`, news.PresenceTTL.Microseconds()+1_000_000); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`UPDATE edit_locks SET seen_at = seen_at - $1`, news.PresenceTTL.Microseconds()+1_000_000); err != nil {
			t.Fatal(err)
		}
		if p := ed.beat(t, path); len(p.Others) != 0 || !p.Mine || p.TakenBy != "" {
			t.Errorf("after everyone else went quiet: %+v; want nobody else, the lock the editor's again", p)
		}
		// Leaving frees the lock at once.
		if res := ed.post(path+"/presence", url.Values{"leave": {"1"}}); res.status != http.StatusOK {
			t.Fatalf("leave: %d", res.status)
		}
		if p := adm.beat(t, path); !p.Mine || len(names(p.Others)) != 0 {
			t.Errorf("the admin after the editor left: %+v", p)
		}
	})
}

// Logging out ends the account's presence and frees its locks at once:
// an editor who opened a story and logged out is not shown to the next
// one as editing it (whose page would then ask "Save anyway?" before
// every save for a few seconds), also when the page's own leave message
// did not arrive.
func TestLogoutLeavesEveryStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a := f.draft(t, "contributor", "Harbour strike ends")
		b := f.draft(t, "contributor", "Ferry timetable changes")
		ed, adm := f.as(t, "editor"), f.as(t, "admin")
		for _, e := range []*news.Editorial{a, b} {
			ed.beat(t, "/admin/articles/"+itoa(e.Article.ID))
		}
		if p := adm.beat(t, "/admin/articles/"+itoa(a.Article.ID)); p.Holder != "Editor Person" {
			t.Fatalf("before the logout: %+v; want the editor holding the lock", p)
		}
		if res := ed.post("/admin/logout", nil); res.status != http.StatusSeeOther {
			t.Fatalf("logout: %d", res.status)
		}
		for _, e := range []*news.Editorial{a, b} {
			if p := adm.beat(t, "/admin/articles/"+itoa(e.Article.ID)); !p.Mine || p.Holder != "" || len(p.Others) != 0 {
				t.Errorf("%q after the editor logged out: %+v; want nobody else, the lock the admin's", e.Article.Headline, p)
			}
		}
	})
}
