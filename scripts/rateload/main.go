// Command rateload is the load of scripts/bench-backup: it asks a running
// site for a list of pages at a steady rate (500 requests a second by
// default), each request sent at its appointed time whether or not the
// ones before have been answered, and times each from that appointed time:
// a server that stalls is charged for every request that waited, not only
// for the one it was slow to answer (no coordinated omission). It runs
// until it gets SIGINT or SIGTERM, then reads the marks file (lines
// "NAME UNIX-MILLISECONDS" that the script writes when a backup begins and
// ends) and prints the latencies of the requests appointed before the
// first mark, between each two, and after the last.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// sample is one request: when it was due, how long it took from then, and
// whether it succeeded.
type sample struct {
	due     time.Time
	latency time.Duration
	ok      bool
}

func main() {
	urls := flag.String("urls", "", "`file` of URLs, one a line, asked for in turn")
	rate := flag.Int("rate", 500, "requests a `second`")
	marks := flag.String("marks", "", "`file` of marks, read at the end (see the package comment)")
	slow := flag.Duration("slow", 100*time.Millisecond, "a request this slow or slower is counted, and listed")
	warm := flag.Int("warm", 0, "before the timed load, ask for every page once with this many `clients` (0: no warm-up)")
	ready := flag.String("ready", "", "`file` made when the warm-up is done, for the script to wait for")
	flag.Parse()
	list, err := readLines(*urls)
	if err != nil || len(list) == 0 {
		fmt.Fprintln(os.Stderr, "usage: rateload -urls FILE [-rate 500] [-marks FILE]", err)
		os.Exit(2)
	}
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 1000, DisableCompression: true},
	}
	if *warm > 0 {
		// Every page once, a few at a time, so that the timed load
		// meets the site as readers do: its pages cached.
		t0 := time.Now()
		next := make(chan string)
		var wg sync.WaitGroup
		for range *warm {
			wg.Go(func() {
				for u := range next {
					if res, err := client.Get(u); err == nil {
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
					}
				}
			})
		}
		for _, u := range list {
			next <- u
		}
		close(next)
		wg.Wait()
		fmt.Fprintf(os.Stderr, "rateload: %d pages warmed in %v\n", len(list), time.Since(t0).Round(time.Millisecond))
		if *ready != "" {
			os.WriteFile(*ready, nil, 0o644)
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)

	var (
		mu      sync.Mutex
		samples []sample
		wg      sync.WaitGroup
	)
	interval := time.Second / time.Duration(*rate)
	start := time.Now()
loop:
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			select {
			case <-sig:
				break loop
			case <-time.After(d):
			}
		} else {
			select {
			case <-sig:
				break loop
			default:
			}
		}
		url := list[i%len(list)]
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			res, err := client.Do(req)
			ok := err == nil
			if err == nil {
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				ok = err == nil && res.StatusCode == http.StatusOK
			}
			s := sample{due: due, latency: time.Since(due), ok: ok}
			mu.Lock()
			samples = append(samples, s)
			mu.Unlock()
		})
	}
	wg.Wait()

	var marked []mark
	if *marks != "" {
		lines, err := readLines(*marks)
		if err != nil {
			fmt.Fprintln(os.Stderr, "rateload:", err)
		}
		for _, l := range lines {
			name, v, _ := strings.Cut(l, " ")
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				fmt.Fprintf(os.Stderr, "rateload: mark %q: %v\n", l, err)
				continue
			}
			marked = append(marked, mark{name, time.UnixMilli(n)})
		}
	}
	slices.SortFunc(samples, func(a, b sample) int { return a.due.Compare(b.due) })
	fmt.Printf("%-28s %8s %8s %8s %8s %8s %8s %9s %7s\n", "phase", "requests", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "slow", "failed")
	from, name := start, "before "+firstName(marked)
	for i := 0; i <= len(marked); i++ {
		to := time.Now().Add(time.Hour)
		if i < len(marked) {
			to = marked[i].at
		}
		var phase []sample
		for _, s := range samples {
			if !s.due.Before(from) && s.due.Before(to) {
				phase = append(phase, s)
			}
		}
		report(name, phase, *slow)
		if i < len(marked) {
			from = marked[i].at
			name = "after " + marked[i].name
			if i+1 < len(marked) {
				name = marked[i].name + " .. " + marked[i+1].name
			}
		}
	}
	fmt.Printf("\nslow requests (%v or more), by the time they were due:\n", *slow)
	n := 0
	for _, s := range samples {
		if s.latency >= *slow {
			n++
			if n <= 20 {
				fmt.Printf("  %s  %7.1f ms\n", s.due.UTC().Format("15:04:05.000"), ms(s.latency))
			}
		}
	}
	if n == 0 {
		fmt.Println("  none")
	} else if n > 20 {
		fmt.Printf("  ... and %d more\n", n-20)
	}
}

// mark is a moment the script noted: a backup's beginning or end.
type mark struct {
	name string
	at   time.Time
}

func firstName(marked []mark) string {
	if len(marked) == 0 {
		return "the end"
	}
	return marked[0].name
}

func report(name string, s []sample, slow time.Duration) {
	if len(s) == 0 {
		fmt.Printf("%-28s %8d\n", name, 0)
		return
	}
	lat := make([]time.Duration, len(s))
	failed, slowN := 0, 0
	for i, x := range s {
		lat[i] = x.latency
		if !x.ok {
			failed++
		}
		if x.latency >= slow {
			slowN++
		}
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return ms(lat[min(len(lat)-1, int(p*float64(len(lat))))]) }
	secs := s[len(s)-1].due.Sub(s[0].due).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(len(s)) / secs
	}
	fmt.Printf("%-28s %8d %8.0f %8.2f %8.2f %8.2f %8.2f %9d %7d\n", name, len(s), rate, q(0.5), q(0.99), q(0.999), ms(lat[len(lat)-1]), slowN, failed)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func readLines(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}
