package site

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// securityTxtPath is where RFC 9116 puts a site's security contact.
const securityTxtPath = "/.well-known/security.txt"

// securityTxtAge is how long browsers and the CDN may keep the file.
const securityTxtAge = 24 * time.Hour

// showSecurityTxt answers /.well-known/security.txt (RFC 9116) with the
// publication's security contact from the newsroom's settings, or 404 when
// none is set: an empty file would tell a finder nothing, and a made-up
// address would send reports nowhere. The contact is for the publication's
// site; the Newsdesk software's own is in docs/security.md.
//
// The file is outside the page cache: its Expires is a year ahead of the
// answer, less a day, so it stays under the year the RFC advises for as
// long as a cache may keep it (securityTxtAge), where a cached page could
// be kept until it had passed. Canonical names every address the site
// answers at, since a reader who fetched it from a mirror or the onion
// address should find that address among them.
func (s *Site) showSecurityTxt(w http.ResponseWriter, r *http.Request) error {
	st := s.settings(r.Context())
	if st.SecurityContact == "" {
		return news.NotFound("this site has not named a security contact")
	}
	var b strings.Builder
	line := func(field, value string) { b.WriteString(field + ": " + value + "\n") }
	line("Contact", st.SecurityContact)
	line("Expires", s.now().UTC().AddDate(1, 0, -1).Truncate(time.Second).Format(time.RFC3339))
	if st.SecurityPolicy != "" {
		line("Policy", st.SecurityPolicy)
	}
	if st.Language != "" {
		line("Preferred-Languages", st.Language)
	}
	line("Canonical", s.cfg.abs(securityTxtPath))
	for _, u := range st.Addresses.Mirrors {
		line("Canonical", strings.TrimSuffix(u.String(), "/")+securityTxtPath)
	}
	if st.Addresses.Onion != nil {
		line("Canonical", strings.TrimSuffix(st.Addresses.Onion.String(), "/")+securityTxtPath)
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(securityTxtAge/time.Second)))
	if r.Method != http.MethodHead {
		w.Write([]byte(b.String()))
	}
	return nil
}
