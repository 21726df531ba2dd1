package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/search"
)

// DeskSearchOptions is the newsroom's search: articles in any status,
// narrowed to what the person searching may see.
type DeskSearchOptions struct {
	Query search.Query
	// Scope is whose articles the person searching may see
	// (auth.ArticleScope); the zero scope finds none.
	Scope news.ArticleScope
	// Statuses keeps articles in any of these statuses; empty for all.
	Statuses []news.Status
	// CreatedBy keeps only this writer's articles ("mine"), within the
	// scope; 0 for all the scope holds.
	CreatedBy int64
	// Offset and Limit select the page: Limit defaults to 20, at most 100.
	Offset, Limit int
	// Now is the time the recency boost counts from; zero for now.
	Now time.Time
}

// DeskSearchResult is a page of the newsroom's search.
type DeskSearchResult struct {
	// Hits are the articles found, best first, whole (with their body, for
	// a snippet) and with the newsroom's fields.
	Hits []*news.Editorial
	// Passages is the plain text of each hit's body, a passage a line
	// (search.Passages), by article id: stored with the article, for the
	// snippet (Query.SnippetText), which then parses no Markdown.
	Passages map[int64]string
	// Total is how many articles match, up to SearchCandidates; More is
	// true when the search stopped there.
	Total int
	More  bool
}

// SearchDesk finds articles in any status (draft, in review, scheduled,
// published, unpublished) by the words of their headline, summary and
// body, best first. It uses the same index and query handling as Search:
// the index holds every article whatever its status, and the public search
// keeps only the published ones at query time, so one index serves both
// and a story is searchable in the newsroom from its first save.
//
// The candidates are the newest articles saved (by id) that match, not the
// newest published, since drafts have no publication time; the boost for
// recency counts from an article's last change.
func (s *Store) SearchDesk(ctx context.Context, o DeskSearchOptions) (DeskSearchResult, error) {
	var res DeskSearchResult
	if o.Query.Empty() {
		return res, nil
	}
	limit := o.Limit
	if limit <= 0 {
		limit = 20
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	rk, err := s.rankMatches(ctx, rankSpec{query: o.Query, desk: true, now: now.UTC().Truncate(24 * time.Hour),
		offset: max(o.Offset, 0), limit: min(limit, 100),
		filters: func(a *args) []string {
			conds := scopeConds(o.Scope, a.add)
			if len(o.Statuses) > 0 {
				in := ""
				for i, st := range o.Statuses {
					if i > 0 {
						in += ", "
					}
					in += a.add(string(st))
				}
				conds = append(conds, "a.status IN ("+in+")")
			}
			if o.CreatedBy != 0 {
				conds = append(conds, "a.created_by = "+a.add(o.CreatedBy))
			}
			return conds
		}})
	if err != nil {
		return res, err
	}
	res.Total, res.More = rk.total, rk.total >= SearchCandidates
	if len(rk.ids) == 0 {
		return res, nil
	}
	in, args := inList(1, rk.ids)
	list, err := s.queryArticles(ctx, Full, "WHERE a.id IN ("+in+")", args...)
	if err != nil {
		return res, err
	}
	eds, err := s.editorialExtras(ctx, list)
	if err != nil {
		return res, err
	}
	byID := make(map[int64]*news.Editorial, len(eds))
	for _, e := range eds {
		byID[e.Article.ID] = e
	}
	for _, id := range rk.ids {
		// An article deleted between the two queries is left out.
		if e := byID[id]; e != nil {
			res.Hits = append(res.Hits, e)
		}
	}
	if res.Passages, err = s.deskPassages(ctx, res.Hits); err != nil {
		return res, err
	}
	return res, nil
}

// deskPassages returns the stored passages of hits' bodies, by id; those of
// an article whose passages are not stored yet (saved by an older version)
// are made from its body.
func (s *Store) deskPassages(ctx context.Context, hits []*news.Editorial) (map[int64]string, error) {
	out := make(map[int64]string, len(hits))
	if len(hits) == 0 {
		return out, nil
	}
	if !s.passageless {
		ids := make([]int64, len(hits))
		for i, e := range hits {
			ids[i] = e.Article.ID
		}
		in, args := inList(1, ids)
		rows, err := s.q.QueryContext(ctx, `SELECT id, body_passages FROM articles
			WHERE body_passages IS NOT NULL AND id IN (`+in+`)`, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var p string
			if err := rows.Scan(&id, &p); err != nil {
				return nil, err
			}
			out[id] = p
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, e := range hits {
		if _, ok := out[e.Article.ID]; !ok {
			out[e.Article.ID] = search.Passages(e.Article.Body)
		}
	}
	return out, nil
}
