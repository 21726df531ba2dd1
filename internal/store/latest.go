package store

import (
	"context"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// LatestIn returns, for each group of sections (a top section and its
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

// HomeLists returns the home page's lists in one statement and one bylines
// query: latest, the newest n published articles not in pinned (the
// editors' top stories), and for each group of sections (see LatestIn)
// the newest limit articles in any of them that are neither pinned nor
// among the first skip of latest (the top stories when the editors picked
// none are the newest: the home page asks for them as the first of
// latest). A story in the rest of latest may be in its block too. Asked
// separately, the "Latest" list and the blocks were five queries of a
// cold home page, with the articles' columns and bylines read in three
// goes.
//
// The rows are latest's and every group's, each once, newest first. An
// article of a group that is not among latest is older than all of latest
// (latest holds the newest n that are not pinned, and when there are
// fewer, every group's are among them), so latest is the first n rows,
// and the first skip rows are those the groups leave out. The groups are
// filled from the other rows as LatestIn fills them.
func (s *Store) HomeLists(ctx context.Context, pinned []int64, skip, n int, groups [][]int64, limit int) ([]*news.Article, [][]*news.Article, error) {
	blocks := make([][]*news.Article, len(groups))
	if n <= 0 {
		return nil, blocks, nil
	}
	skip = min(max(skip, 0), n)
	args := []any{string(news.Published), n}
	notPinned := ""
	if len(pinned) > 0 {
		in, vals := inList(len(args)+1, pinned)
		args = append(args, vals...)
		notPinned = " AND a.id NOT IN (" + in + ")"
	}
	newest := func(limit string) string {
		return "SELECT a.id FROM articles a WHERE a.status = $1" + notPinned + " ORDER BY a.published_at DESC, a.id DESC LIMIT " + limit
	}
	parts := []string{"SELECT id FROM (" + newest("$2") + ") l"}
	var limitParam, notSkipped string // added with the first group
	for i, g := range groups {
		if len(g) == 0 || limit <= 0 {
			continue
		}
		if limitParam == "" {
			args = append(args, limit)
			limitParam = "$" + itoa(len(args))
			if skip > 0 {
				args = append(args, skip)
				notSkipped = " AND a.id NOT IN (SELECT id FROM (" + newest("$"+itoa(len(args))) + ") s)"
			}
		}
		in, vals := inList(len(args)+1, g)
		args = append(args, vals...)
		parts = append(parts, "SELECT id FROM (SELECT a.id FROM articles a WHERE a.status = $1 AND a.section_id IN ("+in+")"+notPinned+notSkipped+
			" ORDER BY a.published_at DESC, a.id DESC LIMIT "+limitParam+") g"+itoa(i))
	}
	list, err := s.queryArticles(ctx, Cards, "WHERE a.id IN ("+strings.Join(parts, " UNION ALL ")+") ORDER BY a.published_at DESC, a.id DESC", args...)
	if err != nil {
		return nil, nil, err
	}
	k := min(n, len(list))
	rest := list[min(skip, k):]
	for i, g := range groups {
		in := make(map[int64]bool, len(g))
		for _, id := range g {
			in[id] = true
		}
		for _, a := range rest {
			if len(blocks[i]) < limit && in[a.Section.ID] {
				blocks[i] = append(blocks[i], a)
			}
		}
	}
	return list[:k:k], blocks, nil
}
