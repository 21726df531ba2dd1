// Command memserve is the yardstick of scripts/bench-load: the smallest Go
// HTTP server that answers every request with the same bytes from memory,
// gzip-encoded as Newsdesk's page cache sends them, with the same headers
// (-headers: a file of "Name: value" lines, as curl -D writes them). Its
// requests per second are the ceiling for any Go server on the machine.
package main

import (
	"bufio"
	"flag"
	"log"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	file := flag.String("gzip-file", "", "the gzip-encoded page to send")
	headerFile := flag.String("headers", "", "a `file` of response headers to send as well, one \"Name: value\" a line")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	fixed := http.Header{
		"Content-Type":     {"text/html; charset=utf-8"},
		"Content-Encoding": {"gzip"},
		"Content-Length":   {strconv.Itoa(len(body))},
	}
	if *headerFile != "" {
		if err := readHeaders(*headerFile, fixed); err != nil {
			log.Fatal(err)
		}
	}
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range fixed {
			h[k] = v
		}
		w.Write(body)
	})))
}

// readHeaders adds the headers in a curl -D dump to h, except those the
// server sets itself or that describe another body.
func readHeaders(name string, h http.Header) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok || strings.HasPrefix(k, "HTTP/") {
			continue
		}
		k = textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k))
		switch k {
		case "Date", "Content-Length", "Content-Type", "Content-Encoding":
			continue
		}
		h[k] = append(h[k], strings.TrimSpace(v))
	}
	return sc.Err()
}
