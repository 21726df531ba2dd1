package api_test

import (
	"net/http/httptest"
	"net/url"
	"os"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/generate"
	"github.com/newsdesk/newsdesk/internal/store"
)

func TestScratchAPIProf(t *testing.T) {
	path := os.Getenv("SCRATCH_DB")
	if path == "" {
		t.Skip()
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	base, _ := url.Parse("http://x")
	h := api.New(api.Config{BaseURL: base}, st, nil).Handler()
	qs := generate.BenchQueries()[os.Getenv("SCRATCH_KIND")]
	do := func(q string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/search?q="+url.QueryEscape(q), nil))
	}
	for _, q := range qs {
		do(q)
	}
	f, _ := os.Create("/tmp/api.prof")
	pprof.StartCPUProfile(f)
	var r0, r1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	n := 0
	t0 := time.Now()
	for range 10 {
		for _, q := range qs {
			do(q)
			n++
		}
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	pprof.StopCPUProfile()
	t.Logf("wall %v, CPU %v per request", time.Since(t0)/time.Duration(n), time.Duration(r1.Utime.Nano()+r1.Stime.Nano()-r0.Utime.Nano()-r0.Stime.Nano())/time.Duration(n))
}
