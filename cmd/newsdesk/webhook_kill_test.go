package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

// startHelperServe starts serve in a child process (TestHelperServe) and
// returns it once it listens.
func startHelperServe(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	raw, _ := json.Marshal(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$")
	cmd.Env = append(os.Environ(), "NEWSDESK_HELPER_SERVE="+string(raw))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.Contains(line, "http://") {
		t.Fatalf("the server said %q, %v", line, err)
	}
	go io.Copy(io.Discard, out)
	return cmd
}

// TestKillDuringWebhooksLosesNone kills a server (SIGKILL) while the
// receiver holds its first deliveries unanswered, then starts another on
// the same database: every event reaches the receiver, and an event that
// arrives twice (one in flight at the kill) carries the same webhook-id
// both times, by which a receiver drops the double.
func TestKillDuringWebhooksLosesNone(t *testing.T) {
	if os.Getenv("NEWSDESK_HELPER_SERVE") != "" {
		t.Skip("inside the helper")
	}
	storetest.Engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		data := t.TempDir()
		var (
			mu       sync.Mutex
			arrivals = map[string]int{} // webhook-id: times it arrived
			held     = make(chan struct{})
			first    = make(chan struct{}, 1)
			holding  = true
		)
		rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			mu.Lock()
			arrivals[r.Header.Get("webhook-id")]++
			hold := holding
			mu.Unlock()
			if hold {
				select {
				case first <- struct{}{}:
				default:
				}
				<-held // unanswered until the sender is dead
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		defer rc.Close()

		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		e := &news.WebhookEndpoint{URL: rc.URL + "/hooks", Events: []string{news.EventArticlePublished}, Secret: webhook.NewSecret()}
		if err := st.CreateWebhookEndpoint(ctx, e); err != nil {
			t.Fatal(err)
		}
		sec, err := st.EnsureSectionPath(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		const n = 12
		for i := range n {
			a := &news.Article{Headline: fmt.Sprintf("Story %d", i), Slug: fmt.Sprintf("story-%d", i), Section: sec,
				Status: news.Published, PublishedAt: time.Now(), Body: "B.", BodyHTML: "<p>B.</p>"}
			if err := st.InTx(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, a) }); err != nil {
				t.Fatal(err)
			}
		}

		one := startHelperServe(t, "--data", data, "--db", dsn, "--webhook-allow-private")
		<-first
		if err := one.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		one.Wait()
		mu.Lock()
		holding = false
		inFlight := len(arrivals)
		mu.Unlock()
		close(held)
		// The dead server's claims would lapse 30 s on; the test moves the
		// clock there rather than wait (the lapse itself is
		// store.TestWebhookClaims's).
		if _, err := storetest.RawDB(t, dsn).ExecContext(ctx, `UPDATE webhook_deliveries SET claimed_until = 1 WHERE claimed_until > 0`); err != nil {
			t.Fatal(err)
		}

		startHelperServe(t, "--data", data, "--db", dsn, "--webhook-allow-private")
		deadline := time.Now().Add(60 * time.Second) // a hang guard, not a measure
		for {
			list, err := st.WebhookDeliveries(ctx, e.ID, 100, 0)
			if err != nil {
				t.Fatal(err)
			}
			done := 0
			for _, d := range list {
				if d.Status == news.DeliveryDelivered {
					done++
				}
			}
			if done == n {
				mu.Lock()
				defer mu.Unlock()
				if len(arrivals) != n {
					t.Errorf("%d events arrived, want %d", len(arrivals), n)
				}
				doubles := 0
				for _, d := range list {
					switch k := arrivals[d.EventID]; {
					case k == 0:
						t.Errorf("event %s never arrived", d.EventID)
					case k > 1:
						doubles++
					}
				}
				if doubles > inFlight {
					t.Errorf("%d events arrived twice; only %d were in flight at the kill", doubles, inFlight)
				}
				t.Logf("%d events, %d in flight at the kill, %d of them sent again with their webhook-id", n, inFlight, doubles)
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after the restart, %d of %d delivered", done, n)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
