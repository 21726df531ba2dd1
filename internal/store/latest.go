package store

import (
	"context"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// HomeLists returns the home page's lists in one statement and one bylines
// query: latest, the newest n published articles not in pinned (the
// editors' top stories), and for each group of sections (a top section and its subsections, say)
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
// filled from the other rows as LatestIn, the tests' oracle, fills them.
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
