// Command visible is the stopwatch of scripts/bench-load: it asks for some
// pages of a running site again and again (keep-alive, a few milliseconds
// apart, all pages at once) until every one of them contains a piece of
// text, and prints how many milliseconds that took. Started right after a
// publish returns, it measures publish-to-visible without the cost of
// starting a process per try.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "", "the site's `URL`, e.g. http://127.0.0.1:8080")
	paths := flag.String("paths", "/", "comma-separated `paths` that must all show the text")
	want := flag.String("want", "", "the `text` to wait for")
	every := flag.Duration("every", 5*time.Millisecond, "pause between two tries of one page")
	limit := flag.Duration("timeout", 5*time.Second, "give up after this long")
	flag.Parse()
	if *base == "" || *want == "" {
		fmt.Fprintln(os.Stderr, "usage: visible -base URL -paths /,/news/ -want TEXT")
		os.Exit(2)
	}
	start := time.Now()
	deadline := start.Add(*limit)
	client := &http.Client{Timeout: *limit}
	var wg sync.WaitGroup
	ok := true
	var mu sync.Mutex
	for _, p := range strings.Split(*paths, ",") {
		wg.Add(1)
		go func(url string) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if res, err := client.Get(url); err == nil {
					body, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if res.StatusCode == http.StatusOK && bytes.Contains(body, []byte(*want)) {
						return
					}
				}
				time.Sleep(*every)
			}
			mu.Lock()
			ok = false
			mu.Unlock()
		}(*base + p)
	}
	wg.Wait()
	if !ok {
		fmt.Fprintf(os.Stderr, "not visible within %s\n", *limit)
		os.Exit(1)
	}
	fmt.Println(time.Since(start).Milliseconds())
}
