package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

var ctx = context.Background()

// verify is the receiver's check, written from the Standard Webhooks
// specification: the three headers present, the timestamp within five
// minutes, and one of the space-separated "v1,<base64>" signatures equal
// to HMAC-SHA256 of id.timestamp.body under the key the secret holds.
func verify(secret string, h http.Header, body []byte) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return errors.New("a webhook header is missing")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp %q: %v", ts, err)
	}
	if d := time.Since(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("webhook-timestamp %s is %s away", ts, d)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return err
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%s.%s", id, ts, body)
	want := mac.Sum(nil)
	for _, s := range strings.Fields(sigs) {
		v, b64, ok := strings.Cut(s, ",")
		if !ok || v != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("no signature matches")
}

// receiver is an endpoint on 127.0.0.1 that checks each delivery with
// verify and with the Standard Webhooks reference library, and answers
// what answer says (200 when nil).
type receiver struct {
	*httptest.Server
	t      testing.TB
	secret string
	answer func(n int) int // the status for the nth request (from 1)
	// clockless: the sender's clock is a test's, so the timestamp is
	// not checked against this one's
	clockless bool

	mu       sync.Mutex
	requests int
	accepted map[string]int // webhook-id: times answered 2xx
	bodies   map[string]string
	arrived  chan string
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{t: t, accepted: map[string]int{}, bodies: map[string]string{}, arrived: make(chan string, 1000)}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	wh, err := standardwebhooks.NewWebhook(r.secret)
	if err != nil {
		r.t.Fatal(err)
	}
	if r.clockless {
		err = wh.VerifyIgnoringTimestamp(body, req.Header)
	} else {
		err = wh.Verify(body, req.Header)
		if err := verify(r.secret, req.Header, body); err != nil {
			r.t.Errorf("our check: %v", err)
		}
	}
	if err != nil {
		r.t.Errorf("the reference check: %v", err)
	}
	status := http.StatusOK
	if r.answer != nil {
		status = r.answer(r.requests)
	}
	if status/100 == 2 {
		id := req.Header.Get("webhook-id")
		r.accepted[id]++
		r.bodies[id] = string(body)
		r.arrived <- id
	}
	w.WriteHeader(status)
	fmt.Fprintf(w, "answer %d", status)
}

// register adds an endpoint at the receiver's address, straight into the
// store (the newsroom checks the address; here it is 127.0.0.1).
func (r *receiver) register(t testing.TB, st *store.Store, events ...string) *news.WebhookEndpoint {
	t.Helper()
	r.secret = webhook.NewSecret()
	e := &news.WebhookEndpoint{URL: r.URL + "/hooks", Events: events, Secret: r.secret}
	if err := st.CreateWebhookEndpoint(ctx, e); err != nil {
		t.Fatal(err)
	}
	return e
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// publish saves a published article, as the newsroom does, and returns it.
func publish(t testing.TB, st *store.Store, headline string) *news.Article {
	t.Helper()
	var a *news.Article
	err := st.InTx(ctx, func(tx *store.Store) error {
		sec, err := tx.EnsureSectionPath(ctx, "news")
		if err != nil {
			return err
		}
		a = &news.Article{Headline: headline, Slug: news.Slugify(headline), Section: sec, Status: news.Published,
			PublishedAt: time.Now(), Body: "Body.", BodyHTML: "<p>Body.</p>"}
		return tx.SaveArticle(ctx, a)
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSignatureMatchesTheReference(t *testing.T) {
	secret := webhook.NewSecret()
	body := []byte(`{"type":"article.published","timestamp":"2026-12-07T10:00:00Z","data":{"id":1}}`)
	at := time.Now()
	sig, err := webhook.Signature([]string{webhook.NewSecret(), secret}, "msg_abc", at, body)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("webhook-id", "msg_abc")
	h.Set("webhook-timestamp", strconv.FormatInt(at.Unix(), 10))
	h.Set("webhook-signature", sig)
	if err := verify(secret, h, body); err != nil {
		t.Errorf("our check of the second of two signatures: %v", err)
	}
	wh, _ := standardwebhooks.NewWebhook(secret)
	if err := wh.Verify(body, h); err != nil {
		t.Errorf("the reference check: %v", err)
	}
	// The reference library's own signature is ours.
	ref, err := wh.Sign("msg_abc", at, body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sig, ref) {
		t.Errorf("the reference signs %s; ours are %s", ref, sig)
	}
	// A changed body, another secret: refused by both.
	if err := verify(secret, h, append(body, ' ')); err == nil {
		t.Error("our check accepted a changed body")
	}
	other, _ := standardwebhooks.NewWebhook(webhook.NewSecret())
	if err := other.Verify(body, h); err == nil {
		t.Error("the reference accepted another secret's signature")
	}
}

// TestPublishIsDelivered: a publish leaves one signed delivery, which the
// receiver accepts, and which is then marked delivered.
func TestPublishIsDelivered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rc := newReceiver(t)
		e := rc.register(t, st, news.EventArticlePublished)
		a := publish(t, st, "Ferry strike ends")
		s := webhook.New(st, webhook.Options{AllowLoopback: true}, quiet())
		if n := s.SendDue(ctx); n != 1 {
			t.Errorf("sent %d, want 1", n)
		}
		if n := s.SendDue(ctx); n != 0 {
			t.Errorf("sent %d more on the second pass", n)
		}
		list, err := st.WebhookDeliveries(ctx, e.ID, 10, 0)
		if err != nil || len(list) != 1 {
			t.Fatal(list, err)
		}
		d := list[0]
		if d.Status != news.DeliveryDelivered || d.Attempts != 1 || d.LastStatus != 200 || d.LastAnswer != "answer 200" {
			t.Errorf("delivery: %+v", d)
		}
		if rc.accepted[d.EventID] != 1 {
			t.Errorf("the receiver accepted %v", rc.accepted)
		}
		if body := rc.bodies[d.EventID]; !strings.Contains(body, `"type":"article.published"`) || !strings.Contains(body, fmt.Sprintf(`"id":%d`, a.ID)) {
			t.Errorf("body %s", body)
		}
	})
}

// TestRetriedUntilDelivered: a receiver that answers 500 twice, then 200,
// gets three attempts of the same webhook-id and accepts one.
func TestRetriedUntilDelivered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rc := newReceiver(t)
		rc.answer = func(n int) int {
			if n <= 2 {
				return http.StatusInternalServerError
			}
			return http.StatusNoContent
		}
		e := rc.register(t, st, news.EventArticlePublished)
		publish(t, st, "Ferry strike ends")
		var waits []int
		s := webhook.New(st, webhook.Options{AllowLoopback: true, Backoff: func(n int) time.Duration {
			waits = append(waits, n)
			return 0 // due again at once
		}}, quiet())
		s.SendDue(ctx)
		list, _ := st.WebhookDeliveries(ctx, e.ID, 10, 0)
		if len(list) != 1 || list[0].Status != news.DeliveryDelivered || list[0].Attempts != 3 || list[0].LastStatus != 204 {
			t.Fatalf("deliveries: %+v", list[0])
		}
		if rc.requests != 3 || len(rc.accepted) != 1 || rc.accepted[list[0].EventID] != 1 {
			t.Errorf("the receiver had %d requests and accepted %v", rc.requests, rc.accepted)
		}
		if fmt.Sprint(waits) != "[1 2]" {
			t.Errorf("backoff asked after attempts %v, want [1 2]", waits)
		}
	})
}

