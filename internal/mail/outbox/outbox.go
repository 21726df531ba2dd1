// Package outbox drains the mail outbox (store.EnqueueMail) through a
// mail.Sender: every serve process with --smtp runs one Worker, and the
// claims in the store see that each message is sent by one instance.
package outbox

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Options tune a Worker. The zero value is what serve runs with.
type Options struct {
	// Poll is how often the outbox is read for due messages; 0 means 500 ms.
	Poll time.Duration
	// MaxAttempts bounds the attempts at one message; past them it is
	// failed and listed for admins. 0 means 8 (about two hours of
	// retries with the default Backoff).
	MaxAttempts int
	// Timeout bounds one attempt; 0 means 60 s. It stays under Hold.
	Timeout time.Duration
	// Hold is how long a claim keeps other instances off a message;
	// 0 means 2 minutes.
	Hold time.Duration
	// Backoff is the wait before attempt n+1 after n failed ones; nil
	// means Backoff.
	Backoff func(n int) time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Worker sends the outbox's messages.
type Worker struct {
	st     *store.Store
	sender mail.Sender
	log    *slog.Logger
	opt    Options
}

// New returns a Worker that sends st's outbox through sender; log may be
// nil.
func New(st *store.Store, sender mail.Sender, opt Options, log *slog.Logger) *Worker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.Poll <= 0 {
		opt.Poll = 500 * time.Millisecond
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 8
	}
	if opt.Timeout <= 0 {
		opt.Timeout = time.Minute
	}
	if opt.Hold <= 0 {
		opt.Hold = 2 * time.Minute
	}
	if opt.Backoff == nil {
		opt.Backoff = Backoff
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Worker{st: st, sender: sender, log: log, opt: opt}
}

// Backoff is the default wait before attempt n+1 after n failed ones:
// 30 s doubled at each failure, at most an hour, less up to a half at
// random so that instances do not retry in step.
func Backoff(n int) time.Duration {
	d := time.Hour
	if n < 8 {
		d = min(30*time.Second<<max(n-1, 0), time.Hour)
	}
	return d/2 + rand.N(d/2+1)
}

// Keep is how long sent and failed messages stay listed for admins.
const Keep = 30 * 24 * time.Hour

// Run sends due messages until ctx ends, and deletes the finished ones
// older than Keep once an hour.
func (w *Worker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if _, err := w.st.PruneMail(ctx, w.opt.Now().Add(-Keep)); err != nil && ctx.Err() == nil {
				w.log.Error("mail: deleting old messages", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	wg.Go(func() {
		t := time.NewTicker(w.opt.Poll)
		defer t.Stop()
		for {
			for w.sendOne(ctx) {
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	wg.Wait()
}

// SendDue sends the messages due now, one after another, and returns how
// many it attempted: for tests and tools that drain the outbox once.
func (w *Worker) SendDue(ctx context.Context) int {
	n := 0
	for w.sendOne(ctx) {
		n++
	}
	return n
}

// sendOne claims one due message and attempts it; false when none was due
// (or the store failed, which is logged).
func (w *Worker) sendOne(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	c, err := w.st.ClaimMail(ctx, w.opt.Now(), w.opt.Hold)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error("mail: claiming a message", "err", err)
		}
		return false
	}
	if c == nil {
		return false
	}
	actx, cancel := context.WithTimeout(ctx, w.opt.Timeout)
	err = w.sender.Send(actx, c.Message)
	cancel()
	if err != nil && ctx.Err() != nil {
		return false // stopping: the claim lapses and it is sent later
	}
	a := store.MailAttempt{At: w.opt.Now()}
	if err != nil {
		a.Error = err.Error()
		if !mail.Permanent(err) && c.Attempts < w.opt.MaxAttempts {
			a.RetryAt = a.At.Add(w.opt.Backoff(c.Attempts))
		}
	}
	// Recorded even when stopping: a message the server took is not sent again.
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer fcancel()
	ok, ferr := w.st.FinishMail(fctx, c, a)
	switch {
	case ferr != nil:
		w.log.Error("mail: recording an attempt", "mail", c.ID, "err", ferr)
	case !ok:
		w.log.Warn("mail: an attempt came after its claim lapsed; another instance's counts", "mail", c.ID)
	case err == nil:
		w.log.Debug("mail: sent", "mail", c.ID, "attempts", c.Attempts)
	case a.RetryAt.IsZero():
		w.log.Warn("mail: failed for good", "mail", c.ID, "attempts", c.Attempts, "err", err)
	default:
		w.log.Info("mail: attempt failed; will retry", "mail", c.ID, "attempts", c.Attempts, "err", err, "retry_at", a.RetryAt)
	}
	return true
}
