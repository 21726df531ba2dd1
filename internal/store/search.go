package store

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
)

// SearchCandidates is how many matching articles a search ranks at most:
// the newest that match. A word in nearly every story ("government") would
// otherwise have the engine score a large part of the archive for each
// query; ranking the newest 200 keeps such a query nearly as fast as a rare
// word's, and with the boost for recent stories the best of them come from
// there anyway: that is ten pages of results. Older matches are one
// filter away (a date range or a section narrows the candidates first).
// See docs/search.md.
const SearchCandidates = 200

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
	// IncludeDrafts searches articles in every status. The public site and
	// API never set it; the newsroom searches with SearchDesk, which also
	// narrows by writer.
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
	// Article holds what a result shows: headline, summary, section,
	// dates, bylines, the photo (without its size in bytes and name); not
	// its body, tags, corrections or HTML.
	Article *news.Article
	// Passages is the plain text of the body, a passage a line
	// (search.Passages), for the snippet (Query.SnippetText): stored with
	// the article, so that a snippet parses no Markdown.
	Passages string
	// Score is the relevance with the boost for recency: higher is
	// better. Scores compare within one search only.
	Score float64
}

// SearchResult is a page of results.
type SearchResult struct {
	Hits []SearchHit
	// Total is how many articles match, up to SearchCandidates.
	Total int
	// More is true when the search stopped at SearchCandidates matches:
	// there may be more, older ones, which were not ranked.
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

	rk, err := s.rankMatches(ctx, rankSpec{query: o.Query, now: now, offset: offset, limit: limit,
		generic: len(o.SectionIDs) == 0, since: o.Since, before: o.Before,
		filters: func(a *args) []string {
			var conds []string
			if !o.IncludeDrafts {
				// A constant, not an argument: a plan made once for any
				// values still knows that nearly every story is published.
				conds = append(conds, "a.status = '"+string(news.Published)+"'")
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
			return conds
		}})
	if err != nil {
		return res, err
	}
	res.Total, res.More = rk.total, rk.total >= SearchCandidates
	ids, scores := rk.ids, rk.scores
	if len(ids) == 0 {
		return res, nil
	}

	byID, err := s.searchHits(ctx, ids)
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		// An article deleted between the two queries is left out.
		if h, ok := byID[id]; ok {
			res.Hits = append(res.Hits, SearchHit{Article: h.article, Passages: h.passages, Score: scores[id]})
		}
	}
	return res, nil
}

// rankSpec is what rankMatches searches for: a query, the filters (SQL
// conditions on the articles table a, their arguments added to the
// statement's), and the page.
type rankSpec struct {
	query         search.Query
	filters       func(a *args) []string
	desk          bool      // the newsroom's search: newest saved first, see candidates
	generic       bool      // PostgreSQL: plan once for any values (see pgGenericPlan)
	since, before time.Time // PostgreSQL: the date range, if any (see pgCandidates)
	now           time.Time
	offset, limit int
}

// ranked is a page of a search's ranked ids, best first, with their scores
// and how many articles were ranked.
type ranked struct {
	ids    []int64
	scores map[int64]float64
	total  int
}