// TestGivenUpAfterADay: a failure past the delivery's day is its last.
func TestGivenUpAfterADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rc := newReceiver(t)
		rc.answer = func(int) int { return http.StatusServiceUnavailable }
		rc.clockless = true
		e := rc.register(t, st, news.EventArticlePublished)
		publish(t, st, "Ferry strike ends")
		// A wait longer than the day: the next try is at the day's end,
		// and the one after that is not made.
		s := webhook.New(st, webhook.Options{AllowLoopback: true, Backoff: func(int) time.Duration { return 48 * time.Hour }}, quiet())
		s.SendDue(ctx)
		d, _ := st.WebhookDeliveries(ctx, e.ID, 1, 0)
		if d[0].Status != news.DeliveryPending || !d[0].NextAttemptAt.Equal(d[0].GiveUpAt) {
			t.Fatalf("after one failure: %+v", d[0])
		}
		// At the day's end, the attempt that fails is the last.
		end := d[0].GiveUpAt
		s = webhook.New(st, webhook.Options{AllowLoopback: true, Now: func() time.Time { return end }}, quiet())
		if n := s.SendDue(ctx); n != 1 {
			t.Fatalf("sent %d at the day's end, want 1", n)
		}
		d, _ = st.WebhookDeliveries(ctx, e.ID, 1, 0)
		if d[0].Status != news.DeliveryFailed {
			t.Errorf("after the day: %+v", d[0])
		}
	})
}

