package api

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/cache"
	"github.com/newsdesk/newsdesk/internal/feed"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// listParams are the parameters of GET /api/v1/articles that select its
// answer, in the order the page cache keys them (see cacheKey).
var listParams = []string{"section", "subsections", "tag", "author", "published_since", "published_until",
	"updated_since", "sort", "cursor", "per_page", "format"}

// articleJSON is an article as the API shows it. Field names are part of
// the public interface: add, never rename.
type articleJSON struct {
	ID          int64           `json:"id"`
	URL         string          `json:"url"`
	Path        string          `json:"path"`
	Headline    string          `json:"headline"`
	Summary     string          `json:"summary"`
	BodyHTML    string          `json:"body_html"`
	BodyText    string          `json:"body_text"`
	Section     sectionRef      `json:"section"`
	Bylines     []authorJSON    `json:"bylines"`
	Tags        []tagJSON       `json:"tags"`
	Photo       *photoJSON      `json:"photo"`
	PublishedAt time.Time       `json:"published_at"`
	UpdatedAt   *time.Time      `json:"updated_at"`
	ModifiedAt  time.Time       `json:"modified_at"`
	Corrections []correctionRef `json:"corrections"`
}

type authorJSON struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	URL      string `json:"url"`
	Agency   bool   `json:"agency"`
	Bio      string `json:"bio,omitempty"`
	Articles *int   `json:"articles,omitempty"`
}

type tagJSON struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	URL      string `json:"url"`
	Articles *int   `json:"articles,omitempty"`
}

type correctionRef struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// photoJSON is a lead photo with every variant the site serves of it,
// narrowest first.
type photoJSON struct {
	Alt      string        `json:"alt"`
	Caption  string        `json:"caption"`
	Credit   string        `json:"credit"`
	Width    int           `json:"width"`
	Height   int           `json:"height"`
	Variants []variantJSON `json:"variants"`
}

type variantJSON struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Type   string `json:"type"`
}

// articleList is the answer of GET /api/v1/articles.
type articleList struct {
	Articles   []any  `json:"articles"`
	PerPage    int    `json:"per_page"`
	NextCursor string `json:"next_cursor,omitempty"`
	Next       string `json:"next,omitempty"`
}

// canReadDrafts reports whether the request may see articles that are not
// published: a token with read:drafts whose creator may see every article
// (canReadDraftsToken, auth.go). Anyone else is answered not found for a
// draft, scheduled or private story. When it says yes, showArticle and
// lookup read any status and mark the answer private (cachePrivate), and
// dispatch lets a request with Authorization past the page cache.
func (a *API) canReadDrafts(r *http.Request) bool { return canReadDraftsToken(r) }

