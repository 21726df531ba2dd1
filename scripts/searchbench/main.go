// Command searchbench is the load tool of scripts/bench-search: it sends the
// search queries of internal/generate.BenchQueries (common words, rare
// words, phrases, hostile input; with -stories, the words of bench-search's
// hostile stories) to a Newsdesk server on this machine and
// prints latency percentiles per kind of query, with any answer that is not
// a 200 counted as an error.
//
// The JSON API is measured (GET /api/v1/search), as it is not behind the
// page cache: every request runs the search. Each kind of query runs for
// -n requests or -d, whichever ends first, with -c requests at a time; the
// queries of a kind are taken in turn. -html also fetches every query once
// from the HTML search page, before anything is cached. With -pid, the
// server's CPU time per request is reported too.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/generate"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the server, on this machine")
	n := flag.Int("n", 2000, "requests per kind of query, at most")
	d := flag.Duration("d", 20*time.Second, "time per kind of query, at most")
	c := flag.Int("c", 1, "requests at a time")
	html := flag.Bool("html", false, "also fetch each query once from the HTML search page")
	pid := flag.Int("pid", 0, "the server's process id: report its CPU time per request (Linux)")
	stories := flag.Bool("stories", false, "also query the words of bench-search's hostile stories (kind \"stories\")")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil || u.Scheme != "http" {
		fail("-url %q: give http://127.0.0.1:PORT", *base)
	}
	// Loopback only: this is a load tool, not to be pointed elsewhere.
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		fail("-url %q: only a loopback address (127.0.0.1, ::1) is allowed", *base)
	}
	if *n < 1 || *c < 1 || *c > 64 {
		fail("-n must be at least 1 and -c from 1 to 64")
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *c}}
	queries := generate.BenchQueries()
	kinds := []string{"common", "rare", "phrase", "hostile"}
	if *stories {
		// Each matches every hostile story bench-search imported: a page
		// of results whose every snippet comes from one of them.
		queries["stories"] = []string{"ferry crossings", "ferry", "crossings resumed", `"ferry resumed"`, "passengers calm"}
		kinds = append(kinds, "stories")
	}

	fmt.Printf("%-9s %7s %9s %9s %9s %9s %7s %9s %9s\n", "queries", "reqs", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "matches", "CPU ms")
	var all []time.Duration
	for _, kind := range kinds {
		cpu0 := cpuTime(*pid)
		r := run(client, *base, queries[kind], *n, *d, *c)
		r.cpu = (cpuTime(*pid) - cpu0) / time.Duration(max(1, len(r.lat)))
		if kind != "hostile" {
			all = append(all, r.lat...)
		}
		r.print(kind)
	}
	slices.Sort(all)
	fmt.Printf("%-9s %7d %9.2f %9.2f %9.2f %9.2f\n", "all but hostile", len(all), ms(pct(all, 50)), ms(pct(all, 95)), ms(pct(all, 99)), ms(pct(all, 100)))

	if *html {
		fmt.Printf("\nHTML search page, each query once, uncached:\n")
		var lat []time.Duration
		errs := 0
		for _, kind := range kinds {
			for _, q := range queries[kind] {
				start := time.Now()
				status, _, err := get(client, *base+"/search?q="+url.QueryEscape(q))
				lat = append(lat, time.Since(start))
				if err != nil || status != http.StatusOK {
					errs++
				}
			}
		}
		slices.Sort(lat)
		fmt.Printf("%-9s %7d %9.2f %9.2f %9.2f %9.2f %7d\n", "html", len(lat), ms(pct(lat, 50)), ms(pct(lat, 95)), ms(pct(lat, 99)), ms(pct(lat, 100)), errs)
	}
}

// result is one kind's measurements.
type result struct {
	lat     []time.Duration
	errors  int64
	matches int64
	cpu     time.Duration // the server's CPU time per request, when known
}

func (r result) print(kind string) {
	slices.Sort(r.lat)
	avg := 0.0
	if len(r.lat) > 0 {
		avg = float64(r.matches) / float64(len(r.lat))
	}
	cpu := "-"
	if r.cpu > 0 {
		cpu = fmt.Sprintf("%.2f", ms(r.cpu))
	}
	fmt.Printf("%-9s %7d %9.2f %9.2f %9.2f %9.2f %7d %9.1f %9s\n", kind, len(r.lat), ms(pct(r.lat, 50)), ms(pct(r.lat, 95)),
		ms(pct(r.lat, 99)), ms(pct(r.lat, 100)), r.errors, avg, cpu)
}

// run sends the queries in turn, c at a time, until n requests or d.
func run(client *http.Client, base string, queries []string, n int, d time.Duration, c int) result {
	var (
		next    atomic.Int64
		mu      sync.Mutex
		res     result
		wg      sync.WaitGroup
		stopped = time.Now().Add(d)
	)
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || time.Now().After(stopped) {
					return
				}
				q := queries[int(i)%len(queries)]
				start := time.Now()
				status, body, err := get(client, base+"/api/v1/search?q="+url.QueryEscape(q))
				took := time.Since(start)
				var ans struct{ Total int }
				bad := err != nil || status != http.StatusOK || json.Unmarshal(body, &ans) != nil
				mu.Lock()
				res.lat = append(res.lat, took)
				if bad {
					res.errors++
				}
				res.matches += int64(ans.Total)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return res
}

func get(client *http.Client, u string) (int, []byte, error) {
	resp, err := client.Get(u)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// cpuTime is the user and system CPU time of process pid so far, from
// /proc (Linux), or 0 when pid is 0 or unknown. It counts the server's own
// work, which other load on the machine does not inflate as it does wall
// time.
func cpuTime(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: utime and stime are the 12th and 13th of them.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	// Clock ticks: 100 a second on Linux for user space (USER_HZ).
	return time.Duration(ut+st) * (time.Second / 100)
}

// pct is the p-th percentile of sorted durations (nearest rank).
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i, len(sorted))-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "searchbench: "+format+"\n", args...)
	os.Exit(2)
}
