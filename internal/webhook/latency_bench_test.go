package webhook_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

// BenchmarkPublishToArrival measures issue 17's goal figure, "a webhook
// leaves within 1 s of the publish that caused it": each op publishes a
// story through one store (an instance) and waits until the receiver has
// its delivery, sent by a Sender of another store on the same database
// (another instance), with serve's defaults (a poll every 250 ms). ns/op
// is the mean from the publish's commit to the arrival; p50, p95 and max
// are reported beside it.
//
//	go test ./internal/webhook -run '^$' -bench PublishToArrival -benchtime 40x
func BenchmarkPublishToArrival(b *testing.B) {
	engines := map[string]func(b *testing.B) string{
		"sqlite": func(b *testing.B) string { return filepath.Join(b.TempDir(), "newsdesk.db") },
	}
	if os.Getenv("NEWSDESK_TEST_POSTGRES") != "" {
		engines["postgres"] = func(b *testing.B) string { return testkit.FreshPostgres(b) }
	}
	for _, name := range []string{"sqlite", "postgres"} {
		dsnOf, ok := engines[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			dsn := dsnOf(b)
			writer, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer writer.Close()
			sender, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer sender.Close()
			rc := newReceiver(b)
			rc.register(b, writer, news.EventArticlePublished)
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { webhook.New(sender, webhook.Options{AllowLoopback: true}, quiet()).Run(runCtx); close(done) }()
			defer func() { stop(); <-done }()

			var took []time.Duration
			i := 0
			for b.Loop() {
				i++
				start := time.Now()
				publish(b, writer, fmt.Sprintf("Story %d", i))
				select {
				case <-rc.arrived:
				case <-time.After(time.Minute):
					b.Fatal("nothing arrived in a minute")
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			at := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
			b.ReportMetric(at(0.5), "p50-ms")
			b.ReportMetric(at(0.95), "p95-ms")
			b.ReportMetric(at(1), "max-ms")
		})
	}
}
