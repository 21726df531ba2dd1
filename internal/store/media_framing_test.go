package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestPhotoFraming(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		m := news.Media{Hash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", Type: "image/jpeg", Size: 10, Width: 1600, Height: 1067}
		if err := s.SaveMedia(ctx, &m); err != nil {
			t.Fatal(err)
		}
		// A photo stored without a framing has the default one.
		p, err := s.LibraryPhoto(ctx, m.ID)
		if err != nil || p.Media.Framing != (news.Framing{}) {
			t.Fatalf("new photo: %+v, %v; want the zero framing", p.Media.Framing, err)
		}
		var lead *news.Article
		err = s.InTx(ctx, func(tx *store.Store) error {
			sec, err := tx.EnsureSectionPath(ctx, "news")
			if err != nil {
				return err
			}
			lead = &news.Article{Headline: "Lead", Slug: "lead", Section: sec, Status: news.Published, PublishedAt: time.Now(),
				Body: "b", BodyHTML: "<p>b</p>", Photo: &news.Photo{Media: m, Alt: "a"}}
			return tx.SaveArticle(ctx, lead)
		})
		if err != nil {
			t.Fatal(err)
		}
		before, _, err := s.RecentChanges(ctx)
		if err != nil {
			t.Fatal(err)
		}

		var f news.Framing
		f.SetFocus(news.Point{X: 0.2, Y: 0.75})
		f.SetCrop(news.Square, news.Rect{X: 100, Y: 0, W: 1067, H: 1067})
		if err := s.SetPhotoFraming(ctx, m.ID, f); err != nil {
			t.Fatal(err)
		}
		p, err = s.LibraryPhoto(ctx, m.ID)
		if err != nil || p.Media.Framing != f {
			t.Errorf("LibraryPhoto: framing %+v, %v; want %+v", p.Media.Framing, err, f)
		}
		if p, err := s.PhotoByHash(ctx, m.Hash); err != nil || p.Media.Framing != f {
			t.Errorf("PhotoByHash: framing %+v, %v; want %+v", p.Media.Framing, err, f)
		}
		list, err := s.ArticlesByIDs(ctx, store.Cards, []int64{lead.ID})
		if err != nil || len(list) != 1 || list[0].Photo == nil || list[0].Photo.Media.Framing != f {
			t.Fatalf("the article's lead photo does not carry the framing: %v, %v", list, err)
		}
		if got, want := list[0].Photo.Media.Crop(news.Square), (news.Rect{X: 100, Y: 0, W: 1067, H: 1067}); got != want {
			t.Errorf("square crop = %v, want the drawn %v", got, want)
		}
		if got, want := list[0].Photo.Media.Crop(news.Wide), news.SuggestCrop(news.Wide, 1600, 1067, news.Point{X: 0.2, Y: 0.75}); got != want {
			t.Errorf("16:9 crop = %v, want the suggestion %v", got, want)
		}
		// The change names the article that leads with the photo, so
		// its pages and the lists that show its card are purged.
		changes, err := s.ChangesSince(ctx, before, 10)
		if err != nil || len(changes) != 1 || !slices.Contains(changes[0].Keys, news.ArticleKey(lead.ID)) {
			t.Errorf("changes after the framing: %+v, %v; want one naming %s", changes, err, news.ArticleKey(lead.ID))
		}

		// Bad framings are refused with the field named, and change nothing.
		for _, c := range []struct {
			name  string
			f     func(*news.Framing)
			field string
		}{
			{"focus outside", func(g *news.Framing) { g.SetFocus(news.Point{X: 1.01, Y: 0}) }, "focus_x"},
			{"crop outside", func(g *news.Framing) { g.SetCrop(news.Wide, news.Rect{X: 1, Y: 0, W: 1600, H: 900}) }, "crop_16x9"},
			{"wrong shape", func(g *news.Framing) { g.SetCrop(news.Standard, news.Rect{W: 400, H: 400}) }, "crop_4x3"},
			{"empty", func(g *news.Framing) { g.SetCrop(news.Square, news.Rect{X: 3, Y: 3}) }, "crop_1x1"},
		} {
			g := f
			c.f(&g)
			err := s.SetPhotoFraming(ctx, m.ID, g)
			if e, ok := err.(*news.Error); !ok || e.Code != news.EINVALID || e.Field != c.field {
				t.Errorf("%s: %v; want EINVALID on %s", c.name, err, c.field)
			}
			if p, _ := s.LibraryPhoto(ctx, m.ID); p.Media.Framing != f {
				t.Errorf("%s: the framing changed to %+v", c.name, p.Media.Framing)
			}
		}
		if err := s.SetPhotoFraming(ctx, m.ID+1000, f); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("framing a missing photo: %v, want ENOTFOUND", err)
		}
		// Back to the default.
		if err := s.SetPhotoFraming(ctx, m.ID, news.Framing{}); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.LibraryPhoto(ctx, m.ID); p.Media.Framing != (news.Framing{}) {
			t.Errorf("after clearing: %+v", p.Media.Framing)
		}
	})
}
