package search

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/news"
)

// MaxPage is the deepest page of results anyone can ask for. Ranked results
// end long before it (see store.SearchCandidates); it only keeps a made-up
// page number from meaning anything.
const MaxPage = 1000

// maxShown bounds what is kept of the query as typed, for showing it back.
const maxShown = 200

// Request is a search as a URL asks for it:
// ?q=words&section=news/europe&from=2024-01-31&to=2024-12-31&page=2.
// The site and the API read the same parameters the same way.
type Request struct {
	// Q is the query as typed, for the search box and links to other
	// pages: valid UTF-8, control characters as spaces, cut to the part
	// Parse reads.
	Q     string
	Query Query
	// Section is a section path ("news/europe"): the results are from it
	// and its subsections. "" for all.
	Section string
	// From and To are the dates as given (YYYY-MM-DD), both inclusive; ""
	// for no bound.
	From, To string
	// Since and Before are the same bounds as times: publication at or
	// after Since, and before Before (the day after To), in UTC.
	Since, Before time.Time
	// Page is the page of results, from 1.
	Page int
}

// ParseRequest reads a search from URL parameters. The query itself is
// never wrong (any text is a query, see Parse); a filter or a page number
// that means nothing is an EINVALID error naming the parameter.
func ParseRequest(v url.Values) (Request, error) {
	r := Request{Page: 1}
	raw := v.Get("q")
	r.Query = Parse(raw)
	r.Q = cleanQ(raw)
	var p news.Problems
	if sec := strings.Trim(strings.TrimSpace(v.Get("section")), "/"); sec != "" {
		ok := len(sec) <= 1000
		for part := range strings.SplitSeq(sec, "/") {
			ok = ok && news.ValidSlug(part)
		}
		if ok {
			r.Section = sec
		} else {
			p.Add("section", "%q is not a section", shown(sec))
		}
	}
	var err error
	if r.From = strings.TrimSpace(v.Get("from")); r.From != "" {
		if r.Since, err = parseDay(r.From); err != nil {
			p.Add("from", "%q is not a date: use the form 2024-01-31", shown(r.From))
		}
	}
	if r.To = strings.TrimSpace(v.Get("to")); r.To != "" {
		var day time.Time
		if day, err = parseDay(r.To); err != nil {
			p.Add("to", "%q is not a date: use the form 2024-12-31", shown(r.To))
		} else {
			r.Before = day.AddDate(0, 0, 1)
		}
	}
	if !r.Since.IsZero() && !r.Before.IsZero() && !r.Since.Before(r.Before) {
		p.Add("to", "is before the start date")
	}
	if s := strings.TrimSpace(v.Get("page")); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil || n < 1:
			p.Add("page", "%q is not a page number", shown(s))
		case n > MaxPage:
			p.Add("page", "there are at most %d pages of results", MaxPage)
		default:
			r.Page = n
		}
	}
	return r, p.Err()
}

// Filtered reports whether the request narrows results by section or date.
func (r Request) Filtered() bool {
	return r.Section != "" || r.From != "" || r.To != ""
}

// Values returns the URL parameters of the same search at another page
// (page 1 is left out), and without filters when filters is false.
func (r Request) Values(page int, filters bool) url.Values {
	v := url.Values{}
	v.Set("q", r.Q)
	if filters {
		if r.Section != "" {
			v.Set("section", r.Section)
		}
		if r.From != "" {
			v.Set("from", r.From)
		}
		if r.To != "" {
			v.Set("to", r.To)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

// Short is the query as typed, cut to 200 characters, for titles and
// headings.
func (r Request) Short() string { return shown(r.Q) }

// cleanQ keeps what Parse reads of a query, as text that can be shown.
func cleanQ(s string) string {
	if len(s) > maxScan {
		s = s[:maxScan]
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// parseDay reads YYYY-MM-DD as the start of that day in UTC.
func parseDay(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, s)
}

// shown makes text from a URL safe to show back: valid UTF-8, at most
// maxShown characters.
func shown(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= maxShown {
		return s
	}
	n := 0
	for i := range s {
		if n == maxShown {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
