package site

import (
	"net/http"
	"strings"

	"github.com/newsdesk/newsdesk/internal/markup"
)

// csp allows the page's own stylesheet, images and scripts, and nothing
// else from this site: nothing is loaded from another origin, but for the
// player of an embed the reader asked for (frame-src: exactly the
// providers' player origins, markup.EmbedFrameOrigins). The only script is
// the site's own embed.js, from a file: no inline script runs.
// connect-src 'self' lets tools that fetch from inside the page reach this
// site's own files (Lighthouse reads robots.txt that way).
var csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
	"frame-src " + strings.Join(markup.EmbedFrameOrigins(), " ") + "; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'; object-src 'none'"

// security are the headers every public answer carries. Each value is a
// slice of one, made once and shared by every answer: setting them costs
// no allocation on the cached path. Sharing is safe because a slice of
// capacity one is copied, never written through, by a later Add.
var security = [...]struct {
	name  string
	value []string
}{
	{"Content-Security-Policy", []string{csp}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=(), interest-cohort=()"}},
}

// securityHeaders sets the headers every public answer carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, x := range security {
			h[x.name] = x.value
		}
		next.ServeHTTP(w, r)
	})
}