// TestGoneDisablesTheEndpoint: a receiver that answers 410 Gone has its
// endpoint disabled, with the reason and an audit entry, and is sent
// nothing more, while other endpoints go on; its delivery waits, and goes
// out once an admin enables the endpoint again, which clears the reason.
func TestGoneDisablesTheEndpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		gone, other := newReceiver(t), newReceiver(t)
		gone.answer = func(int) int { return http.StatusGone }
		eg := gone.register(t, st, news.EventArticlePublished)
		eo := other.register(t, st, news.EventArticlePublished)
		publish(t, st, "Ferry strike ends")
		s := webhook.New(st, webhook.Options{AllowLoopback: true, Backoff: func(int) time.Duration { return time.Hour }}, quiet())
		s.SendDue(ctx)
		if gone.requests != 1 {
			t.Errorf("the gone receiver had %d requests, want 1", gone.requests)
		}
		e, err := st.WebhookEndpoint(ctx, eg.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !e.Disabled || !strings.Contains(e.DisabledReason, "410 Gone") || e.DisabledAt.IsZero() {
			t.Errorf("after a 410: disabled %v, reason %q, at %v", e.Disabled, e.DisabledReason, e.DisabledAt)
		}
		if o, _ := st.WebhookEndpoint(ctx, eo.ID); o.Disabled || len(other.accepted) != 1 {
			t.Errorf("the other endpoint: disabled %v, accepted %v", o.Disabled, other.accepted)
		}
		log, _ := st.AuditLog(ctx, store.AuditFilter{Actions: []string{"webhook.disable"}})
		if len(log) != 1 || log[0].Target != fmt.Sprintf("webhook %d", eg.ID) || !strings.Contains(log[0].Detail, "410 Gone") {
			t.Errorf("audit: %+v", log)
		}
		d, _ := st.WebhookDeliveries(ctx, eg.ID, 10, 0)
		if len(d) != 1 || d[0].Status != news.DeliveryPending || d[0].LastStatus != http.StatusGone {
			t.Fatalf("the delivery that got 410: %+v", d)
		}

		// Disabled: the next event is not even queued for it.
		publish(t, st, "Ferries return")
		s.SendDue(ctx)
		if gone.requests != 1 || len(other.accepted) != 2 {
			t.Errorf("after a second publish: %d requests to the gone receiver, %d accepted by the other", gone.requests, len(other.accepted))
		}

		// Enabled again by an admin: the reason goes, the waiting delivery
		// is sent when its retry is due (an hour on, here).
		gone.mu.Lock()
		gone.answer, gone.clockless = nil, true
		gone.mu.Unlock()
		e.Disabled = false
		if err := st.UpdateWebhookEndpoint(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e, _ := st.WebhookEndpoint(ctx, eg.ID); e.Disabled || e.DisabledReason != "" || !e.DisabledAt.IsZero() {
			t.Errorf("enabled again: %+v", e)
		}
		later := webhook.New(st, webhook.Options{AllowLoopback: true, Now: func() time.Time { return time.Now().Add(2 * time.Hour) }}, quiet())
		later.SendDue(ctx)
		if d, _ := st.WebhookDeliveries(ctx, eg.ID, 10, 0); len(d) != 1 || d[0].Status != news.DeliveryDelivered || len(gone.accepted) != 1 {
			t.Errorf("after enabling: %d deliveries, the newest %s; the receiver accepted %d", len(d), d[0].Status, len(gone.accepted))
		}
		if log, _ := st.AuditLog(ctx, store.AuditFilter{Actions: []string{"webhook.disable"}}); len(log) != 1 {
			t.Errorf("%d webhook.disable entries, want 1", len(log))
		}
	})
}

