package site_test

import (
	"bytes"
	stdgzip "compress/gzip"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// BenchmarkCompress measures the page cache's choice of compression
// levels (internal/cache, gzipLevel and brotliLevel) on the pages of the
// benchmark archive: time per page and, as "bytes", the compressed size.
// Writers are reused, as the cache reuses them. Figures: the comment in
// internal/cache/cache.go and docs/performance.md.
func BenchmarkCompress(b *testing.B) {
	s, pages := benchSite(b)
	h := s.Handler()
	for _, p := range pages {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p.path, nil)) // no Accept-Encoding: the page itself
		raw := rec.Body.Bytes()
		b.Logf("%s: %d bytes", p.name, len(raw))
		// The standard library's gzip, which the cache used before, and
		// klauspost/compress's, which it uses now.
		for _, level := range []int{1, 6, 9} {
			b.Run(fmt.Sprintf("%s/stdgzip-%d", p.name, level), func(b *testing.B) {
				zw, _ := stdgzip.NewWriterLevel(nil, level)
				var buf bytes.Buffer
				for b.Loop() {
					buf.Reset()
					zw.Reset(&buf)
					zw.Write(raw)
					zw.Close()
				}
				b.ReportMetric(float64(buf.Len()), "bytes")
			})
			b.Run(fmt.Sprintf("%s/gzip-%d", p.name, level), func(b *testing.B) {
				zw, _ := gzip.NewWriterLevel(nil, level)
				var buf bytes.Buffer
				for b.Loop() {
					buf.Reset()
					zw.Reset(&buf)
					zw.Write(raw)
					zw.Close()
				}
				b.ReportMetric(float64(buf.Len()), "bytes")
			})
		}
		for _, level := range []int{4, 5, 6} {
			b.Run(fmt.Sprintf("%s/brotli-%d", p.name, level), func(b *testing.B) {
				bw := brotli.NewWriterLevel(nil, level)
				var buf bytes.Buffer
				for b.Loop() {
					buf.Reset()
					bw.Reset(&buf)
					bw.Write(raw)
					bw.Close()
				}
				b.ReportMetric(float64(buf.Len()), "bytes")
			})
		}
	}
}