// rankMatches ranks the newest SearchCandidates articles that match and
// returns a page of them, best first. The order is total (ties go to the
// newer id), so pages never repeat or skip a result.
func (s *Store) rankMatches(ctx context.Context, sp rankSpec) (ranked, error) {
	var res ranked
	// Very common words make SQLite's bm25 slow: to weigh each word it
	// counts every story that has it, tens of thousands for "government".
	// For a query with such a word, SQLite ranks by where the query
	// matches (headline, summary, body) instead; see searchMatch.
	common := false
	if s.dialect.name == "sqlite" {
		var err error
		if common, err = s.hasCommonWord(ctx, sp.query); err != nil {
			return res, searchError(ctx, err)
		}
	}
	var a args
	match := s.dialect.searchMatch(&a, sp.query, common)
	match.desk = sp.desk
	guard := true // PostgreSQL: run with pgSearchSettings
	if s.dialect.name == "postgres" && !sp.desk {
		pl, err := s.pgPlan(ctx, sp.query)
		if err != nil {
			return res, searchError(ctx, err)
		}
		guard = pl.guard
		match.walk = "CAST(" + a.add(pl.walk) + " AS BOOLEAN)"
		match.win1 = "CAST(" + a.add(pl.span > 0) + " AS BOOLEAN)"
		match.win2 = "CAST(" + a.add(pl.wide > 0) + " AS BOOLEAN)"
		match.span1 = "CAST(" + a.add(pl.span) + " AS BIGINT)"
		match.span2 = "CAST(" + a.add(pl.wide) + " AS BIGINT)"
		// The windows reach back from the newest story, or from the end
		// of the reader's date range when that is sooner.
		before := int64(math.MaxInt64)
		if !sp.before.IsZero() {
			before = toDB(sp.before)
		}
		match.anchor = "CAST(" + a.add(before) + " AS BIGINT)"
		match.days = pgDays(&a, sp.since, sp.before)
	}
	with := match.candidates(sp.filters(&a), SearchCandidates)
	candArgs := a.list[:len(a.list):len(a.list)]
	half := "CAST(" + itoa64(recencyHalf.Microseconds()) + " AS DOUBLE PRECISION)"
	nowArg := a.add(toDB(sp.now))
	score := "c.rel * (1.0 + " + half + " / (" + half + " + CASE WHEN " + nowArg + " > c.pub THEN " + nowArg + " - c.pub ELSE 0 END))"
	query := with + ` SELECT c.id, ` + score + ` AS score, (SELECT COUNT(*) FROM c) AS total FROM c
		ORDER BY score DESC, c.id DESC LIMIT ` + a.add(sp.limit) + ` OFFSET ` + a.add(sp.offset)

	err := s.searchTx(ctx, guard, sp.generic, func(tx searchQuerier) error {
		run := func(query string, args ...any) (*sql.Rows, error) {
			if tx != nil {
				return tx.QueryContext(ctx, query, args...)
			}
			return s.searchQuery(ctx, query, args...)
		}
		rows, err := run(query, a.list...)
		if err != nil {
			return err
		}
		res.scores = map[int64]float64{}
		for rows.Next() {
			var id int64
			var sc float64
			if err := rows.Scan(&id, &sc, &res.total); err != nil {
				rows.Close()
				return err
			}
			res.ids = append(res.ids, id)
			res.scores[id] = sc
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(res.ids) == 0 && sp.offset > 0 {
			// Past the last page: the count still tells the reader how
			// many there are.
			rows, err := run(with+` SELECT COUNT(*) FROM c`, candArgs...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				if err := rows.Scan(&res.total); err != nil {
					return err
				}
			}
			return rows.Err()
		}
		return nil
	})
	if err != nil {
		return res, searchError(ctx, err)
	}
	return res, nil
}

// searchHits reads what a result shows of each article (headline, summary,
// section, dates, bylines, photo) and its passages, for the snippet. One
// pass over each row: the columns after the body in a row are reached
// through the body's pages anyway, so reading the passages with them costs
// little, where a second query for them would read them all again. An
// article whose passages are not stored yet (saved by an older version
// while this one started) has them made from its body.
func (s *Store) searchHits(ctx context.Context, ids []int64) (map[int64]searchHit, error) {
	in, args := inList(1, ids)
	rows, err := s.searchQuery(ctx, `SELECT a.id, a.slug, a.headline, a.summary,
			COALESCE(a.body_passages, ''), CASE WHEN a.body_passages IS NULL THEN a.body ELSE '' END, a.status, a.published_at,
			a.updated_at, a.photo_alt, a.photo_caption, a.photo_credit,
			s.id, COALESCE(s.parent_id, 0), s.slug, s.name, s.path,
			COALESCE(m.id, 0), COALESCE(m.hash, ''), COALESCE(m.type, ''), COALESCE(m.width, 0), COALESCE(m.height, 0)
		FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.photo_media_id
		WHERE a.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]searchHit, len(ids))
	for rows.Next() {
		a := &news.Article{}
		var pub, upd int64
		var passages, body, alt, caption, credit string
		var m news.Media
		if err := rows.Scan(&a.ID, &a.Slug, &a.Headline, &a.Summary, &passages, &body, &a.Status, &pub, &upd, &alt, &caption, &credit,
			&a.Section.ID, &a.Section.ParentID, &a.Section.Slug, &a.Section.Name, &a.Section.Path,
			&m.ID, &m.Hash, &m.Type, &m.Width, &m.Height); err != nil {
			return nil, err
		}
		a.PublishedAt, a.UpdatedAt = fromDB(pub), fromDB(upd)
		if m.ID != 0 {
			a.Photo = &news.Photo{Media: m, Alt: alt, Caption: caption, Credit: credit}
		}
		if body != "" {
			passages = search.Passages(body)
		}
		out[a.ID] = searchHit{a, passages}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	bl, err := s.bylines(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, h := range out {
		h.article.Bylines = bl[id]
	}
	return out, nil
}

// searchHit is what searchHits reads of one article.
type searchHit struct {
	article  *news.Article
	passages string
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

// commonWord is how many stories a word may be in for SQLite still to rank
// a query with it by bm25. bm25 counts the stories of each word of the
// query before it scores the first one: up to 500 that costs about as much
// as ranking the candidates; a word in tens of thousands costs tens of
// milliseconds.
var commonWord = 500

// hasCommonWord reports whether a word of the query (in a phrase or not) is
// in more than commonWord stories. It counts each word's stories only up
// to one past the limit, all words in one statement, and remembers the
// words it found common: stories come and rarely go, so a common word
// stays common, and the next query with it is spared the count.
func (s *Store) hasCommonWord(ctx context.Context, q search.Query) (bool, error) {
	known := commonWordsOf(s.db)
	var a args
	var counts []string
	var words []string
	for _, p := range q.Parts {
		for _, w := range p.Words {
			if known.has(w) {
				return true, nil
			}
			if slices.Contains(words, w) {
				continue
			}
			words = append(words, w)
			counts = append(counts, `SELECT `+strconv.Itoa(len(words)-1)+`, (SELECT COUNT(*) FROM (SELECT 1 FROM articles_fts
				WHERE articles_fts MATCH `+a.add(fts5String(w))+` LIMIT `+strconv.Itoa(commonWord+1)+`) w)`)
		}
	}
	if len(words) == 0 {
		return false, nil
	}
	rows, err := s.searchQuery(ctx, strings.Join(counts, ` UNION ALL `), a.list...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	common := false
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return false, err
		}
		if n > commonWord {
			common = true
			known.add(words[i])
		}
	}
	return common, rows.Err()
}

// searchQuery runs one of the search's statements, prepared once per
// database and kept: its text depends only on the shape of a query (how
// many words and phrases, which filters), so a few dozen statements serve
// every search, and SQLite is spared parsing the longest of them (about a
// tenth of a search's time) on every request. In a transaction it runs
// the statement as it is.
func (s *Store) searchQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.inTx {
		return s.q.QueryContext(ctx, query, args...)
	}
	stmt, err := statementsOf(s.db).get(ctx, s.db, query)
	if err != nil {
		return nil, err
	}
	if stmt == nil {
		return s.q.QueryContext(ctx, query, args...)
	}
	return stmt.QueryContext(ctx, args...)
}

// statements are a database's prepared search statements, by their text.
type statements struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxStatements bounds the statements kept per database. Query shapes are
// few (at most MaxWords parts, four filters); past the bound, statements
// are run without being kept.
const maxStatements = 200

var preparedSearches sync.Map // *sql.DB -> *statements

func statementsOf(db *sql.DB) *statements {
	if st, ok := preparedSearches.Load(db); ok {
		return st.(*statements)
	}
	st, _ := preparedSearches.LoadOrStore(db, &statements{m: map[string]*sql.Stmt{}})
	return st.(*statements)
}

// get returns the prepared statement for query, preparing it if needed,
// or nil when no more statements are kept.
func (st *statements) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	st.mu.Lock()
	stmt, full := st.m[query], len(st.m) >= maxStatements
	st.mu.Unlock()
	if stmt != nil || full {
		return stmt, nil
	}
	// Prepared without the request's context: the statement outlives it.
	stmt, err := db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if old := st.m[query]; old != nil {
		stmt.Close()
		return old, nil
	}
	st.m[query] = stmt
	return stmt, nil
}

// wordSet is a bounded set of words, safe for concurrent use.
type wordSet struct {
	mu sync.Mutex
	m  map[string]bool
}

// maxCommonWords bounds the words remembered per database: a few thousand
// words are common in any language; the bound only stops made-up queries
// from growing the set without end (they are not common, so not kept).
const maxCommonWords = 20000

func (ws *wordSet) has(w string) bool {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.m[w]
}

func (ws *wordSet) add(w string) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if len(ws.m) < maxCommonWords {
		ws.m[w] = true
	}
}

// commonWords holds a wordSet per database (by its *sql.DB, which every
// Store on the database shares, transactions included).
var commonWords sync.Map

func commonWordsOf(db *sql.DB) *wordSet {
	if ws, ok := commonWords.Load(db); ok {
		return ws.(*wordSet)
	}
	ws, _ := commonWords.LoadOrStore(db, &wordSet{m: map[string]bool{}})
	return ws.(*wordSet)
}

// fts5String quotes text as an FTS5 string: the text is tokenized as words
// (several make a phrase) and nothing in it is an operator. A double quote
// inside is doubled.
func fts5String(text string) string {
	return `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
}

// searchMatch is one engine's way of matching and scoring a query.
type searchMatch struct {
	dialect string
	expr    string // SQLite: the MATCH argument; PostgreSQL: the tsquery
	// SQLite: the query has a very common word, and is ranked by where
	// it matches rather than by bm25.
	common bool
	// SQLite, common: the MATCH arguments for the query in the headline
	// and in the summary.
	inHeadline, inSummary string
	// desk: the newsroom's search, over articles in any status. Its
	// candidates are the newest saved (by id) rather than the newest
	// published, as a draft has no publication time, and the boost for
	// recency counts from the last change.
	desk bool
	// walk: PostgreSQL, public search: the SQL boolean that says whether
	// to walk the newest stories first (see search_postgres.go).
	walk string
	// win1, win2, span1, span2, anchor: PostgreSQL, public search: the
	// windows tried after the walk (see pgCandidates).
	win1, win2, span1, span2, anchor string
	// days: PostgreSQL, public search: the date range as days, for the
	// search index (see pgCandidates).
	days string
}

// searchMatch adds the query's arguments and returns how this engine
// matches it. SQLite gets an FTS5 expression of quoted strings only: each
// word or phrase in double quotes, which FTS5 reads as text to tokenize,
// never as operators (and for a common query, the same under a column
// filter). PostgreSQL gets the words through plainto_tsquery and each
// phrase through phraseto_tsquery, which read any text as words.
func (d dialect) searchMatch(a *args, q search.Query, common bool) searchMatch {
	if d.name == "sqlite" {
		parts := make([]string, len(q.Parts))
		for i, p := range q.Parts {
			parts[i] = fts5String(strings.Join(p.Words, " "))
		}
		expr := strings.Join(parts, " ")
		m := searchMatch{dialect: d.name, expr: a.add(expr), common: common}
		if common {
			m.inHeadline = a.add("headline : (" + expr + ")")
			m.inSummary = a.add("summary : (" + expr + ")")
		}
		return m
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

// candidates returns a WITH clause whose table c holds at most limit
// matching articles, newest first, with their relevance (rel, higher is
// better) and publication time (pub).
//
// SQLite walks the index from the highest rowid (the newest article saved)
// and stops at limit, so a common word costs no more than a rare one. It
// scores by bm25, weighing a headline match 10 and a summary match 4 times
// a body match; for a query with a common word, by the same weights given
// to where the query matches (headline, summary, body: 10, 4, 1, added),
// which the small index of headlines and summaries tells for the same
// newest stories.
//
// PostgreSQL's planner picks the GIN index for rare words and the
// publication-time index for common ones; ts_rank_cd weighs A (headline)
// 1.0, B (summary) 0.4, D (body) 0.1, its score divided by 1 + the log of
// the article's length, as bm25 also normalizes for length.
func (m searchMatch) candidates(conds []string, limit int) string {
	where := ""
	for _, c := range conds {
		where += " AND " + c
	}
	lim := strconv.Itoa(limit)
	pub, order := "a.published_at", "a.published_at DESC, a.id DESC"
	if m.desk {
		pub, order = "a.modified_at", "a.id DESC"
	}
	switch {
	case m.dialect == "sqlite" && m.common:
		return `WITH m AS MATERIALIZED (SELECT articles_fts.rowid AS id, ` + pub + ` AS pub
				FROM articles_fts JOIN articles a INDEXED BY articles_search_filter ON a.id = articles_fts.rowid
				WHERE articles_fts MATCH ` + m.expr + where + `
				ORDER BY articles_fts.rowid DESC LIMIT ` + lim + `),
			h AS (SELECT rowid AS id FROM articles_titles_fts WHERE articles_titles_fts MATCH ` + m.inHeadline + `
				AND rowid >= (SELECT MIN(id) FROM m)),
			s AS (SELECT rowid AS id FROM articles_titles_fts WHERE articles_titles_fts MATCH ` + m.inSummary + `
				AND rowid >= (SELECT MIN(id) FROM m)),
			c AS MATERIALIZED (SELECT m.id, m.pub, 1.0 + 9.0 * (m.id IN (SELECT id FROM h)) + 3.0 * (m.id IN (SELECT id FROM s)) AS rel FROM m)`
	case m.dialect == "sqlite":
		return `WITH c AS MATERIALIZED (SELECT articles_fts.rowid AS id, ` + pub + ` AS pub, -bm25(articles_fts, 10.0, 4.0, 1.0) AS rel
				FROM articles_fts JOIN articles a INDEXED BY articles_search_filter ON a.id = articles_fts.rowid
				WHERE articles_fts MATCH ` + m.expr + where + `
				ORDER BY articles_fts.rowid DESC LIMIT ` + lim + `)`
	}
	// Two steps: first the candidates (m), then the rank of those only.
	// In one step PostgreSQL computes ts_rank_cd, which fetches each
	// story's vector, for every match before it sorts them and keeps the
	// newest: thousands of vectors for a pair of common words, where 200
	// are needed. The public search finds its candidates as
	// search_postgres.go explains; the newsroom's, fewer and rarer, as the
	// planner sees fit.
	// The tsquery is made once (tq), not once for each story tested.
	q := `(SELECT q FROM tq)`
	with := `m AS MATERIALIZED (SELECT a.id AS id, ` + pub + ` AS pub
			FROM articles a
			WHERE a.search_vector @@ ` + q + where + `
			ORDER BY ` + order + ` LIMIT ` + lim + `)`
	if !m.desk {
		with = pgCandidates(q, where, m.days, m.walk, m.win1, m.win2, m.span1, m.span2, m.anchor, limit)
	}
	return `WITH tq AS MATERIALIZED (SELECT ` + m.expr + ` AS q), ` + with + `,
		c AS MATERIALIZED (SELECT m.id, m.pub,
				CAST(ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', a.search_vector, ` + q + `, 1) AS DOUBLE PRECISION) AS rel
			FROM m JOIN articles a ON a.id = m.id)`
}

// OptimizeSearch makes the search index fast to read after a bulk load.
// SQLite merges each index's segments into one. PostgreSQL moves the GIN
// index's pending entries into the index proper and vacuums and analyzes
// the table, so that its planner has the statistics it needs to choose
// between the GIN and the publication-time index, and so that autovacuum
// does not start on the new rows just when the archive is first searched.
// (In a transaction, where VACUUM cannot run, it only analyzes.)
func (s *Store) OptimizeSearch(ctx context.Context) error {
	stmts := []string{`SELECT gin_clean_pending_list('articles_search'::regclass)`, `VACUUM (ANALYZE) articles`}
	switch {
	case s.dialect.name == "sqlite":
		stmts = []string{`INSERT INTO articles_fts (articles_fts) VALUES ('optimize')`,
			`INSERT INTO articles_titles_fts (articles_titles_fts) VALUES ('optimize')`}
	case s.inTx:
		stmts = []string{`SELECT gin_clean_pending_list('articles_search'::regclass)`, `ANALYZE articles`}
	}
	for _, stmt := range stmts {
		if _, err := s.q.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
