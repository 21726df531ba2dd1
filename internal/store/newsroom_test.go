package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func newUser(t *testing.T, s *store.Store, email string, role news.Role) *news.User {
	t.Helper()
	u := &news.User{Email: email, Name: "User " + email, Role: role, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$x$y"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsersAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if n, err := s.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("CountUsers on an empty database: %d, %v", n, err)
		}
		u := newUser(t, s, "Ana@Example.org ", news.Editor)
		if u.Email != "ana@example.org" {
			t.Errorf("email: got %q, want it normalised", u.Email)
		}
		dup := &news.User{Email: "ANA@example.org", Name: "Other", Role: news.Admin, PasswordHash: "h"}
		if err := s.CreateUser(ctx, dup); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("second account with the same address: got %v, want a conflict", err)
		}
		if got, err := s.UserByEmail(ctx, "ANA@EXAMPLE.ORG"); err != nil || got.ID != u.ID || got.Role != news.Editor {
			t.Errorf("UserByEmail: got %+v, %v", got, err)
		}
		now := time.Now()
		sess := &news.Session{UserID: u.ID, ExpiresAt: now.Add(time.Hour), Address: "192.0.2.1", UserAgent: "test"}
		if err := s.CreateSession(ctx, "hash-1", sess); err != nil {
			t.Fatal(err)
		}
		other := &news.Session{UserID: u.ID, ExpiresAt: now.Add(time.Hour)}
		if err := s.CreateSession(ctx, "hash-2", other); err != nil {
			t.Fatal(err)
		}
		if got, _, err := s.SessionUser(ctx, "hash-1", now, time.Hour); err != nil || got.ID != u.ID {
			t.Errorf("SessionUser: got %+v, %v", got, err)
		}
		if _, _, err := s.SessionUser(ctx, "hash-1", now.Add(2*time.Hour), 24*time.Hour); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("an expired session: got %v, want not found", err)
		}
		if _, _, err := s.SessionUser(ctx, "hash-1", now.Add(30*time.Minute), time.Minute); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("an idle session: got %v, want not found", err)
		}
		if list, err := s.Sessions(ctx, u.ID); err != nil || len(list) != 2 {
			t.Errorf("Sessions: got %d, %v; want 2", len(list), err)
		}
		stranger := newUser(t, s, "cy@example.org", news.Contributor)
		if err := s.DeleteSession(ctx, stranger.ID, other.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("ending someone else's session: got %v, want not found", err)
		}
		if err := s.DeleteSession(ctx, u.ID, other.ID); err != nil {
			t.Fatal(err)
		}
		u.Disabled = true
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, "hash-1", now, time.Hour); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a disabled account's session: got %v, want not found", err)
		}
		u.Disabled = false
		s.UpdateUser(ctx, u)
		if err := s.SetPassword(ctx, u.ID, "new-hash"); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Sessions(ctx, u.ID); len(list) != 0 {
			t.Errorf("after a password change: %d sessions left, want 0", len(list))
		}
	})
}

func TestInvitationIsUsedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Now()
		inv := &news.Invitation{Role: news.Contributor, ExpiresAt: now.Add(time.Hour)}
		if err := s.CreateInvitation(ctx, "tok", inv); err != nil {
			t.Fatal(err)
		}
		got, err := s.InvitationByToken(ctx, "tok", now)
		if err != nil || got.ID != inv.ID || got.Role != news.Contributor {
			t.Fatalf("InvitationByToken: %+v, %v", got, err)
		}
		if _, err := s.InvitationByToken(ctx, "tok", now.Add(2*time.Hour)); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("an expired invitation: got %v", err)
		}
		u := newUser(t, s, "new@example.org", news.Contributor)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { errs[i] = s.UseInvitation(ctx, inv.ID, u.ID, now) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if news.ErrorCode(err) != news.ENOTFOUND {
				t.Errorf("UseInvitation: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("four uses at once: %d succeeded, want exactly 1", ok)
		}
	})
}