// listArticles answers GET /api/v1/articles: published articles newest
// first, filtered, a page at a time by an opaque cursor.
func (a *API) listArticles(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	ninjs, err := formatOf(r)
	if err != nil {
		return err
	}
	f := store.APIFilter{}
	k := &keys{}
	scoped := false
	if p := q.Get("section"); p != "" {
		secs, err := a.store.Sections(ctx)
		if err != nil {
			return err
		}
		p = strings.Trim(p, "/")
		for _, sec := range secs {
			if sec.Path == p {
				f.SectionIDs = []int64{sec.ID}
				k.own = append(k.own, news.SectionKey(sec.ID))
				scoped = true
				sub, err := boolParam(q, "subsections", true)
				if err != nil {
					return err
				}
				if sub {
					f.SectionIDs = news.NewTree(secs).SubtreeIDs(sec.ID)
				}
			}
		}
		if f.SectionIDs == nil {
			return news.Invalid("section", "there is no section %q", strings.ToValidUTF8(p, "?"))
		}
	} else if q.Get("subsections") != "" {
		if _, err := boolParam(q, "subsections", true); err != nil {
			return err
		}
	}
	if s := q.Get("tag"); s != "" {
		t, err := a.store.TagBySlug(ctx, s)
		if err != nil {
			return asInvalid(err, "tag", "there is no tag %q", s)
		}
		f.TagID = t.ID
		k.own = append(k.own, news.TagKey(t.ID))
		scoped = true
	}
	if s := q.Get("author"); s != "" {
		au, err := a.store.AuthorBySlug(ctx, s)
		if err != nil {
			return asInvalid(err, "author", "there is no author %q", s)
		}
		f.AuthorID = au.ID
		k.own = append(k.own, news.AuthorKey(au.ID))
		scoped = true
	}
	if !scoped {
		// Every publication, and every change to a public article,
		// purges the home key.
		k.own = append(k.own, news.KeyHome)
	}
	if f.PublishedSince, err = timeParam(q, "published_since", false); err != nil {
		return err
	}
	if f.PublishedBefore, err = timeParam(q, "published_until", true); err != nil {
		return err
	}
	if !f.PublishedSince.IsZero() && !f.PublishedBefore.IsZero() && !f.PublishedBefore.After(f.PublishedSince) {
		return news.Invalid("published_until", "is not after published_since")
	}
	if f.ModifiedSince, err = timeParam(q, "updated_since", false); err != nil {
		return err
	}
	switch q.Get("sort") {
	case "", "published":
	case "updated":
		f.Order = store.ByModified
	default:
		return news.Invalid("sort", "%q is not an order: use published or updated", strings.ToValidUTF8(q.Get("sort"), "?"))
	}
	size := a.cfg.PageSize
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPerPage {
			return news.Invalid("per_page", "%q is not a page size from 1 to %d", strings.ToValidUTF8(s, "?"), maxPerPage)
		}
		size = n
	}
	if s := q.Get("cursor"); s != "" {
		if f.After, err = parseCursor(s, f.Order); err != nil {
			return err
		}
	}
	f.Limit = size + 1
	list, err := a.store.APIArticles(ctx, f)
	if err != nil {
		return err
	}
	ans := articleList{Articles: []any{}, PerPage: size}
	if len(list) > size {
		list = list[:size]
		last := list[size-1]
		at := last.PublishedAt
		if f.Order == store.ByModified {
			at = last.ModifiedAt
		}
		ans.NextCursor = formatCursor(f.Order, store.Cursor{Time: at, ID: last.ID})
		next := url.Values{}
		for _, p := range listParams {
			if vs, ok := q[p]; ok && p != "cursor" {
				next[p] = vs
			}
		}
		next.Set("cursor", ans.NextCursor)
		ans.Next = a.abs(ctx, "/api/v1/articles?"+next.Encode())
	}
	info := a.info(ctx)
	for _, art := range list {
		if ninjs {
			ans.Articles = append(ans.Articles, a.ninjsOf(ctx, art, info))
		} else {
			ans.Articles = append(ans.Articles, a.articleOf(ctx, art))
		}
		k.items = append(k.items, articleKeys(art)...)
	}
	w.Header().Set("Vary", "Accept")
	a.send(w, r, http.StatusOK, contentType(ninjs), ans, k)
	return nil
}

// showArticle answers GET /api/v1/articles/{id}.
func (a *API) showArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return news.NotFound("no article at %s", r.URL.Path)
	}
	art, err := a.store.ArticleByID(r.Context(), id)
	if err != nil {
		return a.missing(w, r, err)
	}
	return a.answerArticle(w, r, art)
}

// lookup answers GET /api/v1/lookup?path=/news/europe/slug: the article at
// a public address, or at an address it had before (the redirects the
// site follows). An app that has a link to a story gets the story.
func (a *API) lookup(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	raw := r.URL.Query().Get("path")
	if raw == "" {
		return news.Invalid("path", "give the address of an article, such as /news/europe/some-story")
	}
	p := raw
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		p = u.Path // a whole URL on one of the site's addresses is fine too
	}
	if !strings.HasPrefix(p, "/") {
		return news.Invalid("path", "%q is not an address on the site: it starts with /", strings.ToValidUTF8(raw, "?"))
	}
	art, err := a.articleAtPath(ctx, p)
	if news.ErrorCode(err) == news.ENOTFOUND {
		// An old address of a story that moved.
		if to, rerr := a.store.Redirect(ctx, p); rerr == nil {
			art, err = a.articleAtPath(ctx, to)
		}
	}
	if err != nil {
		return a.missing(w, r, err)
	}
	return a.answerArticle(w, r, art)
}

// articleAtPath reads the article at /{section path}/{slug}.
func (a *API) articleAtPath(ctx context.Context, p string) (*news.Article, error) {
	p = strings.Trim(p, "/")
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return nil, news.NotFound("no article at /%s", p)
	}
	return a.store.ArticleByPath(ctx, store.Full, p[:i], p[i+1:])
}