// TestGoneFromAnOldAddress: a 410 from the address an endpoint had when
// its delivery was claimed does not disable it once an admin has moved it
// to another address meanwhile: the old receiver (perhaps no longer the
// newsroom's partner at all) speaks for itself, not for the new one. The
// new address is sent the delivery when its retry is due.
func TestGoneFromAnOldAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		old, moved := newReceiver(t), newReceiver(t)
		e := old.register(t, st, news.EventArticlePublished)
		moved.secret = old.secret
		old.answer = func(int) int {
			// The admin saves the new address while the attempt is on
			// its way (the receiver answers after the save).
			e.URL = moved.URL + "/hooks"
			if err := st.UpdateWebhookEndpoint(ctx, e); err != nil {
				t.Error(err)
			}
			return http.StatusGone
		}
		publish(t, st, "Ferry strike ends")
		webhook.New(st, webhook.Options{AllowLoopback: true, Backoff: func(int) time.Duration { return time.Hour }}, quiet()).SendDue(ctx)
		if old.requests != 1 {
			t.Fatalf("the old address had %d requests, want 1", old.requests)
		}
		got, err := st.WebhookEndpoint(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Disabled || got.DisabledReason != "" {
			t.Errorf("a 410 from the address the endpoint left disabled it: %+v", got)
		}
		if log, _ := st.AuditLog(ctx, store.AuditFilter{Actions: []string{"webhook.disable"}}); len(log) != 0 {
			t.Errorf("audit: %+v, want no webhook.disable", log)
		}
		moved.clockless = true
		later := webhook.New(st, webhook.Options{AllowLoopback: true, Now: func() time.Time { return time.Now().Add(2 * time.Hour) }}, quiet())
		later.SendDue(ctx)
		if len(moved.accepted) != 1 {
			t.Errorf("the new address accepted %d deliveries, want 1", len(moved.accepted))
		}
	})
}

// TestTwoSendersSendEachOnce: two instances on one database, two senders
// each, drain one outbox: every delivery reaches the receiver once.
func TestTwoSendersSendEachOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		var stores []*store.Store
		for range 2 {
			st, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			stores = append(stores, st)
		}
		rc := newReceiver(t)
		e := rc.register(t, stores[0], news.EventArticlePublished)
		const n = 30
		for i := range n {
			publish(t, stores[i%2], fmt.Sprintf("Story %d", i))
		}
		var wg sync.WaitGroup
		for i := range 4 {
			s := webhook.New(stores[i%2], webhook.Options{AllowLoopback: true}, quiet())
			wg.Go(func() { s.SendDue(ctx) })
		}
		wg.Wait()
		if len(rc.accepted) != n {
			t.Errorf("the receiver has %d events, want %d", len(rc.accepted), n)
		}
		for id, k := range rc.accepted {
			if k != 1 {
				t.Errorf("%s arrived %d times", id, k)
			}
		}
		list, _ := stores[1].WebhookDeliveries(ctx, e.ID, 100, 0)
		for _, d := range list {
			if d.Status != news.DeliveryDelivered || d.Attempts != 1 {
				t.Errorf("delivery %d: %s after %d attempts", d.ID, d.Status, d.Attempts)
			}
		}
	})
}