// newDraft saves a new article through the newsroom's path.
func newDraft(t *testing.T, s *store.Store, u *news.User, path, headline, body string) *news.Editorial {
	t.Helper()
	sec, err := s.EnsureSectionPath(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	e := &news.Editorial{Article: &news.Article{Headline: headline, Slug: news.Slugify(headline), Section: sec, Body: body, Status: news.Draft},
		CreatedBy: u.ID}
	err = s.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.SaveEditorial(ctx, e, store.Save{UserID: u.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// edit saves a change of body from a base revision.
func edit(t *testing.T, s *store.Store, u *news.User, id int64, base int, body string) *news.Revision {
	t.Helper()
	e, err := s.Editorial(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	e.Article.Body = body
	var rev *news.Revision
	err = s.InTx(ctx, func(tx *store.Store) error {
		rev, err = tx.SaveEditorial(ctx, e, store.Save{UserID: u.ID, Base: base})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func TestRevisionsAndConflicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ana := newUser(t, s, "ana@example.org", news.Contributor)
		ben := newUser(t, s, "ben@example.org", news.Editor)
		e := newDraft(t, s, ana, "news", "Bridge closes for repairs", "First text.")
		if e.Revision != 1 {
			t.Fatalf("a new article: revision %d, want 1", e.Revision)
		}
		if r := edit(t, s, ben, e.Article.ID, 1, "Ben's text."); r.Kind != news.SavedRevision || r.Number != 2 {
			t.Fatalf("a save from the current revision: got %+v", r)
		}
		// Ana still has revision 1 open: her save is kept, not applied.
		r := edit(t, s, ana, e.Article.ID, 1, "Ana's late text.")
		if r.Kind != news.ConflictRevision || r.Number != 3 {
			t.Fatalf("a save from an old revision: got kind %s number %d, want a conflict revision 3", r.Kind, r.Number)
		}
		cur, _ := s.Editorial(ctx, e.Article.ID)
		if cur.Article.Body != "Ben's text." || cur.Revision != 2 {
			t.Errorf("after the refused save: body %q revision %d, want Ben's text at 2", cur.Article.Body, cur.Revision)
		}
		kept, err := s.Revision(ctx, e.Article.ID, 3)
		if err != nil || kept.Content.Body != "Ana's late text." || kept.UserName != ana.Name {
			t.Errorf("the refused text: got %+v, %v; want it kept with her name", kept, err)
		}
		list, _ := s.Revisions(ctx, e.Article.ID)
		if len(list) != 3 || list[0].Number != 3 || list[2].UserID != ana.ID {
			t.Errorf("history: %d revisions, want 3 newest first", len(list))
		}
		// The next save from the current revision goes in as 4.
		if r := edit(t, s, ana, e.Article.ID, 2, "Merged."); r.Number != 4 || r.Kind != news.SavedRevision {
			t.Errorf("save after the conflict: got %+v", r)
		}
	})
}

func TestConcurrentSavesFromOneBase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "ana@example.org", news.Editor)
		e := newDraft(t, s, u, "news", "Storm warning", "v1")
		const n = 6
		kinds := make([]news.RevisionKind, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				ed, err := s.Editorial(ctx, e.Article.ID)
				if err != nil {
					t.Error(err)
					return
				}
				ed.Article.Body = "writer " + itoa(i)
				err = s.InTx(ctx, func(tx *store.Store) error {
					r, err := tx.SaveEditorial(ctx, ed, store.Save{UserID: u.ID, Base: 1})
					if r != nil {
						kinds[i] = r.Kind
					}
					return err
				})
				var ne *news.Error
				if err != nil && !(errors.As(err, &ne) && ne.Code == news.ECONFLICT) {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		applied := 0
		for _, k := range kinds {
			if k == news.SavedRevision {
				applied++
			}
		}
		if applied != 1 {
			t.Errorf("%d saves from one base at once: %d applied (%v), want exactly 1", n, applied, kinds)
		}
	})
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestWorkflowAndScheduler(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "ed@example.org", news.Editor)
		e := newDraft(t, s, u, "news/world", "Ferries return", "Text.")
		id := e.Article.ID
		now := time.Now().UTC().Truncate(time.Microsecond)
		if err := s.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Scheduled, At: now, PublishAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Published, At: now}); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("publishing from a stale status: got %v, want a conflict", err)
		}
		if ids, err := s.PublishDue(ctx, now); err != nil || len(ids) != 0 {
			t.Errorf("before its time: published %v, %v", ids, err)
		}
		// Four schedulers (two instances, twice) race for the due article.
		later := now.Add(2 * time.Hour)
		var mu sync.Mutex
		var got []int64
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				ids, err := s.PublishDue(ctx, later)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				got = append(got, ids...)
				mu.Unlock()
			})
		}
		wg.Wait()
		if len(got) != 1 || got[0] != id {
			t.Errorf("racing schedulers published %v, want [%d] once", got, id)
		}
		a, _ := s.ArticleByID(ctx, id)
		if a.Status != news.Published || !a.PublishedAt.Equal(later) {
			t.Errorf("after the scheduler: status %s published %v, want published at %v", a.Status, a.PublishedAt, later)
		}
		audit, _ := s.AuditLog(ctx, store.AuditFilter{Actions: []string{"publish"}})
		if len(audit) != 1 || audit[0].Detail != "scheduled" {
			t.Errorf("audit: got %+v, want one scheduled publish", audit)
		}
		// Unpublish and publish again: the first publication time stays.
		if err := s.MoveArticle(ctx, id, store.Move{From: news.Published, To: news.Draft, At: later}); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Published, At: later.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		a, _ = s.ArticleByID(ctx, id)
		if !a.PublishedAt.Equal(later) {
			t.Errorf("republished: published at %v, want the first time %v", a.PublishedAt, later)
		}
		if err := s.MoveArticle(ctx, id, store.Move{From: news.Published, To: news.Review, At: later}); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("published -> review: got %v, want refused", err)
		}
	})
}

