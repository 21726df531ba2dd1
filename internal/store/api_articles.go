package store

import (
	"context"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// The content API's lists (internal/api). Apps page through them by keyset,
// never by offset: a page deep in the archive costs what the first one
// costs, and a story published while an app pages does not shift the pages
// after the one it is on.

// APIOrder is the order of an API list, newest first either way.
type APIOrder int

const (
	// ByPublished orders by publication time, then id: the site's order.
	ByPublished APIOrder = iota
	// ByModified orders by the last change of any kind (modified_at),
	// then id: the order an app that keeps a copy reads changes in.
	ByModified
)

// APIFilter selects published articles for the content API. Times are
// bounds on the order's time: Since is inclusive, Before exclusive; zero
// means no bound.
type APIFilter struct {
	SectionIDs      []int64 // any of these sections; empty: all
	TagID           int64
	AuthorID        int64
	PublishedSince  time.Time
	PublishedBefore time.Time
	ModifiedSince   time.Time
	Order           APIOrder
	// After is the place of the last article of the previous page, in the
	// order's time (published_at or modified_at) and id.
	After Cursor
	Limit int // at most this many; default 20, at most 201
}

// APIArticles lists published articles as APIFilter says, whole (Full: the
// Markdown too, for the API's plain text).
//
// It walks an index alone for the page's ids (articles_listing or the
// tag's or author's listing index by publication; articles_modified by
// modification) and joins the page's rows to them: the walk reads no
// article row it does not return.
func (s *Store) APIArticles(ctx context.Context, f APIFilter) ([]*news.Article, error) {
	where, args := apiWhere(f)
	list, err := s.queryArticles(ctx, Full, where, args...)
	if err != nil {
		return nil, err
	}
	// The walk reads published articles alone; the filter is a guard.
	out := list[:0]
	for _, a := range list {
		if a.Status == news.Published {
			out = append(out, a)
		}
	}
	return out, nil
}

// apiWhere is what APIArticles adds to the article query (the join of the
// page's ids and their order), with its arguments: apart, so the plan
// tests read the query it runs.
func apiWhere(f APIFilter) (string, []any) {
	args := []any{string(news.Published)}
	conds := []string{"a.status = $1"}
	add := func(cond string, vals ...any) {
		args = append(args, vals...)
		conds = append(conds, cond)
	}
	param := func() string { return "$" + itoa(len(args)+1) }
	join, at, id := "", "a.published_at", "a.id"
	if f.Order == ByModified {
		at = "a.modified_at"
	}
	if len(f.SectionIDs) > 0 {
		in, vals := inList(len(args)+1, f.SectionIDs)
		add("a.section_id IN ("+in+")", vals...)
	}
	// By publication, a tag's or an author's list walks that tag's or
	// author's own entries of published articles (listed_at, migration
	// 0007), as the site's tag and author pages do.
	tagDone, authorDone := false, false
	if f.Order == ByPublished {
		switch {
		case f.TagID != 0:
			join, at, id = " JOIN article_tags l ON l.article_id = a.id", "l.listed_at", "l.article_id"
			add("l.tag_id = "+param()+" AND l.listed_at IS NOT NULL", f.TagID)
			tagDone = true
		case f.AuthorID != 0:
			join, at, id = " JOIN article_authors l ON l.article_id = a.id", "l.listed_at", "l.article_id"
			add("l.author_id = "+param()+" AND l.listed_at IS NOT NULL", f.AuthorID)
			authorDone = true
		}
	}
	if f.TagID != 0 && !tagDone {
		add("a.id IN (SELECT article_id FROM article_tags WHERE tag_id = "+param()+")", f.TagID)
	}
	if f.AuthorID != 0 && !authorDone {
		add("a.id IN (SELECT article_id FROM article_authors WHERE author_id = "+param()+")", f.AuthorID)
	}
	pub := "a.published_at"
	if f.Order == ByPublished {
		pub = at // listed_at is the publication time
	}
	if !f.PublishedSince.IsZero() {
		add(pub+" >= "+param(), toDB(f.PublishedSince))
	}
	if !f.PublishedBefore.IsZero() {
		add(pub+" < "+param(), toDB(f.PublishedBefore))
	}
	if !f.ModifiedSince.IsZero() {
		add("a.modified_at >= "+param(), toDB(f.ModifiedSince))
	}
	if !f.After.IsZero() {
		// The bound on the time alone is what an index can seek to: with
		// only "t < x OR (t = x AND id < y)", PostgreSQL walked the index
		// from the newest story and filtered (66 ms halfway down 100,000).
		n := len(args)
		add(at+" <= $"+itoa(n+1)+" AND ("+at+" < $"+itoa(n+1)+" OR "+id+" < $"+itoa(n+2)+")",
			toDB(f.After.Time), f.After.ID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 201)
	args = append(args, limit)
	// One statement: the page's ids and their places in the order, from
	// the index walk, joined to their rows. Each round trip to PostgreSQL
	// costs more than either part when the machine is busy.
	page := "SELECT " + id + " AS id, " + at + " AS at FROM articles a" + join + " WHERE " + strings.Join(conds, " AND ") +
		" ORDER BY " + at + " DESC, " + id + " DESC LIMIT $" + itoa(len(args))
	return "JOIN (" + page + ") p ON p.id = a.id ORDER BY p.at DESC, p.id DESC", args
}

// Listed is a tag or an author with how many published articles it has.
type Listed struct {
	ID       int64
	Slug     string
	Name     string
	Bio      string // authors only
	Agency   bool   // authors only
	Articles int
}

// PublishedTags lists the tags that have published articles, by name, with
// how many each has. A tag only drafts carry is left out: its name may
// tell of a story not yet published.
func (s *Store) PublishedTags(ctx context.Context) ([]Listed, error) {
	return s.listed(ctx, `SELECT t.id, t.slug, t.name, '', 0, COUNT(*) FROM tags t
		JOIN article_tags x ON x.tag_id = t.id WHERE x.listed_at IS NOT NULL
		GROUP BY t.id, t.slug, t.name ORDER BY t.name, t.id`)
}

// PublishedAuthors lists the authors credited on published articles, by
// name, with how many each has.
func (s *Store) PublishedAuthors(ctx context.Context) ([]Listed, error) {
	return s.listed(ctx, `SELECT au.id, au.slug, au.name, au.bio, au.agency, COUNT(*) FROM authors au
		JOIN article_authors x ON x.author_id = au.id WHERE x.listed_at IS NOT NULL
		GROUP BY au.id, au.slug, au.name, au.bio, au.agency ORDER BY au.name, au.id`)
}

func (s *Store) listed(ctx context.Context, query string) ([]Listed, error) {
	rows, err := s.q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Listed{}
	for rows.Next() {
		var l Listed
		var agency int
		if err := rows.Scan(&l.ID, &l.Slug, &l.Name, &l.Bio, &agency, &l.Articles); err != nil {
			return nil, err
		}
		l.Agency = agency != 0
		out = append(out, l)
	}
	return out, rows.Err()
}
