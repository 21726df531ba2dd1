package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
)

// How PostgreSQL finds the newest SearchCandidates matches of a query.
//
// Two ways, each cheap where the other is dear:
//
//   - The walk: read the newest stories in order of publication and test
//     each. Each test fetches the story's vector from TOAST storage (about
//     10 µs), so the walk is quick when most stories match (200 matches of
//     "government" in 208 stories) and slow when few do.
//   - The GIN index: every match at once, then the newest of them. Each
//     match costs a visit to its row (about 5 µs), so it is quick for rare
//     words and slow for words in tens of thousands of stories.
//
// PostgreSQL's planner chooses between them itself, but it does not count
// the TOAST fetch, so it walks for words that are each common but rarely
// together ("inflation prices": 11,764 stories tested, over 200 ms). So the
// store chooses: it walks, at most pgWalk stories, only when the query's
// words are common enough for the walk to find 200 matches there (from the
// frequencies of words that ANALYZE keeps in pg_stats); when the walk finds
// fewer, or is not tried, the GIN index answers. Either way no more than
// pgWalk vectors are fetched, nor more rows visited than the query's rarest
// word has (when the walk is skipped, that word is in fewer than a fifth of
// the stories).
//
// Between the two, when the words are common enough that the GIN index
// would visit many rows (migration 0028), a window: the GIN index, whose
// entries hold each story's publication time beside its words, asked for
// the matches published in the newest part of the archive only, sized to
// hold about pgWindowMatches of them. When it holds SearchCandidates or
// more, they are the newest matches of all (every match outside it is
// older); otherwise a window pgWindowWiden times as long is tried, then the
// GIN index over the whole archive. The rows visited are those of the
// window's matches, not of every match.

// pgWalk is how many of the newest stories the walk tests at most: about
// where the cost of a walk that fails (pgWalk vector fetches) meets the cost
// of the GIN index for the words it is tried on.
const pgWalk = 2500

// pgWalkMinRare is how common the rarest word of a query must be for the
// walk to be tried even when the words, taken as independent, are not
// expected to be found together often enough: words of one topic
// ("festival film") are found together far more often than that.
const pgWalkMinRare = 0.2

// pgWalkAlways makes every search try the walk first, for tests: a test
// database is too small for its words to be common.
var pgWalkAlways = false

// pgWindowMatches is how many matches the first window is sized to hold
// (from the words' frequencies, taken as independent): enough that it
// usually holds SearchCandidates even when the words are found together
// less often than independence says.
const pgWindowMatches = 3 * SearchCandidates

// pgWindowUnknown: a query with a word not among the commonest (rarer
// than the least common of those) tries the window only when that least
// common word is in pgWindowUnknown times pgWindowMatches stories or more:
// at 100,000 stories the GIN index visits the few thousand rows of such a
// word faster than the window's extra steps (and the transaction they need)
// cost; at a million it would visit tens of thousands.
const pgWindowUnknown = 20

// pgWindowWiden is how many times longer the second window is than the
// first.
const pgWindowWiden = 8

// pgRateSample is how many of the newest stories the rate of publication
// (stories per microsecond, which turns a window's size in stories into a
// time) is measured over.
const pgRateSample = 10000

// pgWindowAlways, when above zero, makes every search try a first window
// of that length (and a second pgWindowWiden times as long) before the
// GIN index, for tests: a test database is too small for a window.
var pgWindowAlways time.Duration

// pgDay is a story's day of publication (microseconds since 1970 over
// pgDayLength), as the search index holds it (migration 0028).
const (
	pgDayLength = "86400000000"
	pgDay       = "(a.published_at / " + pgDayLength + ")"
)

// pgDays returns the conditions on pgDay that hold the stories published
// at or after since and before before (zero for no bound), adding their
// arguments to a; "" for no range. Go's division truncates toward zero as
// PostgreSQL's does, so a day here is the index's day for any time, before
// 1970 too; pgDay never decreases as the time grows, so the conditions
// hold every story in the range (the exact range is among the filters).
func pgDays(a *args, since, before time.Time) string {
	const day = int64(24 * time.Hour / time.Microsecond)
	out := ""
	if !since.IsZero() {
		out += " AND " + pgDay + " >= CAST(" + a.add(toDB(since)/day) + " AS BIGINT)"
	}
	if !before.IsZero() {
		out += " AND " + pgDay + " <= CAST(" + a.add((toDB(before)-1)/day) + " AS BIGINT)"
	}
	return out
}