// answerArticle answers one article, when the request may see it.
func (a *API) answerArticle(w http.ResponseWriter, r *http.Request, art *news.Article) error {
	ninjs, err := formatOf(r)
	if err != nil {
		return err
	}
	if art.Status != news.Published {
		if !a.canReadDrafts(r) {
			return a.missing(w, r, news.NotFound("no article at %s", r.URL.Path))
		}
		w.Header().Set("Cache-Control", cachePrivate)
	}
	ctx := r.Context()
	k := &keys{own: articleKeys(art)}
	k.own = append(k.own, news.KeyLayout, news.KeySite)
	w.Header().Set("Vary", "Accept")
	if ninjs {
		a.send(w, r, http.StatusOK, contentType(true), a.ninjsOf(ctx, art, a.info(ctx)), k)
	} else {
		a.send(w, r, http.StatusOK, contentType(false), a.articleOf(ctx, art), k)
	}
	return nil
}

// missing answers a not-found with the keys that let a CDN keep it until
// something is published at the address: any other error is returned.
func (a *API) missing(w http.ResponseWriter, r *http.Request, err error) error {
	if news.ErrorCode(err) != news.ENOTFOUND {
		return err
	}
	a.send(w, r, http.StatusNotFound, "application/json; charset=utf-8",
		errorBody{Error: errorJSON{Code: news.ENOTFOUND, Message: news.ErrorMessage(err)}},
		&keys{own: []string{news.KeyMissing, news.KeySite}})
	return nil
}

// articleKeys are the keys of what an article's answer shows: the article,
// its section, tags and authors (whose names it carries).
func articleKeys(art *news.Article) []string {
	out := []string{news.ArticleKey(art.ID), news.SectionKey(art.Section.ID)}
	for _, t := range art.Tags {
		out = append(out, news.TagKey(t.ID))
	}
	for _, b := range art.Bylines {
		out = append(out, news.AuthorKey(b.ID))
	}
	return out
}

// articleOf is the API's view of an article, with its links on the
// address the request came through.
func (a *API) articleOf(ctx context.Context, art *news.Article) articleJSON {
	v := articleJSON{
		ID: art.ID, URL: a.abs(ctx, art.URL()), Path: art.URL(),
		Headline: art.Headline, Summary: art.Summary,
		BodyHTML:    a.bodyHTML(ctx, art),
		BodyText:    markup.Text(art.Body),
		Section:     sectionRef{Name: art.Section.Name, Path: art.Section.Path, URL: a.abs(ctx, art.Section.URL())},
		Bylines:     []authorJSON{},
		Tags:        []tagJSON{},
		Photo:       a.photo(ctx, art.Photo),
		PublishedAt: art.PublishedAt,
		ModifiedAt:  art.ModifiedAt,
		Corrections: []correctionRef{},
	}
	if art.Updated() {
		u := art.UpdatedAt
		v.UpdatedAt = &u
	}
	for _, b := range art.Bylines {
		v.Bylines = append(v.Bylines, authorJSON{ID: b.ID, Slug: b.Slug, Name: b.Name, URL: a.abs(ctx, b.URL()), Agency: b.Agency})
	}
	for _, t := range art.Tags {
		v.Tags = append(v.Tags, tagJSON{ID: t.ID, Slug: t.Slug, Name: t.Name, URL: a.abs(ctx, t.URL())})
	}
	for _, c := range art.Corrections {
		v.Corrections = append(v.Corrections, correctionRef{At: c.At, Text: c.Text})
	}
	return v
}

// bodyHTML is the body as the article's page shows it (figures with their
// srcsets), with every address made absolute on the address asked: an
// app shows it away from the site.
func (a *API) bodyHTML(ctx context.Context, art *news.Article) string {
	body := art.BodyHTML
	if a.cfg.Site != nil {
		body = a.cfg.Site.BodyHTML(ctx, art)
	}
	base, err := url.Parse(a.abs(ctx, art.URL()))
	if err != nil {
		return body
	}
	return absoluteSrcsets(feed.AbsoluteHTML(body, base), a.abs(ctx, ""))
}

