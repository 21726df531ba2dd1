package admin

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

var storySeq atomic.Int64

// story saves a story as user who through the newsroom's rules, in the
// section path, with bylines and tags, and publishes it (as the editor)
// when publish is set.
func (f *fixture) story(t testing.TB, who, headline, path string, bylines, tags []string, publish bool) *news.Editorial {
	t.Helper()
	return f.storyAt(t, who, headline, news.Slugify(headline)+"-"+strconv.FormatInt(storySeq.Add(1), 10), path, bylines, tags, publish)
}

// storyAt is story with the slug given.
func (f *fixture) storyAt(t testing.TB, who, headline, slug, path string, bylines, tags []string, publish bool) *news.Editorial {
	t.Helper()
	var e *news.Editorial
	err := f.st.InTx(ctx, func(tx *store.Store) error {
		sec, err := tx.EnsureSectionPath(ctx, path)
		if err != nil {
			return err
		}
		e, _, err = newsroom.Save(ctx, tx, newsroom.Actor{User: f.users[who]}, nil, newsroom.Edit{At: time.Now(), Content: news.RevisionContent{
			Headline: headline, Slug: slug, SectionID: sec.ID, Body: "The text of " + headline + ".", Bylines: bylines, Tags: tags}})
		if err != nil || !publish {
			return err
		}
		return newsroom.MoveArticle(ctx, tx, newsroom.Actor{User: f.users["editor"]}, e.Article.ID, newsroom.Move{To: news.Published, Action: "publish", At: time.Now()})
	})
	if err != nil {
		t.Fatalf("story %q: %v", headline, err)
	}
	return e
}

// listed is the headlines of the article list's rows, in order.
var listedRE = regexp.MustCompile(`<a class="headline" href="/admin/articles/\d+">([^<]*)</a>`)

func listed(body string) []string {
	var out []string
	for _, m := range listedRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestArticleListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.story(t, "contributor", "Alpha ferry strike", "news/world", []string{"Ana Ruiz"}, []string{"Ferries"}, true)
		f.story(t, "contributor", "Bravo budget vote", "news/world/europe", []string{"Bo Lind"}, []string{"Money"}, true)
		f.story(t, "other", "Charlie cup final", "sport", []string{"Ana Ruiz"}, nil, false)
		f.story(t, "other", "Delta ferry fares", "news", []string{"Bo Lind"}, []string{"Ferries"}, false)
		editor := f.as(t, "editor")
		today := time.Now().Format("2006-01-02")
		cases := []struct {
			query string
			want  []string // in order
		}{
			{"", []string{"Delta ferry fares", "Charlie cup final", "Bravo budget vote", "Alpha ferry strike"}},
			{"section=news/world", []string{"Bravo budget vote", "Alpha ferry strike"}}, // with its subsection
			{"section=news", []string{"Delta ferry fares", "Bravo budget vote", "Alpha ferry strike"}},
			{"author=Ana+Ruiz", []string{"Charlie cup final", "Alpha ferry strike"}},
			{"author=bo-lind", []string{"Delta ferry fares", "Bravo budget vote"}},
			{"tag=ferries", []string{"Delta ferry fares", "Alpha ferry strike"}},
			{"status=published", []string{"Bravo budget vote", "Alpha ferry strike"}},
			{"from=" + today + "&to=" + today, []string{"Bravo budget vote", "Alpha ferry strike"}}, // published today
			{"date=updated&from=" + today, []string{"Delta ferry fares", "Charlie cup final", "Bravo budget vote", "Alpha ferry strike"}},
			{"date=updated&to=2020-01-01", nil},
			{"q=ferry", []string{"Delta ferry fares", "Alpha ferry strike"}},
			{"q=ferry&section=news/world&status=published&tag=Ferries&author=Ana+Ruiz", []string{"Alpha ferry strike"}},
			{"sort=headline", []string{"Alpha ferry strike", "Bravo budget vote", "Charlie cup final", "Delta ferry fares"}},
			{"sort=headline&dir=desc", []string{"Delta ferry fares", "Charlie cup final", "Bravo budget vote", "Alpha ferry strike"}},
			{"sort=section", []string{"Delta ferry fares", "Alpha ferry strike", "Bravo budget vote", "Charlie cup final"}},
			{"sort=author&dir=asc&tag=ferries", []string{"Alpha ferry strike", "Delta ferry fares"}},
			{"sort=status&dir=asc&q=ferry", []string{"Delta ferry fares", "Alpha ferry strike"}},
			{"sort=published&dir=asc&status=published", []string{"Alpha ferry strike", "Bravo budget vote"}},
		}
		for _, c := range cases {
			res := editor.get("/admin/articles?" + c.query)
			if res.status != 200 {
				t.Errorf("?%s: %d, want 200: %s", c.query, res.status, res.body)
				continue
			}
			if got := listed(res.body); strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("?%s: got %q, want %q", c.query, got, c.want)
			}
		}
		// A contributor lists only their own stories, whatever the filter.
		if got := listed(f.as(t, "other").get("/admin/articles?sort=headline").body); strings.Join(got, "|") != "Charlie cup final|Delta ferry fares" {
			t.Errorf("other's list: %q", got)
		}
	})
}

