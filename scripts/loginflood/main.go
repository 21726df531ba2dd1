// Command loginflood is the load of scripts/bench-login: it measures a
// cached page's latency on a running site, first alone, then while a
// number of clients (1,000 by default) post logins with wrong passwords,
// each waiting -pause after an answer before the next, each from its own address (sent as
// X-Forwarded-For: the server must trust 127.0.0.1 as a proxy) and for its
// own account. It prints what each login got and the page's latencies.
// Every request has a timeout and the whole run a deadline, so it stops
// by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "", "the site's `URL`, e.g. http://127.0.0.1:8080")
	page := flag.String("page", "/", "the cached page whose latency is measured")
	logins := flag.Int("logins", 1000, "concurrent login clients")
	account := flag.String("account", "", "an existing account's e-mail: every tenth client tries it (wrong passwords)")
	dur := flag.Duration("duration", 10*time.Second, "how long the flood lasts")
	alone := flag.Duration("alone", 3*time.Second, "how long the page is measured before the flood")
	readers := flag.Int("readers", 8, "clients reading the page, one request after another each")
	pause := flag.Duration("pause", time.Second, "how long each login client waits after an answer before its next login")
	flag.Parse()
	if *base == "" {
		fmt.Fprintln(os.Stderr, "usage: loginflood -base URL [-page /path] [-logins 1000]")
		os.Exit(2)
	}
	pageURL := *base + *page

	before := readPage(context.Background(), pageURL, *readers, *alone)

	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	var pageLat []time.Duration
	var pageErrs int
	done := make(chan struct{})
	go func() {
		r := readPage(ctx, pageURL, *readers, *dur)
		pageLat, pageErrs = r.lat, r.errs
		close(done)
	}()

	tr := &http.Transport{MaxIdleConns: *logins, MaxIdleConnsPerHost: *logins, IdleConnTimeout: time.Minute}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var (
		mu       sync.Mutex
		statuses = map[string]int{}
		loginLat []time.Duration
		sent     atomic.Int64
		wg       sync.WaitGroup
	)
	start := make(chan struct{})
	for i := range *logins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
			email := fmt.Sprintf("reader%d@example.org", i)
			if *account != "" && i%10 == 0 {
				email = *account
			}
			<-start
			for n := 0; ctx.Err() == nil; n++ {
				form := url.Values{"email": {email}, "password": {fmt.Sprintf("wrong guess %d of client %d", n, i)}}
				req, _ := http.NewRequestWithContext(ctx, "POST", *base+"/admin/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				// As a browser sends them from the newsroom's own page:
				// the cross-origin protection lets the form through.
				req.Header.Set("Origin", *base)
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				req.Header.Set("X-Forwarded-For", addr)
				t0 := time.Now()
				res, err := client.Do(req)
				took := time.Since(t0)
				sent.Add(1)
				key := ""
				if err != nil {
					if ctx.Err() != nil {
						return // the flood's end, not the server's answer
					}
					key = "error"
				} else {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					key = fmt.Sprint(res.StatusCode)
				}
				mu.Lock()
				statuses[key]++
				loginLat = append(loginLat, took)
				mu.Unlock()
				// With the default pause, the clients answered at once
				// (refused) start again together: waves of up to -logins
				// concurrent logins, one a second.
				select {
				case <-ctx.Done():
				case <-time.After(*pause):
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	<-done

	fmt.Printf("page %s alone (%s, %d readers):   %s\n", *page, *alone, *readers, before.summary())
	fmt.Printf("page %s during the flood (%s): %s\n", *page, *dur, latSummary(pageLat, pageErrs))
	var keys []string
	for k := range statuses {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, statuses[k]))
	}
	fmt.Printf("logins: %d clients, %d answered (%s)\n", *logins, len(loginLat), strings.Join(parts, ", "))
	fmt.Printf("login answer times: %s\n", latSummary(loginLat, 0))
}

type pageResult struct {
	lat  []time.Duration
	errs int
}

func (r pageResult) summary() string { return latSummary(r.lat, r.errs) }

// readPage asks for the page again and again from n clients until ctx
// ends or d has passed, and returns every latency.
func readPage(ctx context.Context, pageURL string, n int, d time.Duration) pageResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: n}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var res pageResult
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "GET", pageURL, nil)
				req.Header.Set("Accept-Encoding", "gzip") // as browsers ask; the body is not unpacked
				t0 := time.Now()
				r, err := client.Do(req)
				ok := err == nil
				if ok {
					io.Copy(io.Discard, r.Body)
					r.Body.Close()
					ok = r.StatusCode == http.StatusOK
				}
				took := time.Since(t0)
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				if ok {
					res.lat = append(res.lat, took)
				} else {
					res.errs++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return res
}

func latSummary(lat []time.Duration, errs int) string {
	if len(lat) == 0 {
		return fmt.Sprintf("no answers, %d errors", errs)
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	q := func(p float64) string {
		return fmt.Sprintf("%.1f", float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds())/1000)
	}
	return fmt.Sprintf("%d answers, p50 %s ms, p90 %s ms, p99 %s ms, max %s ms, %d errors", len(s), q(0.5), q(0.9), q(0.99), q(1), errs)
}
