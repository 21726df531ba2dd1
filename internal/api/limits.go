package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
)

// Limits bound how fast one token and one client address may call the API
// with credentials or to write: a token bucket each, which holds Burst
// calls and refills at PerSecond. A call over either limit is answered 429
// with Retry-After, the seconds until the bucket holds a call again.
//
// The buckets are in each process, unlike the login throttle's attempts
// (internal/auth/throttle.go), which are in the database because a guessed
// password must be counted across instances. Here nothing is guessed (a
// token has 256 random bits and an unknown one costs a lookup by hash),
// the limit only spares the database a runaway script, and with N
// instances behind a balancer a client gets at most N times the rate.
type Limits struct {
	TokenPerSecond, TokenBurst float64 // per token; 0 for 10 a second, 100 at once
	AddrPerSecond, AddrBurst   float64 // per client address (an IPv6 /64); 0 for 20 a second, 200 at once
	// Now is the clock, for tests; nil for time.Now.
	Now func() time.Time
}

// maxBuckets bounds the buckets kept: past it, the full ones (callers
// quiet long enough to have their whole burst back) are dropped, which
// forgets nothing that limits anyone.
const maxBuckets = 100_000

type bucket struct {
	tokens float64
	at     time.Time
}

// limiter holds the buckets.
type limiter struct {
	cfg     Limits
	mu      sync.Mutex
	buckets map[string]*bucket
}

func newLimiter(cfg Limits) *limiter {
	if cfg.TokenPerSecond <= 0 {
		cfg.TokenPerSecond = 10
	}
	if cfg.TokenBurst <= 0 {
		cfg.TokenBurst = 100
	}
	if cfg.AddrPerSecond <= 0 {
		cfg.AddrPerSecond = 20
	}
	if cfg.AddrBurst <= 0 {
		cfg.AddrBurst = 200
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &limiter{cfg: cfg, buckets: map[string]*bucket{}}
}

// rate is the refill and size of a key's bucket, by its kind.
func (l *limiter) rate(key string) (perSecond, burst float64) {
	if len(key) > 5 && key[:5] == "addr " {
		return l.cfg.AddrPerSecond, l.cfg.AddrBurst
	}
	return l.cfg.TokenPerSecond, l.cfg.TokenBurst
}

// allow takes one call from key's bucket. When it is empty it sets
// Retry-After on w, takes nothing, and returns false.
func (l *limiter) allow(w http.ResponseWriter, key string) bool {
	perSecond, burst := l.rate(key)
	now := l.cfg.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: burst, at: now}
		l.buckets[key] = b
	}
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = math.Min(burst, b.tokens+dt*perSecond)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	wait := math.Ceil((1 - b.tokens) / perSecond)
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait))))
	return false
}

// sweep drops the buckets that are full by now.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		perSecond, burst := l.rate(k)
		if b.tokens+now.Sub(b.at).Seconds()*perSecond >= burst {
			delete(l.buckets, k)
		}
	}
}

// tooMany answers a call over a limit; allow has set Retry-After.
func (a *API) tooMany(w http.ResponseWriter, r *http.Request) {
	a.writeJSON(w, r, http.StatusTooManyRequests, errorBody{Error: errorJSON{Code: "rate_limited",
		Message: "too many requests: wait " + w.Header().Get("Retry-After") + " s (see Retry-After)"}})
}

// clientKey is the address a limit counts, as the login throttle counts
// it (auth.AddressKey): an IPv4 address, however it reached the site
// (written in IPv6, through NAT64 or SIIT, 6to4, Teredo), or the /64 of
// an IPv6 one, since one client commonly holds a whole /64.
func clientKey(addr string) string { return auth.AddressKey(addr) }