// TestPrivateAddressesRefused: an endpoint on this machine, a private
// network or a link-local address is refused when registered, unless the
// operator allows it; and one that got into the store is refused at the
// dial, so the receiver there hears nothing.
func TestPrivateAddressesRefused(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080/hooks", "https://10.0.0.7/hooks",
		"https://[::1]/hooks", "http://localhost:9000/", "https://192.168.1.20/x"} {
		err := webhook.CheckEndpoint(ctx, u, false)
		if news.ErrorCode(err) != news.EINVALID || !strings.Contains(err.Error(), "--webhook-allow-private") {
			t.Errorf("CheckEndpoint(%s) = %v, want refused naming the flag", u, err)
		}
		if err := webhook.CheckEndpoint(ctx, u, true); err != nil {
			t.Errorf("CheckEndpoint(%s) with the flag = %v", u, err)
		}
	}
	// Link-local addresses and the clouds' metadata services: never,
	// and the message says the flag does not change that.
	// A zone does not hide an address (the kernel ignores it on one that
	// is not link-local), nor does SIIT's or a local NAT64's form.
	for _, u := range []string{"http://169.254.169.254/latest", "http://[fe80::1]/hooks", "http://[fd00:ec2::254]/latest/meta-data/",
		"http://[fd00:ec2::254%25eth0]/latest/meta-data/", "http://[64:ff9b::a9fe:a9fe%251]/latest", "http://[::ffff:0:a9fe:a9fe]/latest",
		"http://[64:ff9b:1::a9fe:a9fe]/latest"} {
		for _, allow := range []bool{false, true} {
			err := webhook.CheckEndpoint(ctx, u, allow)
			if news.ErrorCode(err) != news.EINVALID || !strings.Contains(err.Error(), "even with --webhook-allow-private") {
				t.Errorf("CheckEndpoint(%s, allow private %v) = %v, want refused whatever the flag", u, allow, err)
			}
		}
	}
	for _, u := range []string{"ftp://example.com/", "https://user:pw@example.com/", "/hooks", "https://0.0.0.0/"} {
		if err := webhook.CheckEndpoint(ctx, u, true); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("CheckEndpoint(%s) = %v, want invalid", u, err)
		}
	}
	if err := webhook.CheckEndpoint(ctx, "https://93.184.215.14/hooks", false); err != nil {
		t.Errorf("a public address: %v", err)
	}

	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rc := newReceiver(t)
		e := rc.register(t, st, news.EventArticlePublished)
		publish(t, st, "Ferry strike ends")
		s := webhook.New(st, webhook.Options{Backoff: func(int) time.Duration { return time.Hour }}, quiet())
		s.SendDue(ctx)
		d, _ := st.WebhookDeliveries(ctx, e.ID, 1, 0)
		if rc.requests != 0 || d[0].Status != news.DeliveryPending || !strings.Contains(d[0].LastAnswer, "refused") {
			t.Errorf("the receiver had %d requests; the delivery: %+v", rc.requests, d[0])
		}
	})
}

// TestRunSends: the loop serve starts sends what a publish queues, without
// being told.
func TestRunSends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rc := newReceiver(t)
		rc.register(t, st, news.EventArticlePublished)
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { webhook.New(st, webhook.Options{AllowLoopback: true}, quiet()).Run(runCtx); close(done) }()
		publish(t, st, "Ferry strike ends")
		select {
		case <-rc.arrived:
		case <-time.After(30 * time.Second): // a hang, not a measure
			t.Error("nothing arrived")
		}
		stop()
		<-done
	})
}

// TestTheDocsExample: the signed request in docs/api.md is signed as the
// sender signs.
func TestTheDocsExample(t *testing.T) {
	body := `{"type":"article.published","timestamp":"2026-12-07T10:00:00Z","data":{"id":42,"headline":"Ferry strike ends","path":"/news/europe/ferry-strike-ends","section":"news/europe","status":"published","published_at":"2026-12-07T10:00:00Z"}}`
	sig, err := webhook.Signature([]string{"whsec_bmV3c2Rlc2sgZXhhbXBsZSBzZWNyZXQsIG5vdCBhIHJlYWwgb25l"}, "msg_k3v7q2yq4zqv6t3l5n2b4x7c1m", time.Unix(1796637600, 0), []byte(body))
	if want := "v1,VLcrwRyxppNxsmzGF8kvIyU09GBaYVDxse/qg+8THKw="; err != nil || sig != want {
		t.Errorf("got %s, %v; docs/api.md says %s", sig, err, want)
	}
}
