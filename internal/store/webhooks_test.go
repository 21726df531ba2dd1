package store_test

import (
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// addEndpoint registers an endpoint for events, failing the test on an
// error.
func addEndpoint(t *testing.T, s *store.Store, events ...string) *news.WebhookEndpoint {
	t.Helper()
	e := &news.WebhookEndpoint{URL: "https://hooks.example.com/newsdesk", Events: events, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
	if err := s.CreateWebhookEndpoint(ctx, e); err != nil {
		t.Fatal(err)
	}
	return e
}

// outbox returns the types of the events queued for endpoint id, oldest
// first.
func outbox(t *testing.T, s *store.Store, id int64) []string {
	t.Helper()
	list, err := s.WebhookDeliveries(ctx, id, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range slices.Backward(list) {
		out = append(out, d.EventType)
	}
	return out
}

// TestWebhookEvents: each change queues the event its before and after
// say, for the endpoints that subscribe to it, and nothing for the rest.
func TestWebhookEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		all := addEndpoint(t, s, news.WebhookEvents...)
		pagesOnly := addEndpoint(t, s, news.EventPagePublished)
		off := addEndpoint(t, s, news.WebhookEvents...)
		off.Disabled = true
		if err := s.UpdateWebhookEndpoint(ctx, off); err != nil {
			t.Fatal(err)
		}

		a := newArticle(t, s, "news", "Ferry strike ends", t0, nil, nil) // published
		a.Headline = "Ferry strike ends after talks"
		if err := s.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a) }); err != nil {
			t.Fatal(err)
		}
		if err := s.InTx(ctx, func(tx *store.Store) error {
			return tx.AddCorrections(ctx, a.ID, []news.Correction{{At: t0.Add(time.Hour), Text: "The strike lasted three days, not four."}})
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveArticle(ctx, a.ID, store.Move{From: news.Published, To: news.Draft, At: t0.Add(2 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		// A draft's edits and corrections announce nothing.
		if err := s.InTx(ctx, func(tx *store.Store) error {
			return tx.AddCorrections(ctx, a.ID, []news.Correction{{At: t0.Add(3 * time.Hour), Text: "Unseen."}})
		}); err != nil {
			t.Fatal(err)
		}
		// The scheduler's publication.
		if err := s.MoveArticle(ctx, a.ID, store.Move{From: news.Draft, To: news.Scheduled, At: t0.Add(4 * time.Hour), PublishAt: t0.Add(5 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if ids, err := s.PublishDue(ctx, t0.Add(6*time.Hour)); err != nil || len(ids) != 1 {
			t.Fatalf("PublishDue: %v, %v", ids, err)
		}
		p := aboutPage(t0)
		savePage(t, s, p, "")
		p.Title = "About the newsroom"
		savePage(t, s, p, "")
		p.Status = news.Draft
		savePage(t, s, p, "")
		if err := s.SetSettings(ctx, map[string]string{news.SettingMirrors: "https://mirror.example.net", news.SettingName: "The Harbour"}); err != nil {
			t.Fatal(err)
		}
		// The same addresses again: no change.
		if err := s.SetSetting(ctx, news.SettingMirrors, "https://mirror.example.net"); err != nil {
			t.Fatal(err)
		}

		want := []string{news.EventArticlePublished, news.EventArticleUpdated, news.EventArticleCorrected, news.EventArticleUnpublished,
			news.EventArticlePublished, news.EventPagePublished, news.EventPageUpdated, news.EventPageUnpublished, news.EventAddressesChanged}
		if got := outbox(t, s, all.ID); !slices.Equal(got, want) {
			t.Errorf("events for the endpoint of every event:\n got %v\nwant %v", got, want)
		}
		if got := outbox(t, s, pagesOnly.ID); !slices.Equal(got, []string{news.EventPagePublished}) {
			t.Errorf("events for the endpoint of page.published: got %v", got)
		}
		if got := outbox(t, s, off.ID); len(got) != 0 {
			t.Errorf("a disabled endpoint was queued %v", got)
		}

		// The payload: Standard Webhooks' envelope, the story's path.
		list, err := s.WebhookDeliveries(ctx, all.ID, 500, 0)
		if err != nil {
			t.Fatal(err)
		}
		first := list[len(list)-1]
		var body struct {
			Type string `json:"type"`
			Data struct {
				ID       int64  `json:"id"`
				Headline string `json:"headline"`
				Path     string `json:"path"`
			} `json:"data"`
			Timestamp string `json:"timestamp"`
		}
		if err := json.Unmarshal(first.Payload, &body); err != nil {
			t.Fatalf("payload %s: %v", first.Payload, err)
		}
		if body.Type != news.EventArticlePublished || body.Data.ID != a.ID || body.Data.Path != "/news/ferry-strike-ends" || body.Timestamp == "" {
			t.Errorf("payload %s", first.Payload)
		}
		// The correction, under the names the description and docs give.
		for _, d := range list {
			if d.EventType != news.EventArticleCorrected {
				continue
			}
			var c struct {
				Data struct {
					Corrections []map[string]any `json:"corrections"`
				} `json:"data"`
			}
			if err := json.Unmarshal(d.Payload, &c); err != nil || len(c.Data.Corrections) != 1 ||
				c.Data.Corrections[0]["text"] != "The strike lasted three days, not four." || c.Data.Corrections[0]["at"] == nil {
				t.Errorf("article.corrected payload %s (%v)", d.Payload, err)
			}
		}
		if first.Status != news.DeliveryPending || first.EventID == "" || first.GiveUpAt.Sub(first.CreatedAt) != store.WebhookRetryWindow {
			t.Errorf("a new delivery: %+v", first)
		}
		// One event to two endpoints: one webhook-id.
		pl, _ := s.WebhookDeliveries(ctx, pagesOnly.ID, 1, 0)
		var same bool
		for _, d := range list {
			same = same || (d.EventType == news.EventPagePublished && d.EventID == pl[0].EventID)
		}
		if !same {
			t.Errorf("page.published went to two endpoints under different webhook-ids")
		}
	})
}

// TestWebhookOutboxInTheChangesTransaction: a change that fails leaves no
// delivery behind; one that commits leaves its delivery.
func TestWebhookOutboxInTheChangesTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		e := addEndpoint(t, s, news.EventArticleUpdated)
		a := newArticle(t, s, "news", "Ferry strike ends", t0, nil, nil)
		boom := errors.New("the rest of the change failed")
		err := s.InTx(ctx, func(tx *store.Store) error {
			a.Headline = "Changed, then rolled back"
			if err := tx.SaveArticle(ctx, a); err != nil {
				return err
			}
			if got := outbox(t, tx, e.ID); len(got) != 1 {
				t.Errorf("inside the change's transaction: %v, want its delivery", got)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
		if got := outbox(t, s, e.ID); len(got) != 0 {
			t.Errorf("a rolled-back change left deliveries %v", got)
		}
	})
}

// TestWebhookClaims: a claimed delivery is not claimed again until its
// claim lapses; an attempt is recorded only under the claim that made it;
// failure schedules a retry or gives up; a resend starts it over.
func TestWebhookClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Now().UTC()
		e := addEndpoint(t, s, news.EventArticlePublished)
		newArticle(t, s, "news", "Ferry strike ends", t0, nil, nil)
		hold := 30 * time.Second

		c, err := s.ClaimWebhookDelivery(ctx, t0.Add(time.Second), hold)
		if err != nil || c == nil {
			t.Fatalf("claim: %v, %v", c, err)
		}
		if c.URL != e.URL || !slices.Equal(c.Secrets, []string{e.Secret}) || c.Delivery.Attempts != 1 {
			t.Errorf("claim: %+v", c)
		}
		if again, err := s.ClaimWebhookDelivery(ctx, t0.Add(2*time.Second), hold); err != nil || again != nil {
			t.Errorf("claimed twice: %+v, %v", again, err)
		}
		// The instance died: past its claim, another takes it.
		late, err := s.ClaimWebhookDelivery(ctx, t0.Add(time.Second+hold), hold)
		if err != nil || late == nil || late.Delivery.ID != c.Delivery.ID || late.Delivery.Attempts != 2 {
			t.Fatalf("after the claim lapsed: %+v, %v", late, err)
		}
		// The first instance's attempt, made under the lapsed claim, does
		// not count.
		if ok, err := s.FinishWebhookDelivery(ctx, c, store.WebhookAttempt{At: t0, Status: 200, Delivered: true}); err != nil || ok {
			t.Errorf("finishing under a lapsed claim: %v, %v", ok, err)
		}
		retry := t0.Add(time.Minute)
		if ok, err := s.FinishWebhookDelivery(ctx, late, store.WebhookAttempt{At: t0, Status: 500, Answer: "oops", RetryAt: retry}); err != nil || !ok {
			t.Fatalf("finish: %v, %v", ok, err)
		}
		d, err := s.WebhookDelivery(ctx, c.Delivery.ID)
		if err != nil || d.Status != news.DeliveryPending || d.LastStatus != 500 || d.LastAnswer != "oops" || !d.NextAttemptAt.Equal(retry.Truncate(time.Microsecond)) {
			t.Errorf("after a 500: %+v, %v", d, err)
		}
		if c, _ := s.ClaimWebhookDelivery(ctx, retry.Add(-time.Second), hold); c != nil {
			t.Errorf("claimed before its retry time")
		}
		c, err = s.ClaimWebhookDelivery(ctx, retry, hold)
		if err != nil || c == nil {
			t.Fatalf("claim at the retry time: %v, %v", c, err)
		}
		if ok, err := s.FinishWebhookDelivery(ctx, c, store.WebhookAttempt{At: retry, Answer: "connection refused"}); err != nil || !ok {
			t.Fatal(ok, err)
		}
		if d, _ := s.WebhookDelivery(ctx, c.Delivery.ID); d.Status != news.DeliveryFailed || d.Attempts != 3 {
			t.Errorf("given up: %+v", d)
		}
		if c, _ := s.ClaimWebhookDelivery(ctx, retry.Add(time.Hour), hold); c != nil {
			t.Errorf("a failed delivery was claimed")
		}
		// Sent again from the newsroom: the same webhook-id, delivered.
		if err := s.ResendWebhookDelivery(ctx, d.ID, retry.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		c, err = s.ClaimWebhookDelivery(ctx, retry.Add(time.Hour), hold)
		if err != nil || c == nil || c.Delivery.EventID != d.EventID {
			t.Fatalf("claim after a resend: %+v, %v", c, err)
		}
		if ok, err := s.FinishWebhookDelivery(ctx, c, store.WebhookAttempt{At: retry.Add(time.Hour), Status: 204, Delivered: true}); err != nil || !ok {
			t.Fatal(ok, err)
		}
		if d, _ := s.WebhookDelivery(ctx, c.Delivery.ID); d.Status != news.DeliveryDelivered || d.DeliveredAt.IsZero() {
			t.Errorf("delivered: %+v", d)
		}
		// Pruned once old, while one still pending stays.
		newArticle(t, s, "news", "Harbour reopens", t0, nil, nil)
		if n, err := s.PruneWebhookDeliveries(ctx, t0.Add(-time.Hour)); err != nil || n != 0 {
			t.Errorf("pruning before it was queued: %d, %v", n, err)
		}
		if n, err := s.PruneWebhookDeliveries(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("pruning: %d, %v; want the delivered one", n, err)
		}
		if got := outbox(t, s, e.ID); len(got) != 1 {
			t.Errorf("after pruning: %v, want the pending one", got)
		}
	})
}

// TestWebhookRotation: after a rotation both secrets sign until the
// overlap ends, then the new one alone.
func TestWebhookRotation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		t0 := time.Now().UTC()
		e := addEndpoint(t, s, news.EventArticlePublished)
		if err := s.RotateWebhookSecret(ctx, e.ID, "whsec_bmV3IHNlY3JldCBmb3IgdGhlIHRlc3Q=", t0, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		newArticle(t, s, "news", "Ferry strike ends", t0, nil, nil)
		c, err := s.ClaimWebhookDelivery(ctx, t0.Add(time.Second), time.Second)
		if err != nil || c == nil {
			t.Fatal(c, err)
		}
		if want := []string{"whsec_bmV3IHNlY3JldCBmb3IgdGhlIHRlc3Q=", e.Secret}; !slices.Equal(c.Secrets, want) {
			t.Errorf("within the overlap: secrets %v, want %v", c.Secrets, want)
		}
		c, err = s.ClaimWebhookDelivery(ctx, t0.Add(25*time.Hour), time.Second)
		if err != nil || c == nil {
			t.Fatal(c, err)
		}
		if want := []string{"whsec_bmV3IHNlY3JldCBmb3IgdGhlIHRlc3Q="}; !slices.Equal(c.Secrets, want) {
			t.Errorf("after the overlap: secrets %v, want %v", c.Secrets, want)
		}
		if err := s.DeleteWebhookEndpoint(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		if got := outbox(t, s, e.ID); len(got) != 0 {
			t.Errorf("a deleted endpoint's deliveries stayed: %v", got)
		}
		if _, err := s.WebhookEndpoint(ctx, e.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a deleted endpoint: %v", err)
		}
	})
}

// TestWebhookClaimsRace: two stores on one database (two instances) claim
// at once; each delivery is claimed by one.
func TestWebhookClaimsRace(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		a, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		b, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		addEndpoint(t, a, news.EventArticlePublished)
		t0 := time.Now().UTC()
		const n = 20
		for i := range n {
			newArticle(t, a, "news", "Story "+string(rune('a'+i)), t0, nil, nil)
		}
		var (
			mu  sync.Mutex
			got = map[int64]int{}
			wg  sync.WaitGroup
		)
		for _, s := range []*store.Store{a, b, a, b} {
			wg.Go(func() {
				for {
					c, err := s.ClaimWebhookDelivery(ctx, t0.Add(time.Second), time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if c == nil {
						return
					}
					mu.Lock()
					got[c.Delivery.ID]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(got) != n {
			t.Errorf("claimed %d deliveries, want %d", len(got), n)
		}
		for id, k := range got {
			if k != 1 {
				t.Errorf("delivery %d claimed %d times", id, k)
			}
		}
	})
}
