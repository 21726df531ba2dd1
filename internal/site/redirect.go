package site

import (
	"net/http"

	"github.com/newsdesk/newsdesk/internal/news"
)

// orRedirect answers a page that was not found with a 301 to where its
// article or section is now, when the newsroom moved it (a new slug, a new
// section, a renamed or moved section). Any other outcome passes through.
func (s *Site) orRedirect(w http.ResponseWriter, r *http.Request, err error) error {
	if news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	to, rerr := s.store.Redirect(r.Context(), r.URL.Path)
	if rerr != nil {
		if news.ErrorCode(rerr) == news.ENOTFOUND {
			return err
		}
		return rerr
	}
	s.redirect(w, r, to)
	return nil
}