func TestRedirects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "ed@example.org", news.Editor)
		e := newDraft(t, s, u, "news/world", "Dam opens", "Text.")
		id := e.Article.ID
		now := time.Now()
		if err := s.MoveArticle(ctx, id, store.Move{From: news.Draft, To: news.Published, At: now}); err != nil {
			t.Fatal(err)
		}
		// New slug and new section.
		cur, _ := s.Editorial(ctx, id)
		cur.Article.Slug = "dam-opens-early"
		biz, _ := s.EnsureSectionPath(ctx, "business")
		cur.Article.Section = biz
		if err := s.InTx(ctx, func(tx *store.Store) error {
			_, err := tx.SaveEditorial(ctx, cur, store.Save{UserID: u.ID, Base: cur.Revision})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if to, err := s.Redirect(ctx, "/news/world/dam-opens"); err != nil || to != "/business/dam-opens-early" {
			t.Errorf("old address: got %q, %v", to, err)
		}
		// Move business under news: the article moves with it, and both of
		// its old addresses lead to the newest.
		biz.ParentID = cur.Article.Section.ParentID
		news1, _ := s.SectionByPath(ctx, "news")
		biz.ParentID = news1.ID
		biz.Name = "Business"
		if err := s.EditSection(ctx, &biz); err != nil {
			t.Fatal(err)
		}
		for from, want := range map[string]string{
			"/news/world/dam-opens":     "/news/business/dam-opens-early",
			"/business/dam-opens-early": "/news/business/dam-opens-early",
			"/business/":                "/news/business/",
		} {
			if to, err := s.Redirect(ctx, from); err != nil || to != want {
				t.Errorf("Redirect(%s): got %q, %v; want %s", from, to, err, want)
			}
		}
		if _, err := s.Redirect(ctx, "/nowhere/x"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("unknown address: got %v", err)
		}
		// Moving a section into its own subtree is refused.
		news1.ParentID = biz.ID
		if err := s.EditSection(ctx, &news1); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("a section into its own child: got %v, want invalid", err)
		}
		// An unpublished article's old address leads nowhere.
		s.MoveArticle(ctx, id, store.Move{From: news.Published, To: news.Draft, At: now})
		if _, err := s.Redirect(ctx, "/news/world/dam-opens"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("redirect to an unpublished article: got %v, want not found", err)
		}
	})
}

func TestSectionOrderAndTopStories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, p := range []string{"news", "sport", "culture"} {
			s.EnsureSectionPath(ctx, p)
		}
		culture, _ := s.SectionByPath(ctx, "culture")
		if err := s.MoveSectionBy(ctx, culture.ID, -1); err != nil {
			t.Fatal(err)
		}
		all, _ := s.Sections(ctx)
		var got []string
		for _, x := range all {
			got = append(got, x.Path)
		}
		if len(got) != 3 || got[1] != "culture" {
			t.Errorf("after moving culture up: %v", got)
		}
		u := newUser(t, s, "ed@example.org", news.Editor)
		a := newDraft(t, s, u, "news", "One", "x")
		b := newDraft(t, s, u, "news", "Two", "x")
		if err := s.SetTopStories(ctx, []int64{b.Article.ID, a.Article.ID, b.Article.ID}); err != nil {
			t.Fatal(err)
		}
		ids, _ := s.TopStoryIDs(ctx)
		if len(ids) != 2 || ids[0] != b.Article.ID || ids[1] != a.Article.ID {
			t.Errorf("top stories: got %v", ids)
		}
		if err := s.SetTopStories(ctx, []int64{a.Article.ID, 99999}); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a missing article: got %v, want not found", err)
		}
	})
}

