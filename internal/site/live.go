package site

import (
	"context"
	"html/template"
	"time"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
)

// A live story's page (issue 19): the story's body is its key points, and
// its updates follow, pinned ones first, then newest first, each under its
// own anchor (#update-ID), which is its permanent address. The page is
// whole without JavaScript: current when it is loaded, and purged from
// the page cache by each update (the store records a change naming the
// story's page).

// liveStory is what a story's page shows of its live coverage.
type liveStory struct {
	Coverage news.Coverage
	Updates  []news.LiveUpdate
}

// maxLiveLD bounds the updates the structured data lists: the newest
// ones; the page shows all.
const maxLiveLD = 50

// liveOf reads a story's live coverage, or nil when it never was live.
func (s *Site) liveOf(ctx context.Context, a *news.Article) (*liveStory, error) {
	c, err := s.store.Coverage(ctx, a.ID)
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l := &liveStory{Coverage: c}
	if l.Updates, err = s.store.LiveUpdates(ctx, a.ID); err != nil {
		return nil, err
	}
	return l, nil
}

// addLive puts a live story's parts on its page: the status line and the
// "Key points" heading above the body, and the updates below it.
func (v *articleView) addLive(l *liveStory, zone *time.Location) {
	f := newFrag(256)
	f.raw("\n  <p class=\"live-status\">")
	if l.Coverage.Live() {
		f.raw(`<strong class="live-badge">Live</strong> Coverage since `)
		timeHTML(f, l.Coverage.Started, zone, dateLayout)
	} else {
		f.raw(`Live coverage ended `)
		timeHTML(f, l.Coverage.Ended, zone, dateLayout)
	}
	f.raw("</p>\n  <h2 class=\"key-points\">Key points</h2>")
	v.LiveHead = f.html()

	f = newFrag(512 + 1024*len(l.Updates))
	f.raw("\n  <section class=\"live\" id=\"live\" aria-labelledby=\"live-title\">\n    <h2 id=\"live-title\">Live updates</h2>")
	if len(l.Updates) == 0 {
		f.raw("\n    <p class=\"empty\">No updates yet.</p>")
	} else {
		f.raw("\n    <ol class=\"live-updates\">")
		for _, u := range l.Updates {
			f.raw("\n      <li class=\"live-update")
			if u.Pinned {
				f.raw(" pinned")
			}
			f.raw(`" id="`)
			f.text(u.Anchor())
			f.raw("\">\n        <p class=\"live-meta\">")
			if u.Pinned {
				f.raw(`<strong class="pin">Pinned</strong> `)
			}
			f.raw(`<a href="#`)
			f.text(u.Anchor())
			f.raw(`" class="live-link">`)
			timeHTML(f, u.Created, zone, dateLayout)
			f.raw("</a>")
			if u.Updated.Sub(u.Created) >= time.Minute {
				f.raw(` <span class="live-edited">(updated `)
				timeHTML(f, u.Updated, zone, liveTimeLayout)
				f.raw(")</span>")
			}
			if u.Byline != "" {
				f.raw(` <span class="live-byline">`)
				f.text(u.Byline)
				f.raw("</span>")
			}
			f.raw("</p>\n        <div class=\"live-body\">")
			// Rendered and sanitized by internal/markup when it was saved,
			// as a story's body is.
			f.markup(template.HTML(u.BodyHTML))
			f.raw("</div>\n      </li>")
		}
		f.raw("\n    </ol>")
	}
	f.raw("\n  </section>")
	v.Live = f.html()
}

// liveTimeLayout is an update's time of day, for its "updated" note.
const liveTimeLayout = "15:04 MST"

// liveBlogLD is a schema.org LiveBlogPosting, as Google documents it for
// live coverage: the article's fields, the coverage's times and the
// updates, each a BlogPosting with its own address.
type liveBlogLD struct {
	*newsArticleLD
	CoverageEndTime   string          `json:"coverageEndTime,omitempty"`
	CoverageStartTime string          `json:"coverageStartTime"`
	LiveBlogUpdate    []blogPostingLD `json:"liveBlogUpdate"`
}

type blogPostingLD struct {
	Type          string         `json:"@type"`
	ArticleBody   string         `json:"articleBody"`
	Author        []personNameLD `json:"author,omitempty"`
	DateModified  string         `json:"dateModified"`
	DatePublished string         `json:"datePublished"`
	Headline      string         `json:"headline"`
	URL           string         `json:"url"`
}

// personNameLD is a byline that has no page of its own: an update's.
type personNameLD struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// liveLD turns an article's NewsArticle into the LiveBlogPosting of its
// live coverage. coverageEndTime is given once the coverage has ended:
// the newsroom does not say beforehand when it will.
func (s *Site) liveLD(art *newsArticleLD, a *news.Article, l *liveStory) *liveBlogLD {
	art.Type = "LiveBlogPosting"
	v := &liveBlogLD{newsArticleLD: art, CoverageStartTime: ldTime(l.Coverage.Started), LiveBlogUpdate: []blogPostingLD{}}
	if !l.Coverage.Ended.IsZero() {
		v.CoverageEndTime = ldTime(l.Coverage.Ended)
	}
	newest := a.UpdatedAt
	for _, u := range l.Updates {
		if u.Updated.After(newest) {
			newest = u.Updated
		}
		if len(v.LiveBlogUpdate) == maxLiveLD {
			continue
		}
		p := blogPostingLD{Type: "BlogPosting", Headline: markup.Excerpt(u.Body, 110), ArticleBody: markup.Text(u.Body),
			DatePublished: ldTime(u.Created), DateModified: ldTime(u.Updated), URL: s.cfg.abs(a.URL()) + "#" + u.Anchor()}
		if u.Byline != "" {
			p.Author = []personNameLD{{Type: "Person", Name: u.Byline}}
		}
		v.LiveBlogUpdate = append(v.LiveBlogUpdate, p)
	}
	if lm := lastModified(a); newest.After(lm) {
		v.DateModified = ldTime(newest)
	}
	return v
}
