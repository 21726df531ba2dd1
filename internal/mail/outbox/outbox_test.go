package outbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/mail/outbox"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit/mailserver"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func smtpSender(t *testing.T, srv *mailserver.Server) mail.Sender {
	t.Helper()
	c, err := mail.ParseSMTP(srv.SMTP, "", "Newsroom <news@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	return mail.NewSMTP(c)
}

// TestOutboxSendsWithTheChange: a message enqueued in a transaction that
// commits is delivered through the real SMTP server, once; one enqueued
// in a transaction that rolls back is not.
func TestOutboxSendsWithTheChange(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		to := "ana-" + st.Engine() + "@example.org"
		err := st.InTx(ctx, func(tx *store.Store) error {
			return tx.EnqueueMail(ctx, mail.Message{To: []string{to}, Subject: "kept", Text: "The link: https://example.org/x"})
		})
		if err != nil {
			t.Fatal(err)
		}
		err = st.InTx(ctx, func(tx *store.Store) error {
			if err := tx.EnqueueMail(ctx, mail.Message{To: []string{to}, Subject: "rolled back", Text: "no"}); err != nil {
				return err
			}
			return errors.New("the change failed")
		})
		if err == nil {
			t.Fatal("the failing transaction committed")
		}
		if err := st.EnqueueMail(ctx, mail.Message{To: []string{"not an address"}, Subject: "s", Text: "t"}); err == nil {
			t.Fatal("a bad address was enqueued")
		}
		w := outbox.New(st, smtpSender(t, srv), outbox.Options{}, quiet)
		if n := w.SendDue(ctx); n != 1 {
			t.Fatalf("SendDue sent %d, want 1", n)
		}
		if n := w.SendDue(ctx); n != 0 {
			t.Fatalf("second SendDue sent %d, want 0", n)
		}
		got := srv.WaitFor(t, to, 1)
		if len(got) != 1 || got[0].Subject != "kept" || !strings.Contains(got[0].Text, "https://example.org/x") {
			t.Fatalf("delivered %+v", got)
		}
		list, err := st.MailOutbox(ctx, store.MailSent, 10)
		if err != nil || len(list) != 1 || list[0].Attempts != 1 || list[0].SentAt.IsZero() {
			t.Fatalf("outbox after sending: %+v, %v", list, err)
		}
	})
}

// flaky fails its first n sends, then passes them to next.
type flaky struct {
	mu   sync.Mutex
	n    int
	next mail.Sender
	err  error
}

func (f *flaky) Send(ctx context.Context, m mail.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n > 0 {
		f.n--
		return f.err
	}
	return f.next.Send(ctx, m)
}

// TestOutboxRetries: while the server is down a message waits out its
// backoff and is tried again; it goes once the server is back. Past
// MaxAttempts it is failed, kept for admins with its error, and its body
// cleared.
func TestOutboxRetries(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		var now time.Time
		clock := func() time.Time { return now }
		down := errors.New("dial tcp 127.0.0.1:25: connection refused")
		f := &flaky{n: 2, next: smtpSender(t, srv), err: down}
		w := outbox.New(st, f, outbox.Options{Now: clock, MaxAttempts: 3, Backoff: func(n int) time.Duration { return time.Duration(n) * time.Minute }}, quiet)
		to := "ben-" + st.Engine() + "@example.org"
		if err := st.EnqueueMail(ctx, mail.Message{To: []string{to}, Subject: "retried", Text: "t"}); err != nil {
			t.Fatal(err)
		}
		now = time.Now()
		if n := w.SendDue(ctx); n != 1 {
			t.Fatalf("first SendDue: %d", n)
		}
		if n := w.SendDue(ctx); n != 0 {
			t.Fatalf("retried before its backoff: %d", n)
		}
		list, _ := st.MailOutbox(ctx, store.MailPending, 10)
		if len(list) != 1 || list[0].Attempts != 1 || list[0].LastError != down.Error() || !list[0].NextAttemptAt.Equal(now.Add(time.Minute).Truncate(time.Microsecond)) {
			t.Fatalf("after one failure: %+v", list[0])
		}
		now = now.Add(time.Minute)
		w.SendDue(ctx) // fails again
		now = now.Add(2 * time.Minute)
		w.SendDue(ctx) // the third attempt passes
		srv.WaitFor(t, to, 1)

		// A message that never goes.
		f.n, f.err = 100, down
		if err := st.EnqueueMail(ctx, mail.Message{To: []string{"cy@example.org"}, Subject: "doomed", Text: "secret link"}); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			w.SendDue(ctx)
			now = now.Add(time.Hour)
		}
		failed, _ := st.MailOutbox(ctx, store.MailFailed, 10)
		if len(failed) != 1 || failed[0].Subject != "doomed" || failed[0].Attempts != 3 || failed[0].LastError == "" {
			t.Fatalf("failed list: %+v", failed)
		}
		if n := w.SendDue(ctx); n != 0 {
			t.Fatalf("a failed message was tried again")
		}
		counts, _ := st.MailCounts(ctx)
		if counts[store.MailFailed] != 1 || counts[store.MailSent] != 1 || counts[store.MailPending] != 0 {
			t.Fatalf("counts %v", counts)
		}
		var body string
		if err := storetest.RawDB(t, dsn).QueryRow(`SELECT text_body FROM mail_outbox WHERE id = $1`, failed[0].ID).Scan(&body); err != nil || body != "" {
			t.Fatalf("a failed message keeps its body %q (%v)", body, err)
		}
	})
}

// permanent is a refusal that retrying will not change.
type permanent struct{}

func (permanent) Error() string   { return "550 no such user" }
func (permanent) Permanent() bool { return true }

func TestOutboxPermanentFailsAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := outbox.New(st, &flaky{n: 1, err: permanent{}}, outbox.Options{}, quiet)
		if err := st.EnqueueMail(ctx, mail.Message{To: []string{"gone@example.org"}, Subject: "s", Text: "t"}); err != nil {
			t.Fatal(err)
		}
		w.SendDue(ctx)
		failed, _ := st.MailOutbox(ctx, store.MailFailed, 10)
		if len(failed) != 1 || failed[0].Attempts != 1 {
			t.Fatalf("after a permanent refusal: %+v", failed)
		}
	})
}

// TestOutboxOnceAcrossInstances: several workers, each with its own pool
// on the same database (instances), drain one outbox; every message
// reaches the SMTP server exactly once.
func TestOutboxOnceAcrossInstances(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		var stores []*store.Store
		for range 3 {
			st, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			stores = append(stores, st)
		}
		const n = 30
		to := "many-" + stores[0].Engine() + "@example.org"
		for i := range n {
			if err := stores[0].EnqueueMail(ctx, mail.Message{To: []string{to}, Subject: "m" + strings.Repeat("x", i), Text: "t"}); err != nil {
				t.Fatal(err)
			}
		}
		sender := smtpSender(t, srv)
		var wg sync.WaitGroup
		for _, st := range stores {
			for range 2 {
				wg.Go(func() { outbox.New(st, sender, outbox.Options{}, quiet).SendDue(ctx) })
			}
		}
		wg.Wait()
		got := srv.WaitFor(t, to, n)
		seen := map[string]int{}
		for _, m := range got {
			seen[m.Subject]++
		}
		if len(got) != n || len(seen) != n {
			t.Fatalf("%d messages delivered, %d different, want %d once each", len(got), len(seen), n)
		}
	})
}
