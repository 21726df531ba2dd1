package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestLiveCoverageAndUpdates covers a live story's coverage and updates:
// start and end, add, edit, pin, delete, the page's order (pinned first,
// then newest first), and a change naming the story's page on each write.
func TestLiveCoverageAndUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newArticle(t, s, "news", "Earthquake", time.Now(), nil, nil)
		if _, err := s.Coverage(ctx, a.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Fatalf("coverage of a story never live: got %v, want ENOTFOUND", err)
		}
		start := time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)
		if err := s.StartCoverage(ctx, a.ID, start); err != nil {
			t.Fatal(err)
		}
		c, err := s.Coverage(ctx, a.ID)
		if err != nil || !c.Live() || !c.Started.Equal(start) {
			t.Fatalf("coverage: got %+v, %v; want live since %v", c, err, start)
		}

		var ids []int64
		for i, body := range []string{"first", "second", "third"} {
			u := &news.LiveUpdate{ArticleID: a.ID, Body: body, BodyHTML: "<p>" + body + "</p>", Byline: "Ana",
				Created: start.Add(time.Duration(i) * time.Minute)}
			before, _ := s.LastChange(ctx)
			if err := s.AddLiveUpdate(ctx, u); err != nil {
				t.Fatal(err)
			}
			if u.ID == 0 {
				t.Fatal("AddLiveUpdate left the ID 0")
			}
			ids = append(ids, u.ID)
			changes, err := s.ChangesSince(ctx, before, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != 1 || !slices.Contains(changes[0].Keys, news.ArticleKey(a.ID)) {
				t.Errorf("changes after update %q: got %+v, want one naming %s", body, changes, news.ArticleKey(a.ID))
			}
		}
		order := func() []string {
			t.Helper()
			us, err := s.LiveUpdates(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range us {
				out = append(out, u.Body)
			}
			return out
		}
		if got, want := order(), []string{"third", "second", "first"}; !slices.Equal(got, want) {
			t.Errorf("order: got %q, want %q (newest first)", got, want)
		}
		if err := s.PinLiveUpdate(ctx, ids[0], true); err != nil {
			t.Fatal(err)
		}
		if got, want := order(), []string{"first", "third", "second"}; !slices.Equal(got, want) {
			t.Errorf("order with the first pinned: got %q, want %q", got, want)
		}
		if u, err := s.LiveUpdate(ctx, ids[0]); err != nil || !u.Pinned || !u.Updated.Equal(u.Created) {
			t.Errorf("pinned update: got %+v, %v; want pinned, its updated time unchanged", u, err)
		}
		if err := s.EditLiveUpdate(ctx, ids[1], "second, corrected", "<p>second, corrected</p>", "", start.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		u, err := s.LiveUpdate(ctx, ids[1])
		if err != nil || u.Body != "second, corrected" || u.BodyHTML != "<p>second, corrected</p>" || u.Byline != "" ||
			!u.Updated.Equal(start.Add(time.Hour)) || !u.Created.Equal(start.Add(time.Minute)) {
			t.Errorf("edited update: got %+v, %v", u, err)
		}
		before, _ := s.LastChange(ctx)
		if err := s.DeleteLiveUpdate(ctx, ids[2], start.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if after, _ := s.LastChange(ctx); after <= before {
			t.Error("deleting an update recorded no change")
		}
		if got, want := order(), []string{"first", "second, corrected"}; !slices.Equal(got, want) {
			t.Errorf("order after deleting the third: got %q, want %q", got, want)
		}
		if err := s.EditLiveUpdate(ctx, ids[2], "back", "<p>back</p>", "", start); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("editing a deleted update: got %v, want ENOTFOUND", err)
		}
		if err := s.PinLiveUpdate(ctx, ids[0], false); err != nil {
			t.Fatal(err)
		}
		if got, want := order(), []string{"second, corrected", "first"}; !slices.Equal(got, want) {
			t.Errorf("order after unpinning: got %q, want %q", got, want)
		}

		end := start.Add(5 * time.Hour)
		if err := s.EndCoverage(ctx, a.ID, end); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Coverage(ctx, a.ID); c.Live() || !c.Ended.Equal(end) {
			t.Errorf("ended coverage: got %+v", c)
		}
		if err := s.EndCoverage(ctx, a.ID, end); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("ending twice: got %v, want ECONFLICT", err)
		}
		// Started again, it goes on from its first start.
		if err := s.StartCoverage(ctx, a.ID, end.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Coverage(ctx, a.ID); !c.Live() || !c.Started.Equal(start) {
			t.Errorf("restarted coverage: got %+v, want live since %v", c, start)
		}
	})
}
