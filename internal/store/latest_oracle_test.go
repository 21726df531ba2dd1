package store

import (
	"context"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// LatestIn is the oracle of TestHomeListsIsLatestAndLatestIn: the home
// page's blocks asked on their own, as the site did before HomeLists.
//
// It returns, for each group of sections (a top section and its
// subsections, say), the newest published articles in any of them, at
// most limit each, leaving out the articles in exclude: the home page's
// blocks. It costs two queries however many groups there are.
//
// Each group's list is its own subquery with ORDER BY and LIMIT, which
// walks the listing index newest first and stops after limit rows (see
// migration 0006); the groups are joined with UNION ALL and the rows read
// in one go. A window function (ROW_NUMBER() OVER (PARTITION BY the top
// section)) would say the same in fewer words, but both engines number
// every published article to keep four per group: 100,000 rows read for
// two dozen kept.
func (s *Store) LatestIn(ctx context.Context, groups [][]int64, exclude []int64, limit int) ([][]*news.Article, error) {
	out := make([][]*news.Article, len(groups))
	if limit <= 0 {
		return out, nil
	}
	args := []any{string(news.Published), limit}
	notIn := ""
	if len(exclude) > 0 {
		in, vals := inList(len(args)+1, exclude)
		args = append(args, vals...)
		notIn = " AND a.id NOT IN (" + in + ")"
	}
	var parts []string
	for i, g := range groups {
		if len(g) == 0 {
			continue
		}
		in, vals := inList(len(args)+1, g)
		args = append(args, vals...)
		parts = append(parts, "SELECT id FROM (SELECT a.id FROM articles a WHERE a.status = $1 AND a.section_id IN ("+in+")"+notIn+
			" ORDER BY a.published_at DESC, a.id DESC LIMIT $2) g"+itoa(i))
	}
	if len(parts) == 0 {
		return out, nil
	}
	list, err := s.queryArticles(ctx, Cards, "WHERE a.id IN ("+strings.Join(parts, " UNION ALL ")+") ORDER BY a.published_at DESC, a.id DESC", args...)
	if err != nil {
		return nil, err
	}
	// Newest first, each article goes to every group it belongs to that
	// is not full. An article of a group that is not among that group's
	// newest (it came in through an overlapping group) is older than all
	// of them, so it comes after the group is full.
	for i, g := range groups {
		in := make(map[int64]bool, len(g))
		for _, id := range g {
			in[id] = true
		}
		for _, a := range list {
			if len(out[i]) < limit && in[a.Section.ID] {
				out[i] = append(out[i], a)
			}
		}
	}
	return out, nil
}