func TestAutosaveAndLibrary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "ana@example.org", news.Contributor)
		for i, body := range []string{"first", "second"} {
			if err := s.SaveAutosave(ctx, &news.Autosave{UserID: u.ID, Token: "page-1", Seq: int64(i + 1), Content: news.RevisionContent{Headline: "H", Body: body}}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Autosave(ctx, u.ID, 0, "page-1")
		if err != nil || got.Content.Body != "second" {
			t.Errorf("autosave: got %+v, %v; want the second", got, err)
		}
		s.DeleteAutosave(ctx, u.ID, 0, "page-1")
		if _, err := s.Autosave(ctx, u.ID, 0, "page-1"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("after discarding: %v", err)
		}

		m := news.Media{Hash: "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", Type: "image/jpeg", Size: 10, Width: 640, Height: 480}
		if err := s.SaveMedia(ctx, &m); err != nil {
			t.Fatal(err)
		}
		s.FillPhotoDefaults(ctx, m.ID, "A quay", "Caption one", "AFP")
		s.FillPhotoDefaults(ctx, m.ID, "Other", "Other", "Other")
		p, err := s.LibraryPhoto(ctx, m.ID)
		if err != nil || p.Alt != "A quay" || p.Credit != "AFP" {
			t.Errorf("defaults: got %+v, %v; want the first words kept", p, err)
		}
		e := newDraft(t, s, u, "news", "With photo", "![x](/media/ab/"+m.Hash+"-640.jpg)")
		uses, err := s.PhotoUses(ctx, m, news.EveryArticle())
		if err != nil || len(uses) != 1 || uses[0].Article.ID != e.Article.ID {
			t.Errorf("uses: got %d, %v; want the article using it in its body", len(uses), err)
		}
		// Only the articles the reader may see: the writer's own, and none
		// for another writer or a scope never set.
		for _, c := range []struct {
			name  string
			scope news.ArticleScope
			want  int
		}{{"its writer", news.WriterArticles(u.ID), 1}, {"another writer", news.WriterArticles(u.ID + 1000), 0}, {"no scope", news.ArticleScope{}, 0}} {
			if uses, err := s.PhotoUses(ctx, m, c.scope); err != nil || len(uses) != c.want {
				t.Errorf("uses for %s: got %d, %v; want %d", c.name, len(uses), err, c.want)
			}
		}
	})
}

// TestAutosaveDrafts: autosaves are kept per editor page (draft token); a
// late one cannot replace a newer one of its page, and none is kept once
// the page's text was saved.
func TestAutosaveDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "ana@example.org", news.Contributor)
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		put := func(article int64, token string, seq int64, body string, at time.Time) error {
			return s.SaveAutosave(ctx, &news.Autosave{UserID: u.ID, ArticleID: article, Token: token, Seq: seq, At: at, Content: news.RevisionContent{Body: body}})
		}
		body := func(article int64, token string) string {
			a, err := s.Autosave(ctx, u.ID, article, token)
			if err != nil {
				return "(" + err.Error() + ")"
			}
			return a.Content.Body
		}
		// Out of order: seq 2 arrives before seq 1.
		put(7, "a", 2, "newer", t0.Add(2*time.Second))
		if err := put(7, "a", 1, "older", t0.Add(3*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := body(7, "a"); got != "newer" {
			t.Errorf("after a late, older autosave: %q, want newer", got)
		}
		// Two new stories are two drafts; saving one leaves the other.
		put(0, "story-1", 1, "first story", t0)
		put(0, "story-2", 1, "second story", t0.Add(time.Second))
		if err := s.CloseAutosave(ctx, u.ID, 0, "story-2", t0.Add(5*time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := put(0, "story-2", 2, "second story, late", t0.Add(6*time.Second)); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("an autosave after its page was saved: %v, want a conflict", err)
		}
		if latest, err := s.LatestAutosave(ctx, u.ID, 0); err != nil || latest.Token != "story-1" {
			t.Errorf("the new stories left: %+v, %v; want story-1 only", latest, err)
		}
		// A save of an article supersedes the writer's older autosaves of
		// it from other pages, not newer ones.
		put(7, "b", 1, "other tab, newer", t0.Add(20*time.Second))
		if err := s.CloseAutosave(ctx, u.ID, 7, "c", t0.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := body(7, "a"); got != "(no autosave)" {
			t.Errorf("an older autosave of another page after a save: %q, want none", got)
		}
		if got := body(7, "b"); got != "other tab, newer" {
			t.Errorf("a newer autosave of another page after a save: %q", got)
		}
		// Closed tokens are forgotten after a day, at the writer's next save.
		if err := s.CloseAutosave(ctx, u.ID, 8, "d", t0.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := put(0, "story-2", 3, "long after", t0.Add(49*time.Hour)); err != nil {
			t.Errorf("a token closed two days ago still refuses: %v", err)
		}
	})
}