func TestArticleListPagesByKeyset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		// More stories than a page, many with the same headline.
		want := map[string]bool{}
		for i := range deskPage + 12 {
			h := "Same headline"
			if i%3 == 0 {
				h = "Other headline " + itoa(int64(i))
			}
			e := f.story(t, "contributor", h, "news/world", nil, nil, false)
			want[itoa(e.Article.ID)] = true
		}
		idRE := regexp.MustCompile(`name="id" value="(\d+)"`)
		for _, sort := range []string{"sort=headline", "sort=headline&dir=desc", "sort=status", "sort=updated&dir=asc"} {
			seen := map[string]bool{}
			path := "/admin/articles?" + sort
			for page := 0; path != ""; page++ {
				res := f.as(t, "editor").get(path)
				if res.status != 200 || page > 5 {
					t.Fatalf("%s: GET %s: %d (page %d)", sort, path, res.status, page)
				}
				for _, m := range idRE.FindAllStringSubmatch(res.body, -1) {
					if seen[m[1]] {
						t.Errorf("%s: story %s twice", sort, m[1])
					}
					seen[m[1]] = true
				}
				path = ""
				if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(res.body); m != nil {
					path = html.UnescapeString(m[1])
					if !strings.Contains(path, "after=") || strings.Contains(path, "offset=") {
						t.Errorf("%s: next page %s is not by keyset", sort, path)
					}
				}
			}
			if len(seen) != len(want) {
				t.Errorf("%s: %d stories listed, want %d", sort, len(seen), len(want))
			}
		}
	})
}

func TestArticleListNamesBadParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.story(t, "contributor", "A story", "news/world", nil, nil, false)
		editor := f.as(t, "editor")
		for _, c := range []struct{ query, field, says string }{
			{"status=lost", "status", `status: &#34;lost&#34; is not a status`},
			{"section=nowhere", "section", `section: there is no section &#34;nowhere&#34;`},
			{"author=Nobody+Known", "author", `author: there is no author &#34;Nobody Known&#34;`},
			{"tag=untagged", "tag", `tag: there is no tag &#34;untagged&#34;`},
			{"from=yesterday", "from", `from: &#34;yesterday&#34; is not a day`},
			{"to=2026-13-01", "to", `to: &#34;2026-13-01&#34; is not a day`},
			{"from=2026-03-02&to=2026-03-01", "to", `to: the range ends`},
			{"date=created&from=2026-03-01", "date", `date: &#34;created&#34; is not a date`},
			{"sort=wordcount", "sort", `sort: &#34;wordcount&#34; is not a column`},
			{"dir=up", "dir", `dir: &#34;up&#34; is not a direction`},
			{"after=banana", "after", `after: &#34;banana&#34; is not a place`},
			{"sort=updated&after=12:soon", "after", `after: &#34;12:soon&#34; is not a place in a list sorted by updated`},
			{"q=the", "q", `q (words): “the” has no word`},
		} {
			res := editor.get("/admin/articles?" + c.query)
			if res.status != 400 {
				t.Errorf("?%s: %d, want 400", c.query, res.status)
			}
			if !strings.Contains(res.body, c.says) {
				t.Errorf("?%s: no %q in the page:\n%s", c.query, c.says, res.body)
			}
			if len(listed(res.body)) != 0 {
				t.Errorf("?%s: the list shown with the error", c.query)
			}
		}
		// Two mistakes at once are both named.
		res := editor.get("/admin/articles?" + url.Values{"status": {"lost"}, "sort": {"wordcount"}}.Encode())
		if !strings.Contains(res.body, "status: ") || !strings.Contains(res.body, "sort: ") {
			t.Errorf("two mistakes: not both named:\n%s", res.body)
		}
	})
}
