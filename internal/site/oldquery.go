package site

import (
	"net/http"
	"net/url"

	"github.com/newsdesk/newsdesk/internal/news"
)

// oldQueryKeys are the query parameters by which the systems sites move
// from addressed a post, a page or an archive at the site's root: WordPress's
// "/?p=123", "/?page_id=7", "/?attachment_id=9", "/?cat=4", "/?tag=x" and
// "/?feed=rss2". An import keeps each such address (store.AddOldAddress)
// as "/?key=value".
var oldQueryKeys = []string{"p", "page_id", "attachment_id", "cat", "tag", "feed"}

// oldQueryOf is the address an import would have kept for a request to
// the root with a query, or "" when the query names none of oldQueryKeys.
func oldQueryOf(u *url.URL) string {
	if u.Path != "/" || u.RawQuery == "" {
		return ""
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return ""
	}
	for _, k := range oldQueryKeys {
		if v := q.Get(k); v != "" && len(v) <= 200 {
			return "/?" + url.Values{k: {v}}.Encode()
		}
	}
	return ""
}

// showOldQuery answers an old "/?p=123" address with a 301 to where its
// item is now, and anything else at the root with the home page.
func (s *Site) showOldQuery(home http.Handler) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		old := oldQueryOf(r.URL)
		if old == "" {
			home.ServeHTTP(w, r)
			return nil
		}
		to, err := s.store.Redirect(r.Context(), old)
		if news.ErrorCode(err) == news.ENOTFOUND {
			home.ServeHTTP(w, r)
			return nil
		}
		if err != nil {
			return err
		}
		s.redirect(w, r, to)
		return nil
	}
}
