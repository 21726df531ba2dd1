package store_test

import (
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestPreviewLinks: a link is found by its token's hash whether open or
// not, counts its uses, is listed with its maker's name, is revoked once
// and only through its own article.
func TestPreviewLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ed := newUser(t, s, "ed@example.org", news.Editor)
		a := newArticle(t, s, "news", "Harbour reopens", time.Now().Add(-time.Hour), nil, nil)
		b := newArticle(t, s, "news", "Another story", time.Now().Add(-time.Hour), nil, nil)
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		l := &news.PreviewLink{ArticleID: a.ID, Note: "for the lawyer", CreatedBy: ed.ID, CreatedAt: now, ExpiresAt: now.Add(7 * 24 * time.Hour)}
		if err := s.CreatePreviewLink(ctx, "hash-a", l); err != nil {
			t.Fatal(err)
		}
		if l.ID == 0 {
			t.Fatal("CreatePreviewLink set no ID")
		}
		old := &news.PreviewLink{ArticleID: a.ID, CreatedBy: ed.ID, CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(-time.Minute)}
		if err := s.CreatePreviewLink(ctx, "hash-old", old); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePreviewLink(ctx, "hash-a", &news.PreviewLink{ArticleID: b.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err == nil {
			t.Error("a second link under the same token hash was stored")
		}

		got, err := s.PreviewLinkByToken(ctx, "hash-a")
		if err != nil || got.ID != l.ID || got.ArticleID != a.ID || got.Note != "for the lawyer" || got.CreatorName != ed.Name ||
			!got.CreatedAt.Equal(now) || !got.ExpiresAt.Equal(l.ExpiresAt) || got.State(now) != news.PreviewOpen {
			t.Fatalf("PreviewLinkByToken: %+v, %v", got, err)
		}
		if got, err := s.PreviewLinkByToken(ctx, "hash-old"); err != nil || got.State(now) != news.PreviewExpired {
			t.Errorf("an expired link: %+v, %v; want it found, expired", got, err)
		}
		if _, err := s.PreviewLinkByToken(ctx, "hash-b"); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("an unknown hash: %v, want not found", err)
		}

		for i := range 3 {
			if err := s.UsePreviewLink(ctx, l.ID, now.Add(time.Duration(i+1)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		got, _ = s.PreviewLinkByToken(ctx, "hash-a")
		if got.Uses != 3 || !got.LastUsedAt.Equal(now.Add(3*time.Minute)) {
			t.Errorf("after three uses: %d uses, last %v", got.Uses, got.LastUsedAt)
		}

		list, err := s.PreviewLinks(ctx, a.ID)
		if err != nil || len(list) != 2 || list[0].ID != l.ID || list[1].ID != old.ID {
			t.Fatalf("PreviewLinks: %v, %v; want the two links, newest first", list, err)
		}
		if list, err := s.PreviewLinks(ctx, b.ID); err != nil || len(list) != 0 {
			t.Errorf("another article's links: %v, %v", list, err)
		}

		if err := s.RevokePreviewLink(ctx, b.ID, l.ID, ed.ID, now); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("revoking through another article: %v, want not found", err)
		}
		if err := s.RevokePreviewLink(ctx, a.ID, l.ID, ed.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokePreviewLink(ctx, a.ID, l.ID, ed.ID, now.Add(2*time.Hour)); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("revoking twice: %v, want not found", err)
		}
		got, _ = s.PreviewLinkByToken(ctx, "hash-a")
		if got.State(now) != news.PreviewRevoked || !got.RevokedAt.Equal(now.Add(time.Hour)) || got.RevokedBy != ed.ID {
			t.Errorf("after revoking: %+v", got)
		}

	})
}
