// Command memserve is the yardstick of scripts/bench-load: the smallest Go
// HTTP server that answers every request with the same bytes from memory,
// gzip-encoded as Newsdesk's page cache sends them. Its requests per second
// are the ceiling for any Go server on the machine.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	file := flag.String("gzip-file", "", "the gzip-encoded page to send")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	length := strconv.Itoa(len(body))
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", length)
		w.Write(body)
	})))
}