// pgSearchPlan is how PostgreSQL finds a query's candidates: see pgPlan.
type pgSearchPlan struct {
	walk, guard bool
	// span and wide are the lengths of the two windows in microseconds;
	// 0 when the window is not tried (wide alone 0: only the first).
	span, wide int64
}

// pgWordStats are the frequencies of the commonest lexemes of the search
// vectors, from pg_stats, read at most every pgStatsAge per database, and
// of the words searched for since (by their lexemes; -1 for a stop word).
type pgWordStats struct {
	mu     sync.Mutex
	at     time.Time
	lexeme map[string]float64
	word   map[string]float64
	// rate is how many stories were published per microsecond over the
	// newest pgRateSample, and stories how many are published: 0 when the
	// archive is too small for a window to be worth it.
	rate    float64
	stories float64
	// least is the frequency of the least common word in lexeme.
	least float64
}

const pgStatsAge = 10 * time.Minute

var pgStats sync.Map // *sql.DB -> *pgWordStats

// pgPlan decides how PostgreSQL finds a query's candidates: walk, when the
// newest pgWalk stories are likely to hold SearchCandidates matches, so
// that the walk is worth trying; and guard, when the statement needs the
// planner settings of pgSearchSettings. A query of rare words needs none:
// the planner, expecting few matches, takes the GIN index of itself, and
// the transaction the settings need costs more than such a search.
//
// Phrases count only by their words taken as independent: a phrase is in
// fewer stories than its words are, so the walk is not tried for the
// rarest word's sake alone.
func (s *Store) pgPlan(ctx context.Context, q search.Query) (pgSearchPlan, error) {
	var pl pgSearchPlan
	if pgWalkAlways || pgWindowAlways > 0 {
		pl.walk, pl.guard = pgWalkAlways, true
		if pgWindowAlways > 0 {
			pl.span = pgWindowAlways.Microseconds()
			pl.wide = pl.span * pgWindowWiden
		}
		return pl, nil
	}
	together, rarest, bound := 1.0, 1.0, 1.0
	words, terms := 0, 0
	for _, p := range q.Parts {
		freq, err := s.pgWordFreqs(ctx, p.Words)
		if err != nil {
			return pl, err
		}
		for _, f := range freq {
			together *= f
			words++
			bound = min(bound, f)
			if !p.Phrase() {
				rarest = min(rarest, f)
				terms++
			}
		}
	}
	if words == 0 {
		// Only stop words: PostgreSQL finds nothing, at once.
		return pl, nil
	}
	pl.walk = together*pgWalk >= SearchCandidates || (terms > 0 && rarest >= pgWalkMinRare)
	// The window, when the GIN index might visit more rows than it: the
	// query matches at most as many stories as its rarest word is in
	// (bound). A word not among the commonest is in fewer stories than
	// the least common of those (least); where that is still many (a
	// large archive), it is taken as that common. The first window is
	// sized to hold pgWindowMatches if the words were always found
	// together (words of one topic nearly are: "match season coach"),
	// the second pgWindowWiden times as many stories, for words found
	// together less often; the sizes are turned into times by the recent
	// rate of publication.
	st, err := s.pgWordStats(ctx)
	if err != nil {
		return pl, err
	}
	st.mu.Lock()
	rate, stories, least := st.rate, st.stories, st.least
	st.mu.Unlock()
	if bound == 0 && least*stories > pgWindowUnknown*pgWindowMatches {
		bound = least
	}
	if rate > 0 && bound*stories > pgWindowMatches {
		rows := pgWindowMatches / bound
		pl.span = int64(rows / rate)
		if rows*pgWindowWiden < stories {
			pl.wide = pl.span * pgWindowWiden
		}
	}
	pl.guard = pl.walk || pl.span > 0 || together >= pgGuard
	return pl, nil
}

// pgGuard is the share of stories a query is expected to match (its words
// taken as independent) from which the planner might prefer reading the
// whole table to the GIN index, so the statement needs the settings.
const pgGuard = 0.01

