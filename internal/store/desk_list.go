package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
)

// The newsroom's article list at scale (issue 18): every filter at once,
// sorted by any column both ways, paged by keyset. A page deep in the
// list costs what the first one costs, and a page never repeats or skips a
// story while the list does not change, however many stories share a
// value of the column sorted by: the id breaks every tie.

// DeskSort is a column the newsroom's article list sorts by.
type DeskSort string

// The columns the article list sorts by.
const (
	SortUpdated   DeskSort = "updated"   // the last change of any kind (modified_at)
	SortPublished DeskSort = "published" // first publication; never published counts as the earliest
	SortHeadline  DeskSort = "headline"
	SortSection   DeskSort = "section" // the section's path, so subsections follow their parent
	SortStatus    DeskSort = "status"
	SortAuthor    DeskSort = "author" // the first byline's name; stories without one come last either way
)

// DeskSorts lists the columns the article list sorts by.
var DeskSorts = []DeskSort{SortHeadline, SortSection, SortStatus, SortAuthor, SortUpdated, SortPublished}

// numeric reports whether the column holds times (kept as numbers).
func (c DeskSort) numeric() bool { return c == SortUpdated || c == SortPublished }

// DeskKey is a place in the list: the sort column's value of the last
// story of the previous page, as text (a time as its stored number), and
// its id. The zero DeskKey is the start.
type DeskKey struct {
	Value string
	ID    int64
}

// IsZero reports whether k is the start of the list.
func (k DeskKey) IsZero() bool { return k.ID == 0 }

// String is the key as the list's "after" parameter carries it: the id,
// a colon, then the value (which may hold colons itself).
func (k DeskKey) String() string { return strconv.FormatInt(k.ID, 10) + ":" + k.Value }

// ParseDeskKey reads a key written by DeskKey.String, for the column c.
func ParseDeskKey(s string, c DeskSort) (DeskKey, error) {
	id, val, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 {
		return DeskKey{}, news.Invalid("after", "after: %q is not a place in the list (it comes from a “Next page” link): start from the first page", s)
	}
	if c.numeric() {
		if _, err := strconv.ParseInt(val, 10, 64); err != nil {
			return DeskKey{}, news.Invalid("after", "after: %q is not a place in a list sorted by %s: start from the first page", s, c)
		}
	}
	return DeskKey{Value: val, ID: n}, nil
}

// DeskDate is the time a date range of the list bounds.
type DeskDate string

// The times a date range bounds.
const (
	DatePublished DeskDate = "published"
	DateUpdated   DeskDate = "updated" // modified_at, as the sort
)

// DeskListFilter selects and orders the newsroom's article list. Every
// filter given applies (they are and-ed).
type DeskListFilter struct {
	Scope      news.ArticleScope // whose articles the reader may see (auth.ArticleScope); the zero scope lists none
	CreatedBy  int64             // only this writer's ("mine"), within the scope
	Statuses   []news.Status     // any of these; empty: all
	SectionIDs []int64           // any of these (a section and its subsections: news.Tree.SubtreeIDs); empty: all
	AuthorID   int64             // with this byline
	TagID      int64             // with this tag
	// DateField is the time From and To bound (published by default);
	// From is inclusive, To exclusive, zero for no bound. A range on the
	// publication time leaves out stories never published.
	DateField DeskDate
	From, To  time.Time
	// Text keeps the stories whose headline, summary or body match, as the
	// newsroom's search finds them (SearchDesk): of those that pass the
	// other filters, the newest SearchCandidates saved.
	Text  search.Query
	Sort  DeskSort // SortUpdated by default
	Desc  bool
	After DeskKey // the place after which the page starts
	Limit int     // default 50, at most 200

	commonAuthor, commonTag bool // set by DeskList: see commonLink
}

// commonLink is how many stories a byline or a tag must be on for the list
// to walk its order and check each story for it, rather than take the
// byline's or tag's stories and sort them: sorting a few thousand costs
// more than walking to a page of them.
const commonLink = 1000

// linkCount counts the rows of a link table (article_tags, article_authors)
// whose column col is id, up to commonLink+1.
func (s *Store) linkCount(ctx context.Context, table, col string, id int64) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+table+` WHERE `+col+` = $1 LIMIT `+itoa(commonLink+1)+`) x`, id).Scan(&n)
	return n, err
}

// DeskListPage is one page of the list.
type DeskListPage struct {
	Articles []*news.Editorial
	// Next is the place the next page starts after; zero on the last page.
	Next DeskKey
	// TextCapped is set when the text matched more stories than the search
	// ranks (SearchCandidates): the list holds the newest saved of them.
	TextCapped bool
}

