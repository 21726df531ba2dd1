package webhook

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Options tune a Sender. The zero value is what serve runs with.
type Options struct {
	// AllowPrivate lets deliveries reach loopback and private addresses
	// (serve --webhook-allow-private), never link-local ones nor a
	// cloud's metadata service; AllowLoopback, loopback alone (for tests,
	// whose receivers listen there).
	AllowPrivate, AllowLoopback bool
	// Poll is how often the outbox is read for due deliveries: a new
	// event leaves within about this long, also one another instance
	// wrote. 0 means 250 ms.
	Poll time.Duration
	// Workers is how many deliveries are sent at once; 0 means 4.
	Workers int
	// Timeout bounds one attempt; 0 means 10 s. It must stay well under
	// Hold.
	Timeout time.Duration
	// Hold is how long a claim keeps other instances off a delivery: past
	// it, the delivery of an instance that died is taken by another.
	// 0 means 30 s.
	Hold time.Duration
	// Backoff is the wait before attempt n+1 after n failed ones; nil
	// means Backoff (exponential, with jitter).
	Backoff func(n int) time.Duration
	// Now is the clock; nil means time.Now. For tests of the day's end.
	Now func() time.Time
}

// Sender drains the outbox. Every instance runs one; the claims in the
// store see that each delivery is sent by one at a time.
type Sender struct {
	st     *store.Store
	client *http.Client
	log    *slog.Logger
	opt    Options
}

