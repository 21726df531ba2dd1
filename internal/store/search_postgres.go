package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

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

// pgWordStats are the frequencies of the commonest lexemes of the search
// vectors, from pg_stats, read at most every pgStatsAge per database, and
// of the words searched for since (by their lexemes; -1 for a stop word).
type pgWordStats struct {
	mu     sync.Mutex
	at     time.Time
	lexeme map[string]float64
	word   map[string]float64
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
func (s *Store) pgPlan(ctx context.Context, q search.Query) (walk, guard bool, err error) {
	if pgWalkAlways {
		return true, true, nil
	}
	together, rarest := 1.0, 1.0
	words, terms := 0, 0
	for _, p := range q.Parts {
		freq, err := s.pgWordFreqs(ctx, p.Words)
		if err != nil {
			return false, false, err
		}
		for _, f := range freq {
			together *= f
			words++
			if !p.Phrase() {
				rarest = min(rarest, f)
				terms++
			}
		}
	}
	if words == 0 {
		// Only stop words: PostgreSQL finds nothing, at once.
		return false, false, nil
	}
	walk = together*pgWalk >= SearchCandidates || (terms > 0 && rarest >= pgWalkMinRare)
	return walk, walk || together >= pgGuard, nil
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
	st.mu.Lock()
	st.lexeme, st.word, st.at = freq, map[string]float64{}, time.Now()
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
// search, for the tsquery expr: the walk (w), tried when walk is true, then
// the GIN index (g) when the walk found fewer than limit, both with the
// same filters; m holds the candidates.
func pgCandidates(expr, where, walk string, limit int) string {
	lim, win := strconv.Itoa(limit), strconv.Itoa(pgWalk)
	return `w AS MATERIALIZED (SELECT r.id, r.pub
				FROM (SELECT a.id, a.published_at AS pub, a.search_vector FROM articles a
					WHERE TRUE` + where + `
					ORDER BY a.published_at DESC, a.id DESC LIMIT ` + win + `) r
				WHERE ` + walk + ` AND r.search_vector @@ ` + expr + `
				ORDER BY r.pub DESC, r.id DESC LIMIT ` + lim + `),
			g AS MATERIALIZED (SELECT a.id, a.published_at AS pub FROM articles a
				WHERE a.search_vector @@ ` + expr + where + ` AND (SELECT COUNT(*) FROM w) < ` + lim + `
				ORDER BY a.published_at + 0 DESC, a.id DESC LIMIT ` + lim + `),
			m AS MATERIALIZED (SELECT id, pub FROM w WHERE (SELECT COUNT(*) FROM w) >= ` + lim + `
				UNION ALL SELECT id, pub FROM g)`
}
