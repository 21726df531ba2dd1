package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
)

// SearchCandidates is how many matching articles a search ranks at most:
// the newest that match. A word in nearly every story ("government") would
// otherwise have the engine score a large part of the archive for each
// query; ranking the newest thousand keeps such a query as fast as a rare
// word's, and with the boost for recent stories the best of them come from
// there anyway. Older matches are one filter away (a date range or a
// section narrows the candidates first). See docs/search.md.
const SearchCandidates = 1000

// searchTimeout bounds one search. No query the parser lets through should
// come near it; it is a last guard for the database's sake.
const searchTimeout = 5 * time.Second

// recencyHalf is the age at which a story's boost for being recent is
// half what a story published today gets: a score is multiplied by
// 1 + half / (half + age), from 2 for today to 1.5 after a year and 1.1
// after ten. For equal text the newer story ranks first, while an old story
// that matches much better still beats a new one that barely matches.
const recencyHalf = 365 * 24 * time.Hour

// SearchOptions is a search: the parsed query, filters, and the page wanted.
type SearchOptions struct {
	Query search.Query
	// SectionIDs keeps articles in any of these sections (a section and
	// its subsections: news.Tree.SubtreeIDs); empty for all.
	SectionIDs []int64
	// Since and Before keep articles published at or after Since and
	// before Before; zero for no bound.
	Since, Before time.Time
	// IncludeDrafts searches articles in every status, for the newsroom.
	// The public site and API never set it.
	IncludeDrafts bool
	// Offset and Limit select the page: Limit defaults to 20, at most 100.
	Offset, Limit int
	// Now is the time the recency boost counts from; zero for now. It is
	// taken to the day, so that the order does not shift while a reader
	// turns the pages.
	Now time.Time
}

// SearchHit is one result.
type SearchHit struct {
	// Article is read as a list shows it (see Cards), and with its Body,
	// for a snippet.
	Article *news.Article
	// Score is the relevance with the boost for recency: higher is
	// better. Scores compare within one search only.
	Score float64
}

// SearchResult is a page of results.
type SearchResult struct {
	Hits []SearchHit
	// Total is how many articles match, up to SearchCandidates.
	Total int
	// More is true when more than SearchCandidates articles match: only
	// the newest SearchCandidates were ranked, and Total counts those.
	More bool
}

// Search finds articles matching a query, best first: relevance (a match in
// the headline counts most, then the summary, then the body) with a boost
// for recent stories. Only published articles match unless IncludeDrafts is
// set. The order is total (ties go to the newer id), so pages never repeat
// or skip a result while the archive does not change.
//
// The query reaches the engine only as quoted words and phrases (FTS5) or
// through plainto_tsquery and phraseto_tsquery (PostgreSQL), never as
// query syntax: no input changes what the other words mean or makes the
// engine fail.
func (s *Store) Search(ctx context.Context, o SearchOptions) (SearchResult, error) {
	var res SearchResult
	if o.Query.Empty() {
		return res, nil
	}
	limit := o.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	offset := max(o.Offset, 0)
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(24 * time.Hour)

	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()

	var a args
	match := s.dialect.searchMatch(&a, o.Query)
	var conds []string
	if !o.IncludeDrafts {
		conds = append(conds, "a.status = "+a.add(string(news.Published)))
	}
	if len(o.SectionIDs) > 0 {
		ph := make([]string, len(o.SectionIDs))
		for i, id := range o.SectionIDs {
			ph[i] = a.add(id)
		}
		conds = append(conds, "a.section_id IN ("+strings.Join(ph, ", ")+")")
	}
	if !o.Since.IsZero() {
		conds = append(conds, "a.published_at >= "+a.add(toDB(o.Since)))
	}
	if !o.Before.IsZero() {
		conds = append(conds, "a.published_at < "+a.add(toDB(o.Before)))
	}
	candidates := match.candidates(conds, SearchCandidates)
	candArgs := a.list[:len(a.list):len(a.list)]
	half := "CAST(" + itoa64(recencyHalf.Microseconds()) + " AS DOUBLE PRECISION)"
	nowArg := a.add(toDB(now))
	score := "c.rel * (1.0 + " + half + " / (" + half + " + CASE WHEN " + nowArg + " > c.pub THEN " + nowArg + " - c.pub ELSE 0 END))"
	query := `SELECT c.id, ` + score + ` AS score, COUNT(*) OVER () AS total FROM (` + candidates + `) c
		ORDER BY score DESC, c.id DESC LIMIT ` + a.add(limit) + ` OFFSET ` + a.add(offset)

	rows, err := s.q.QueryContext(ctx, query, a.list...)
	if err != nil {
		return res, searchError(ctx, err)
	}
	var ids []int64
	scores := map[int64]float64{}
	for rows.Next() {
		var id int64
		var sc float64
		if err := rows.Scan(&id, &sc, &res.Total); err != nil {
			rows.Close()
			return res, err
		}
		ids = append(ids, id)
		scores[id] = sc
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, searchError(ctx, err)
	}
	if len(ids) == 0 && offset > 0 {
		// Past the last page: the count still tells the reader how many
		// there are.
		err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+candidates+`) c`, candArgs...).Scan(&res.Total)
		if err != nil {
			return res, searchError(ctx, err)
		}
	}
	if res.Total == SearchCandidates {
		// As many as are ranked: are there more? Counting to one past
		// the limit, in whatever order is quickest, tells.
		var n int
		err := s.q.QueryRowContext(ctx, match.probe(conds, SearchCandidates+1), candArgs...).Scan(&n)
		if err != nil {
			return res, searchError(ctx, err)
		}
		res.More = n > SearchCandidates
	}
	if len(ids) == 0 {
		return res, nil
	}

	in, inArgs := inList(1, ids)
	list, err := s.queryArticles(ctx, Cards, "WHERE a.id IN ("+in+")", inArgs...)
	if err != nil {
		return res, err
	}
	byID := make(map[int64]*news.Article, len(list))
	for _, art := range list {
		byID[art.ID] = art
	}
	rows, err = s.q.QueryContext(ctx, `SELECT id, body FROM articles WHERE id IN (`+in+`)`, inArgs...)
	if err != nil {
		return res, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			return res, err
		}
		if art := byID[id]; art != nil {
			art.Body = body
		}
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	for _, id := range ids {
		// An article deleted between the two queries is left out.
		if art := byID[id]; art != nil {
			res.Hits = append(res.Hits, SearchHit{Article: art, Score: scores[id]})
		}
	}
	return res, nil
}