// deskSortExpr is the SQL of column c's value for the article a, and a
// join it needs.
func deskSortExpr(c DeskSort) (expr, join string) {
	switch c {
	case SortPublished:
		return "a.published_at", ""
	case SortHeadline:
		return "a.headline", ""
	case SortStatus:
		return "a.status", ""
	case SortSection:
		return "ks.path", " JOIN sections ks ON ks.id = a.section_id"
	}
	return "a.modified_at", ""
}

// deskConds is the filters of f but the text's as SQL conditions on the
// articles table a; add binds a value and returns its placeholder.
func deskConds(f DeskListFilter, add func(any) string) []string {
	conds := scopeConds(f.Scope, add)
	if len(f.Statuses) > 0 {
		ph := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ph[i] = add(string(st))
		}
		conds = append(conds, "a.status IN ("+strings.Join(ph, ", ")+")")
	}
	if f.CreatedBy != 0 {
		conds = append(conds, "a.created_by = "+add(f.CreatedBy))
	}
	if len(f.SectionIDs) > 0 {
		ph := make([]string, len(f.SectionIDs))
		for i, id := range f.SectionIDs {
			ph[i] = add(id)
		}
		conds = append(conds, "a.section_id IN ("+strings.Join(ph, ", ")+")")
	}
	// A byline or tag on few stories: their ids first, then sorted. On
	// many (commonLink): the walk in the list's order checks each story,
	// and stops at the page, instead of sorting thousands.
	if f.AuthorID != 0 {
		if f.commonAuthor {
			conds = append(conds, "EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = a.id AND x.author_id = "+add(f.AuthorID)+")")
		} else {
			conds = append(conds, "a.id IN (SELECT article_id FROM article_authors WHERE author_id = "+add(f.AuthorID)+")")
		}
	}
	if f.TagID != 0 {
		if f.commonTag {
			conds = append(conds, "EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = a.id AND x.tag_id = "+add(f.TagID)+")")
		} else {
			conds = append(conds, "a.id IN (SELECT article_id FROM article_tags WHERE tag_id = "+add(f.TagID)+")")
		}
	}
	col := "a.published_at"
	if f.DateField == DateUpdated {
		col = "a.modified_at"
	} else if !f.From.IsZero() || !f.To.IsZero() {
		conds = append(conds, "a.published_at > 0")
	}
	if !f.From.IsZero() {
		conds = append(conds, col+" >= "+add(toDB(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, col+" < "+add(toDB(f.To)))
	}
	return conds
}

// DeskList returns a page of the newsroom's article list as f says, each
// story with the newsroom's fields.
//
// One statement finds the page's ids and sort values (the filters, the
// place to start after, the order, the limit); a second reads those
// stories. With text, the search (rankMatches, as SearchDesk) first finds
// the matching stories among those the other filters keep, and the list
// is theirs, in the order asked for.
func (s *Store) DeskList(ctx context.Context, f DeskListFilter) (DeskListPage, error) {
	var page DeskListPage
	if f.Sort == "" {
		f.Sort = SortUpdated
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	if f.AuthorID != 0 {
		n, err := s.linkCount(ctx, "article_authors", "author_id", f.AuthorID)
		if err != nil {
			return page, err
		}
		f.commonAuthor = n > commonLink
	}
	if f.TagID != 0 {
		n, err := s.linkCount(ctx, "article_tags", "tag_id", f.TagID)
		if err != nil {
			return page, err
		}
		f.commonTag = n > commonLink
	}
	var a args
	conds := deskConds(f, a.add)
	if !f.Text.Empty() {
		ids, err := s.deskMatches(ctx, f)
		if err != nil {
			return page, err
		}
		page.TextCapped = len(ids) >= SearchCandidates
		if len(ids) == 0 {
			return page, nil
		}
		ph := make([]string, len(ids))
		for i, id := range ids {
			ph[i] = a.add(id)
		}
		conds = append(conds, "a.id IN ("+strings.Join(ph, ", ")+")")
	}
	var keys []DeskKey
	var err error
	if f.Sort == SortAuthor {
		keys, err = s.deskKeysByAuthor(ctx, f, conds, a, limit+1)
	} else {
		keys, err = s.deskKeys(ctx, f, conds, a, limit+1)
	}
	if err != nil {
		return page, err
	}
	if len(keys) > limit {
		keys = keys[:limit]
		page.Next = keys[limit-1]
	}
	if len(keys) == 0 {
		return page, nil
	}
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	in, idArgs := inList(1, ids)
	list, err := s.queryArticles(ctx, Cards, "WHERE a.id IN ("+in+")", idArgs...)
	if err != nil {
		return page, err
	}
	eds, err := s.editorialExtras(ctx, list)
	if err != nil {
		return page, err
	}
	byID := make(map[int64]*news.Editorial, len(eds))
	for _, e := range eds {
		byID[e.Article.ID] = e
	}
	for _, id := range ids {
		// A story deleted between the two statements is left out.
		if e := byID[id]; e != nil {
			page.Articles = append(page.Articles, e)
		}
	}
	return page, nil
}

// deskKeys is the first n keys of the list in f's order after f.After,
// by one statement: conds and a are the filters and their arguments.
func (s *Store) deskKeys(ctx context.Context, f DeskListFilter, conds []string, a args, n int) ([]DeskKey, error) {
	expr, join := deskSortExpr(f.Sort)
	dir, cmp := "ASC", ">"
	if f.Desc {
		dir, cmp = "DESC", "<"
	}
	if !f.After.IsZero() {
		var v any = f.After.Value
		if f.Sort.numeric() {
			t, err := strconv.ParseInt(f.After.Value, 10, 64)
			if err != nil {
				return nil, news.Invalid("after", "after: %q is not a place in a list sorted by %s", f.After.String(), f.Sort)
			}
			v = t
		}
		// The bound on the value alone is what an index can seek to; the
		// id orders the stories that share it.
		vp, ip := a.add(v), a.add(f.After.ID)
		conds = append(conds, expr+" "+cmp+"= "+vp+" AND ("+expr+" "+cmp+" "+vp+" OR a.id "+cmp+" "+ip+")")
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	q := "SELECT a.id, " + expr + " FROM articles a" + join + where +
		" ORDER BY " + expr + " " + dir + ", a.id " + dir + " LIMIT " + a.add(n)
	return s.scanKeys(ctx, q, a.list...)
}

func (s *Store) scanKeys(ctx context.Context, q string, vals ...any) ([]DeskKey, error) {
	rows, err := s.q.QueryContext(ctx, q, vals...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []DeskKey
	for rows.Next() {
		var k DeskKey
		if err := rows.Scan(&k.ID, &k.Value); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// deskKeysByAuthor is deskKeys for the order by the first byline's name.
// No index gives that order (the name is in another table), and sorting
// every story by a name looked up for each took seconds on PostgreSQL at
// 100,000. The authors are few: the walk takes their names in order, and
// for each the stories whose first byline has that name, by id, until the
// page is full; a page costs a statement or two. Stories without a byline
// come after every name, either way round (their key is "").
func (s *Store) deskKeysByAuthor(ctx context.Context, f DeskListFilter, conds []string, a args, n int) ([]DeskKey, error) {
	dir, cmp := "ASC", ">"
	if f.Desc {
		dir, cmp = "DESC", "<"
	}
	// Few stories to list (a writer's own, a narrow filter): sorting them
	// costs little, where the walk below would take a statement for each
	// author with none of them (3,000 authors: 90 ms on SQLite, 250 to 480
	// ms on PostgreSQL a page, for any writer who asks).
	var few int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM articles a`+whereOf(conds)+
		` LIMIT `+itoa(authorSortSet+1)+`) x`, a.list...).Scan(&few); err != nil {
		return nil, err
	}
	if few <= authorSortSet {
		return s.deskKeysByAuthorSorted(ctx, f, conds, a, n)
	}
	// The authors' ids by name: a group's statement walks the byline
	// index (author_id, article_id) of those ids, not every byline.
	rows, err := s.q.QueryContext(ctx, `SELECT id, name FROM authors ORDER BY name `+dir+`, id`)
	if err != nil {
		return nil, err
	}
	var names []string
	ids := map[string][]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		if len(ids[name]) == 0 {
			names = append(names, name)
		}
		ids[name] = append(ids[name], id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	groups := append(names, "") // "": no byline, last
	start := 0
	if !f.After.IsZero() {
		start = len(groups) - 1
		if f.After.Value != "" {
			i := slices.Index(groups, f.After.Value)
			if i < 0 {
				// A name no author has any more: the next group
				// after where it would be.
				i = len(names)
				for j, name := range names {
					if (!f.Desc && name > f.After.Value) || (f.Desc && name < f.After.Value) {
						i = j
						break
					}
				}
			}
			start = i
		}
	}
	var keys []DeskKey
	for gi := start; gi < len(groups) && len(keys) < n; gi++ {
		name := groups[gi]
		ga := args{list: slices.Clone(a.list)}
		gc := slices.Clone(conds)
		if name == "" {
			gc = append(gc, "NOT EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = a.id)")
		} else {
			ph := make([]string, len(ids[name]))
			for i, id := range ids[name] {
				ph[i] = ga.add(id)
			}
			gc = append(gc, "a.id IN (SELECT x.article_id FROM article_authors x WHERE x.author_id IN ("+strings.Join(ph, ", ")+") AND x.position = 0)")
		}
		if !f.After.IsZero() && name == f.After.Value {
			gc = append(gc, "a.id "+cmp+" "+ga.add(f.After.ID))
		}
		q := "SELECT a.id, CAST(" + ga.add(name) + " AS TEXT) FROM articles a WHERE " + strings.Join(gc, " AND ") +
			" ORDER BY a.id " + dir + " LIMIT " + ga.add(n-len(keys))
		got, err := s.scanKeys(ctx, q, ga.list...)
		if err != nil {
			return nil, err
		}
		keys = append(keys, got...)
	}
	return keys, nil
}

// deskMatches returns the ids of the newest SearchCandidates stories saved
// that match f.Text and pass f's other filters: the search's own match
// (searchMatch, candidates: the same index, query handling and choice of
// plan as SearchDesk), without its ranking, which the list does not use.
// Ranking is most of a search's cost on PostgreSQL for a word in most
// stories (each candidate's vector read for ts_rank_cd: 130 to 330 ms at
// 100,000 stories, where the match alone takes 2 to 9 ms).
func (s *Store) deskMatches(ctx context.Context, f DeskListFilter) ([]int64, error) {
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	common := false
	if s.dialect.name == "sqlite" {
		var err error
		if common, err = s.hasCommonWord(ctx, f.Text); err != nil {
			return nil, searchError(ctx, err)
		}
	}
	var a args
	match := s.dialect.searchMatch(&a, f.Text, common)
	match.desk = true
	conds := deskConds(f, a.add)
	query := match.candidates(conds, SearchCandidates) + " SELECT id FROM c"
	if s.dialect.name == "postgres" {
		// The query in the statement itself, not in a CTE as the search
		// has it: the planner then knows how many stories a word is in,
		// and walks the newest stories for a word in most of them (2 ms
		// at 100,000) instead of reading every match from the index and
		// sorting them (300-500 ms for a word in 98% of them).
		where := ""
		for _, c := range conds {
			where += " AND " + c
		}
		query = "SELECT a.id FROM articles a WHERE a.search_vector @@ " + match.expr + where +
			" ORDER BY a.id DESC LIMIT " + itoa(SearchCandidates)
	}
	ids, err := s.ids(ctx, query, a.list...)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	return ids, nil
}

// authorSortSet is how many stories deskKeysByAuthor sorts by their first
// byline's name in one statement rather than walk the authors.
var authorSortSet = 2000

func whereOf(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// deskKeysByAuthorSorted is deskKeysByAuthor for a few stories: one
// statement sorts them by their first byline's name, in the walk's order
// (the names as the database orders them, each name's stories by id, the
// stories without a byline last either way), so a page of either kind
// follows a page of the other.
func (s *Store) deskKeysByAuthorSorted(ctx context.Context, f DeskListFilter, conds []string, a args, n int) ([]DeskKey, error) {
	dir, cmp := "ASC", ">"
	if f.Desc {
		dir, cmp = "DESC", "<"
	}
	ga := args{list: slices.Clone(a.list)}
	inner := `SELECT a.id AS id, COALESCE((SELECT fa.name FROM article_authors fb JOIN authors fa ON fa.id = fb.author_id
		WHERE fb.article_id = a.id AND fb.position = 0), '') AS k FROM articles a` + whereOf(conds)
	after := ""
	if !f.After.IsZero() {
		id := ga.add(f.After.ID)
		if f.After.Value == "" {
			after = " WHERE t.k = '' AND t.id " + cmp + " " + id
		} else {
			v := ga.add(f.After.Value)
			after = " WHERE t.k = '' OR t.k " + cmp + " " + v + " OR (t.k = " + v + " AND t.id " + cmp + " " + id + ")"
		}
	}
	q := "SELECT t.id, t.k FROM (" + inner + ") t" + after +
		" ORDER BY CASE WHEN t.k = '' THEN 1 ELSE 0 END, t.k " + dir + ", t.id " + dir + " LIMIT " + ga.add(n)
	return s.scanKeys(ctx, q, ga.list...)
}