// pgWordFreqs returns the share of articles each word is in, as far as
// the statistics tell: 0 for a word not among the commonest (rare). A word
// that is no word to PostgreSQL (a stop word) is left out. The frequency
// of each word is remembered for pgStatsAge, so that a search usually costs
// no statement here; a word's stem, which the statistics are by, needs
// PostgreSQL's own stemmer.
func (s *Store) pgWordFreqs(ctx context.Context, words []string) ([]float64, error) {
	st, err := s.pgWordStats(ctx)
	if err != nil {
		return nil, err
	}
	var out []float64
	var ask []string
	st.mu.Lock()
	for _, w := range words {
		if f, ok := st.word[w]; ok {
			if f >= 0 {
				out = append(out, f)
			}
		} else if !slices.Contains(ask, w) {
			ask = append(ask, w)
		}
	}
	st.mu.Unlock()
	if len(ask) == 0 {
		return out, nil
	}
	var a args
	sel := make([]string, len(ask))
	for i, w := range ask {
		sel[i] = `SELECT ` + strconv.Itoa(i) + `, l FROM unnest(tsvector_to_array(to_tsvector('newsdesk_english', ` + a.add(w) + `))) AS l`
	}
	rows, err := s.searchQuery(ctx, strings.Join(sel, " UNION ALL "), a.list...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := make([]float64, len(ask))
	for i := range got {
		got[i] = -1 // no lexeme: a stop word
	}
	for rows.Next() {
		var i int
		var lex string
		if err := rows.Scan(&i, &lex); err != nil {
			return nil, err
		}
		f := st.lexeme[lex]
		if got[i] < 0 || f < got[i] {
			got[i] = f // a word of two lexemes ("e-mail") is as rare as the rarer
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, w := range ask {
		if got[i] >= 0 {
			out = append(out, got[i])
		}
		if len(st.word) < maxCommonWords {
			st.word[w] = got[i]
		}
	}
	return out, nil
}

// pgWordStats returns the database's word statistics, read again from
// pg_stats when older than pgStatsAge: the share of articles each of the
// commonest lexemes is in, as ANALYZE last counted. Without statistics the
// map is empty, and every query goes to the GIN index, which is right for
// a small archive.
func (s *Store) pgWordStats(ctx context.Context) (*pgWordStats, error) {
	v, _ := pgStats.LoadOrStore(s.db, &pgWordStats{})
	st := v.(*pgWordStats)
	st.mu.Lock()
	fresh := st.lexeme != nil && time.Since(st.at) < pgStatsAge
	st.mu.Unlock()
	if fresh {
		return st, nil
	}
	rows, err := s.q.QueryContext(ctx, `SELECT m.lex, m.freq FROM pg_stats s,
			unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(lex, freq)
		WHERE s.schemaname = current_schema() AND s.tablename = 'articles' AND s.attname = 'search_vector'
			AND m.lex IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	freq := map[string]float64{}
	for rows.Next() {
		var l string
		var f float64
		if err := rows.Scan(&l, &f); err != nil {
			return nil, err
		}
		freq[l] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// The rate of publication over the newest stories (an index-only
	// walk of pgRateSample entries, once every pgStatsAge), and the
	// number of stories as ANALYZE last counted them.
	var n int64
	var span, stories float64
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(p) - MIN(p), 0),
			(SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = 'articles'::regclass)
		FROM (SELECT a.published_at AS p FROM articles a WHERE a.status = '`+string(news.Published)+`'
			ORDER BY a.published_at DESC LIMIT `+strconv.Itoa(pgRateSample)+`) r`).Scan(&n, &span, &stories); err != nil {
		return nil, err
	}
	rate := 0.0
	if n >= pgRateSample && span > 0 {
		rate = float64(n) / span
	}
	st.mu.Lock()
	st.lexeme, st.word, st.at = freq, map[string]float64{}, time.Now()
	least := 0.0
	for _, f := range freq {
		if least == 0 || f < least {
			least = f
		}
	}
	st.rate, st.stories, st.least = rate, stories, least
	st.mu.Unlock()
	return st, nil
}

// pgSearchSettings are the planner settings a PostgreSQL search runs with,
// for its transaction only. The statement decides between the walk and
// the GIN index itself; these keep the planner from a sequential scan
// (which tests every story's vector: seconds) and from starting parallel
// workers for a part of the statement that its one-time filter skips.
const pgSearchSettings = `SELECT set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`

// pgGenericPlan also has the statement planned once per connection and
// kept (it is prepared: see pgx's statement cache), rather than planned
// again for every query, which costs more than running it for a rare word.
// The statement's shape fixes the plan (the walk, or the GIN index), so
// the values do not matter to it, except a section's: a search in a
// section is planned for its values.
const pgGenericPlan = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`

// searchTx runs fn in a read-only transaction with pgSearchSettings (and
// pgGenericPlan when generic) on PostgreSQL when guard is set; on SQLite,
// inside a transaction already, or without guard, it runs fn on the store
// as it is.
func (s *Store) searchTx(ctx context.Context, guard, generic bool, fn func(tx searchQuerier) error) error {
	if s.dialect.name == "sqlite" || s.inTx || !guard {
		return fn(nil)
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	settings := pgSearchSettings
	if generic {
		settings = strings.Replace(pgGenericPlan, "SELECT ", pgSearchSettings+", ", 1)
	}
	if _, err := tx.ExecContext(ctx, settings); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// searchQuerier is what searchTx hands its function: the transaction, or
// nil to use the store's prepared search statements.
type searchQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// pgCandidates is PostgreSQL's common table expressions for the public
// search, for the tsquery expr: the walk (w), tried when walk is true; then
// the two windows (d1, d2), each tried when the one before found fewer
// than limit and its SQL boolean (win1, win2) is true, reaching back span1
// and span2 microseconds from anchor (the newest story, or the end of the
// reader's date range); then the GIN index over the whole archive (g). All
// have the same filters; m holds the candidates of the first that found
// limit, or g's.
//
// The index (migration 0028) holds each story's day of publication
// (pgDay), not its time: a range of days is a few entries of the index,
// where a range of times would be one entry per story. So a window starts
// at the start of a day, and days holds the reader's date range as days
// (the exact range is in where), for the GIN index's own scans.
func pgCandidates(expr, where, days, walk, win1, win2, span1, span2, anchor string, limit int) string {
	lim, win := strconv.Itoa(limit), strconv.Itoa(pgWalk)
	window := func(on, span, before string) string {
		return `SELECT a.id, a.published_at AS pub FROM articles a
				WHERE ` + on + ` AND ` + before + ` AND a.search_vector @@ ` + expr + where + days + `
					AND ` + pgDay + ` >= ((SELECT t FROM an) - ` + span + `) / ` + pgDayLength + `
				ORDER BY a.published_at + 0 DESC, a.id DESC LIMIT ` + lim
	}
	return `w AS MATERIALIZED (SELECT r.id, r.pub
				FROM (SELECT a.id, a.published_at AS pub, a.search_vector FROM articles a
					WHERE TRUE` + where + `
					ORDER BY a.published_at DESC, a.id DESC LIMIT ` + win + `) r
				WHERE ` + walk + ` AND r.search_vector @@ ` + expr + `
				ORDER BY r.pub DESC, r.id DESC LIMIT ` + lim + `),
			an AS MATERIALIZED (SELECT LEAST(COALESCE(MAX(a.published_at), 0), ` + anchor + `) AS t
				FROM articles a WHERE a.status = '` + string(news.Published) + `'),
			d1 AS MATERIALIZED (` + window(win1, span1, `(SELECT COUNT(*) FROM w) < `+lim) + `),
			d2 AS MATERIALIZED (` + window(win2, span2, `(SELECT COUNT(*) FROM w) < `+lim+` AND (SELECT COUNT(*) FROM d1) < `+lim) + `),
			g AS MATERIALIZED (SELECT a.id, a.published_at AS pub FROM articles a
				WHERE a.search_vector @@ ` + expr + where + days + ` AND (SELECT COUNT(*) FROM w) < ` + lim + `
					AND (SELECT COUNT(*) FROM d1) < ` + lim + ` AND (SELECT COUNT(*) FROM d2) < ` + lim + `
				ORDER BY a.published_at + 0 DESC, a.id DESC LIMIT ` + lim + `),
			m AS MATERIALIZED (SELECT id, pub FROM w WHERE (SELECT COUNT(*) FROM w) >= ` + lim + `
				UNION ALL SELECT id, pub FROM d1 WHERE (SELECT COUNT(*) FROM d1) >= ` + lim + `
				UNION ALL SELECT id, pub FROM d2 WHERE (SELECT COUNT(*) FROM d2) >= ` + lim + `
				UNION ALL SELECT id, pub FROM g)`
}