// New returns a Sender of st's outbox.
func New(st *store.Store, opt Options, log *slog.Logger) *Sender {
	if opt.Poll <= 0 {
		opt.Poll = 250 * time.Millisecond
	}
	if opt.Workers <= 0 {
		opt.Workers = 4
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.Hold <= 0 {
		opt.Hold = 30 * time.Second
	}
	if opt.Backoff == nil {
		opt.Backoff = Backoff
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	// No redirects: a POST redirected would be sent on as a GET, or to
	// an address nobody registered.
	client := netx.OutboundClient(netx.OutboundOptions{AllowLoopback: opt.AllowLoopback, AllowPrivate: opt.AllowPrivate,
		Timeout: opt.Timeout, MaxRedirects: -1})
	return &Sender{st: st, client: client, log: log, opt: opt}
}

// Backoff is the default wait before attempt n+1 after n failed ones:
// 5 s doubled at each failure, at most an hour, less up to a half at
// random, so that receivers coming back from an outage are not met by
// every sender at once. About 30 attempts fit in the day a delivery is
// retried.
func Backoff(n int) time.Duration {
	d := time.Hour
	if n < 12 {
		d = min(5*time.Second<<max(n-1, 0), time.Hour)
	}
	return d/2 + rand.N(d/2+1)
}

// Keep is how long finished deliveries stay listed in the newsroom
// before Run deletes them.
const Keep = 30 * 24 * time.Hour

// Run sends due deliveries until ctx ends, and deletes the finished ones
// older than Keep once an hour.
func (s *Sender) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if _, err := s.st.PruneWebhookDeliveries(ctx, s.opt.Now().Add(-Keep)); err != nil && ctx.Err() == nil {
				s.log.Error("webhooks: deleting old deliveries", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	for range s.opt.Workers {
		wg.Go(func() {
			t := time.NewTicker(s.opt.Poll)
			defer t.Stop()
			for {
				for s.sendOne(ctx) {
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
	wg.Wait()
}

// SendDue sends the deliveries due now, one after another, and returns
// how many it sent (delivered or not): for tests and tools that drain the
// outbox once.
func (s *Sender) SendDue(ctx context.Context) int {
	n := 0
	for s.sendOne(ctx) {
		n++
	}
	return n
}

// sendOne claims one due delivery and attempts it; false when none was due
// (or the store failed, which is logged).
func (s *Sender) sendOne(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	c, err := s.st.ClaimWebhookDelivery(ctx, s.opt.Now(), s.opt.Hold)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("webhooks: claiming a delivery", "err", err)
		}
		return false
	}
	if c == nil {
		return false
	}
	a := s.attempt(ctx, c)
	if ctx.Err() != nil && !a.Delivered {
		// Stopped mid-way: the claim lapses and another instance (or
		// this one, restarted) sends it.
		return false
	}
	// The outcome is recorded even when the server is stopping: a
	// delivery the receiver took is not sent again.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	d := c.Delivery
	ok, gone, err := s.finish(fctx, c, a)
	switch {
	case err != nil:
		s.log.Error("webhooks: recording an attempt", "delivery", d.ID, "err", err)
	case gone:
		s.log.Warn("webhooks: endpoint disabled: its receiver answered 410 Gone", "endpoint", d.EndpointID, "url", c.URL,
			"delivery", d.ID, "event", d.EventID)
	case !ok:
		s.log.Warn("webhooks: an attempt came after its claim lapsed; another instance's counts", "delivery", d.ID, "event", d.EventID)
	case a.Delivered:
		s.log.Debug("webhooks: delivered", "delivery", d.ID, "event", d.EventID, "type", d.EventType, "url", c.URL, "status", a.Status)
	case a.RetryAt.IsZero():
		s.log.Warn("webhooks: given up after a day of failures", "delivery", d.ID, "event", d.EventID, "url", c.URL,
			"attempts", d.Attempts, "status", a.Status, "answer", a.Answer)
	default:
		s.log.Info("webhooks: attempt failed; will retry", "delivery", d.ID, "event", d.EventID, "url", c.URL,
			"attempts", d.Attempts, "status", a.Status, "answer", a.Answer, "retry_at", a.RetryAt)
	}
	return true
}

// finish records an attempt. An answer of 410 Gone also disables the
// endpoint, in the same transaction, with the reason the newsroom shows
// and an entry in the audit log: Standard Webhooks asks a sender to stop
// sending to an endpoint that says it is gone, and retrying it for a day
// would only fill its log. The delivery itself stays pending, as every
// delivery to a disabled endpoint does, and goes out when an admin enables
// the endpoint again. gone reports that this attempt disabled it (false
// when another instance's sender did first, or when the endpoint was
// moved to another address while the attempt was on its way).
func (s *Sender) finish(ctx context.Context, c *store.WebhookClaim, a store.WebhookAttempt) (ok, gone bool, err error) {
	if a.Delivered || a.Status != http.StatusGone {
		ok, err = s.st.FinishWebhookDelivery(ctx, c, a)
		return ok, false, err
	}
	d := c.Delivery
	err = s.st.InTx(ctx, func(tx *store.Store) error {
		var err error
		if ok, err = tx.FinishWebhookDelivery(ctx, c, a); err != nil || !ok {
			return err
		}
		reason := "its receiver answered 410 Gone to delivery " + strconv.FormatInt(d.ID, 10) + " (" + d.EventType + ")"
		// Only the address that answered: an endpoint an admin moved
		// while the attempt was on its way is the new receiver's.
		if gone, err = tx.DisableWebhookEndpoint(ctx, d.EndpointID, c.URL, reason, a.At); err != nil || !gone {
			return err
		}
		return tx.Audit(ctx, &news.AuditEntry{At: a.At, Action: "webhook.disable", Target: "webhook " + strconv.FormatInt(d.EndpointID, 10),
			Detail: c.URL + ": " + reason})
	})
	if err != nil {
		return false, false, err
	}
	return ok, gone, nil
}

// attempt POSTs a claimed delivery, signed, and says what came of it.
func (s *Sender) attempt(ctx context.Context, c *store.WebhookClaim) store.WebhookAttempt {
	d := c.Delivery
	now := s.opt.Now()
	fail := func(status int, answer string) store.WebhookAttempt {
		a := store.WebhookAttempt{At: now, Status: status, Answer: answer}
		if next := now.Add(s.opt.Backoff(d.Attempts)); now.Before(d.GiveUpAt) {
			// The last try is at the end of the day, not past it.
			a.RetryAt = next
			if next.After(d.GiveUpAt) {
				a.RetryAt = d.GiveUpAt
			}
		}
		return a
	}
	sig, err := Signature(c.Secrets, d.EventID, now, d.Payload)
	if err != nil {
		return fail(0, err.Error())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return fail(0, err.Error())
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "Newsdesk-Webhooks/1")
	h.Set("webhook-id", d.EventID)
	h.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	h.Set("webhook-signature", sig)
	resp, err := s.client.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode // a redirect, not followed
		}
		return fail(status, err.Error())
	}
	// The start of the answer, for the newsroom; the rest read (up to a
	// bound) so the connection can be used again.
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return store.WebhookAttempt{At: now, Status: resp.StatusCode, Answer: string(excerpt), Delivered: true}
	}
	return fail(resp.StatusCode, string(excerpt))
}