// searchError turns a search that ran out of time into a message the
// reader can act on; other errors are internal.
func searchError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return news.Errorf(news.EUNAVAILABLE, "the search took too long: try more specific words, a section or a date range")
	}
	return err
}

// args numbers query arguments as they are added: $1, $2, ...
type args struct{ list []any }

func (a *args) add(v any) string {
	a.list = append(a.list, v)
	return "$" + strconv.Itoa(len(a.list))
}

// searchMatch is one engine's way of matching and scoring a query.
type searchMatch struct {
	dialect string
	expr    string // SQLite: the MATCH argument; PostgreSQL: the tsquery
}

// searchMatch adds the query's arguments and returns how this engine
// matches it. SQLite gets an FTS5 expression of quoted strings only: each
// word or phrase in double quotes (a double quote inside doubled), which
// FTS5 reads as text to tokenize, never as operators. PostgreSQL gets the
// words through plainto_tsquery and each phrase through phraseto_tsquery,
// which read any text as words.
func (d dialect) searchMatch(a *args, q search.Query) searchMatch {
	if d.name == "sqlite" {
		parts := make([]string, len(q.Parts))
		for i, p := range q.Parts {
			parts[i] = `"` + strings.ReplaceAll(strings.Join(p.Words, " "), `"`, `""`) + `"`
		}
		return searchMatch{dialect: d.name, expr: a.add(strings.Join(parts, " "))}
	}
	var ts []string
	if terms := q.Terms(); len(terms) > 0 {
		ts = append(ts, "plainto_tsquery('newsdesk_english', "+a.add(strings.Join(terms, " "))+")")
	}
	for _, p := range q.Phrases() {
		ts = append(ts, "phraseto_tsquery('newsdesk_english', "+a.add(p.Text)+")")
	}
	return searchMatch{dialect: d.name, expr: "(" + strings.Join(ts, " && ") + ")"}
}

// candidates is the query for at most limit matching articles, newest
// first, with their relevance (higher is better) and publication time.
//
// SQLite walks the index from the highest rowid (the newest article saved)
// and stops at limit, so a common word costs no more than a rare one; bm25
// weighs a headline match 10 and a summary match 4 times a body match.
// PostgreSQL's planner picks the GIN index for rare words and the
// publication-time index for common ones; ts_rank_cd weighs A (headline)
// 1.0, B (summary) 0.4, D (body) 0.1, its score divided by 1 + the log of
// the article's length, as bm25 also normalizes for length.
func (m searchMatch) candidates(conds []string, limit int) string {
	where := ""
	for _, c := range conds {
		where += " AND " + c
	}
	if m.dialect == "sqlite" {
		return `SELECT articles_fts.rowid AS id, a.published_at AS pub, -bm25(articles_fts, 10.0, 4.0, 1.0) AS rel
			FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
			WHERE articles_fts MATCH ` + m.expr + where + `
			ORDER BY articles_fts.rowid DESC LIMIT ` + strconv.Itoa(limit)
	}
	return `SELECT a.id AS id, a.published_at AS pub,
			CAST(ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', a.search_vector, ` + m.expr + `, 1) AS DOUBLE PRECISION) AS rel
		FROM articles a
		WHERE a.search_vector @@ ` + m.expr + where + `
		ORDER BY a.published_at DESC, a.id DESC LIMIT ` + strconv.Itoa(limit)
}

// probe is the query that counts matching articles up to limit, in no
// order and without ranking them.
func (m searchMatch) probe(conds []string, limit int) string {
	where := ""
	for _, c := range conds {
		where += " AND " + c
	}
	if m.dialect == "sqlite" {
		return `SELECT COUNT(*) FROM (SELECT 1 FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
			WHERE articles_fts MATCH ` + m.expr + where + ` LIMIT ` + strconv.Itoa(limit) + `) p`
	}
	return `SELECT COUNT(*) FROM (SELECT 1 FROM articles a WHERE a.search_vector @@ ` + m.expr + where +
		` LIMIT ` + strconv.Itoa(limit) + `) p`
}

// OptimizeSearch makes the search index fast to read after a bulk load:
// SQLite merges the index's segments into one; PostgreSQL gathers the
// statistics its planner needs to choose between its indexes.
func (s *Store) OptimizeSearch(ctx context.Context) error {
	stmt := `ANALYZE articles`
	if s.dialect.name == "sqlite" {
		stmt = `INSERT INTO articles_fts (articles_fts) VALUES ('optimize')`
	}
	_, err := s.q.ExecContext(ctx, stmt)
	return err
}
