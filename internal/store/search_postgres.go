package store

import (
	"context"
	"database/sql"
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
// vectors, from pg_stats, read at most every pgStatsAge per database.
type pgWordStats struct {
	mu   sync.Mutex
	at   time.Time
	freq map[string]float64
}

const pgStatsAge = 10 * time.Minute

var pgStats sync.Map // *sql.DB -> *pgWordStats

// walkFirst reports whether the newest pgWalk stories are likely to hold
// SearchCandidates matches of the query, so that the walk is worth trying.
func (s *Store) walkFirst(ctx context.Context, q search.Query) (bool, error) {
	if pgWalkAlways {
		return true, nil
	}
	var text []string
	text = append(text, q.Terms()...)
	for _, p := range q.Phrases() {
		text = append(text, p.Text)
	}
	rows, err := s.searchQuery(ctx, `SELECT unnest(tsvector_to_array(to_tsvector('newsdesk_english', $1)))`, strings.Join(text, " "))
	if err != nil {
		return false, err
	}
	var lexemes []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			rows.Close()
			return false, err
		}
		lexemes = append(lexemes, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(lexemes) == 0 {
		return false, err
	}
	freq, err := s.pgWordFreq(ctx)
	if err != nil {
		return false, err
	}
	together, rarest := 1.0, 1.0
	for _, l := range lexemes {
		f := freq[l] // 0 for a word not among the commonest: rare
		together *= f
		rarest = min(rarest, f)
	}
	return together*pgWalk >= SearchCandidates || rarest >= pgWalkMinRare, nil
}

// pgWordFreq returns the share of articles each of the commonest lexemes is
// in, as ANALYZE last counted. Without statistics it is empty, and every
// query goes to the GIN index, which is right for a small archive.
func (s *Store) pgWordFreq(ctx context.Context) (map[string]float64, error) {
	v, _ := pgStats.LoadOrStore(s.db, &pgWordStats{})
	st := v.(*pgWordStats)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.freq != nil && time.Since(st.at) < pgStatsAge {
		return st.freq, nil
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
	st.freq, st.at = freq, time.Now()
	return freq, nil
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
// pgGenericPlan when generic) on PostgreSQL; on SQLite, or inside a
// transaction already, it runs fn on the store as it is.
func (s *Store) searchTx(ctx context.Context, generic bool, fn func(tx searchQuerier) error) error {
	if s.dialect.name == "sqlite" || s.inTx {
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

// pgCandidates is PostgreSQL's WITH clause for the public search: the walk
// (w), tried when walk is true, then the GIN index (g) when the walk found
// fewer than limit, both with the same filters; m holds the candidates.
func pgCandidates(expr, where, walk string, limit int) string {
	lim, win := strconv.Itoa(limit), strconv.Itoa(pgWalk)
	return `WITH w AS MATERIALIZED (SELECT r.id, r.pub
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