// absoluteSrcsets makes the paths in srcset attributes absolute on here.
// The sanitizer writes a srcset only for the site's own figures, as
// `srcset="/media/... 320w, /media/... 640w"`.
func absoluteSrcsets(s, here string) string {
	const attr = ` srcset="`
	if !strings.Contains(s, attr) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, attr)
		if i < 0 {
			break
		}
		b.WriteString(s[:i+len(attr)])
		s = s[i+len(attr):]
		end := strings.IndexByte(s, '"')
		if end < 0 {
			break
		}
		for j, cand := range strings.Split(s[:end], ", ") {
			if j > 0 {
				b.WriteString(", ")
			}
			if strings.HasPrefix(cand, "/") && !strings.HasPrefix(cand, "//") {
				b.WriteString(here)
			}
			b.WriteString(cand)
		}
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// photo is a lead photo with all its variants; nil for none.
func (a *API) photo(ctx context.Context, p *news.Photo) *photoJSON {
	if p == nil || p.Media.ID == 0 {
		return nil
	}
	vs := media.Variants(p.Media)
	if len(vs) == 0 {
		return nil
	}
	out := &photoJSON{Alt: p.Alt, Caption: p.Caption, Credit: p.Credit, Width: p.Media.Width, Height: p.Media.Height}
	for _, v := range vs {
		out.Variants = append(out.Variants, variantJSON{URL: a.abs(ctx, "/media/"+v.Key), Width: v.Width, Height: v.Height, Type: v.Type})
	}
	return out
}

// Cursors are opaque to apps: "p" or "u" (the order), the time in
// microseconds and the id, in URL-safe base64. A cursor of one order is
// refused in the other.
func formatCursor(o store.APIOrder, c store.Cursor) string {
	kind := "p"
	if o == store.ByModified {
		kind = "u"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "." + strconv.FormatInt(c.Time.UnixMicro(), 10) + "." + strconv.FormatInt(c.ID, 10)))
}

func parseCursor(s string, o store.APIOrder) (store.Cursor, error) {
	bad := news.Invalid("cursor", "is not a cursor this list gave: start again without one")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return store.Cursor{}, bad
	}
	parts := strings.Split(string(raw), ".")
	want := "p"
	if o == store.ByModified {
		want = "u"
	}
	if len(parts) != 3 || parts[0] != want {
		return store.Cursor{}, bad
	}
	us, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || us <= 0 || id <= 0 {
		return store.Cursor{}, bad
	}
	return store.Cursor{Time: time.UnixMicro(us).UTC(), ID: id}, nil
}

// timeParam reads a time: RFC 3339, or a day (YYYY-MM-DD, in UTC). A day
// as an upper bound (end) means its end: published_until=2026-11-01
// includes that day.
func timeParam(q url.Values, name string, end bool) (time.Time, error) {
	s := q.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if end {
			return t.Add(time.Microsecond), nil // inclusive
		}
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			return t.AddDate(0, 0, 1), nil
		}
		return t, nil
	}
	return time.Time{}, news.Invalid(name, "%q is not a date (2026-11-01) or a time (2026-11-01T09:30:00Z)", strings.ToValidUTF8(s, "?"))
}

func boolParam(q url.Values, name string, def bool) (bool, error) {
	switch q.Get(name) {
	case "":
		return def, nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, news.Invalid(name, "%q is not true or false", strings.ToValidUTF8(q.Get(name), "?"))
}

// asInvalid turns a not-found of something a parameter names into an
// invalid parameter; other errors pass.
func asInvalid(err error, field, format string, arg string) error {
	if news.ErrorCode(err) == news.ENOTFOUND {
		return news.Invalid(field, format, strings.ToValidUTF8(arg, "?"))
	}
	return err
}

// ninjsType is the media type of ninjs answers.
const ninjsType = "application/ninjs+json"

func contentType(ninjs bool) string {
	if ninjs {
		return ninjsType + "; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}

// wantsNinjs reports whether the request asks for ninjs: ?format=ninjs, or
// an Accept header that names its type (without format=json).
func wantsNinjs(r *http.Request) bool {
	ok, _ := formatOf(r)
	return ok
}

func formatOf(r *http.Request) (bool, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "ninjs":
		return true, nil
	case "json":
		return false, nil
	case "":
		return acceptsNinjs(r.Header.Get("Accept")), nil
	default:
		return false, news.Invalid("format", "%q is not a format: use json or ninjs", strings.ToValidUTF8(f, "?"))
	}
}

// acceptsNinjs reads Accept for ninjs with a weight above zero.
func acceptsNinjs(accept string) bool { return cache.Accepts(accept, ninjsType) }
