// Package ghost reads a Ghost export (the JSON file of Settings → Labs →
// Export, Ghost 1 to 6) into archive Items, as a stream.
//
// A Ghost export is one JSON object of database tables. Each post's tags,
// authors and SEO fields sit in tables (posts_tags, posts_authors,
// posts_meta, tags, users) that Ghost writes after the posts, so Read goes
// through the file twice: first it keeps those small tables and skips the
// posts, then it decodes the posts one at a time and emits each. Neither
// the whole file nor more than one post's body is ever held in memory.
package ghost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Source is the Items' Source.
const Source = "ghost"

var _ archive.Reader = Read

// Sniff says whether head, the first few kilobytes of a file, is the start
// of a Ghost export: a JSON object with "db":[{"meta"… or "data"…}], or the
// older form with "meta" (holding "exported_on") and "data" at the top.
// It looks at content only, never at the file's name.
func Sniff(head []byte) bool {
	head = trimBOM(head)
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(string(head)))
	s := sniffer{dec: dec}
	return s.object(0)
}

// sniffer walks as much of the head as there is, looking for the keys only
// a Ghost export has where it has them.
type sniffer struct {
	dec *json.Decoder
}

// object reads an object whose '{' is next; depth 0 is the top, depth 1 an
// entry of "db".
func (s *sniffer) object(depth int) bool {
	if !s.delim('{') {
		return false
	}
	for s.dec.More() {
		t, err := s.dec.Token()
		if err != nil {
			return false
		}
		key, _ := t.(string)
		switch {
		case key == "db" && depth == 0:
			if !s.delim('[') {
				return false
			}
			return s.object(1)
		case key == "meta":
			if !s.delim('{') {
				return false
			}
			for s.dec.More() {
				t, err := s.dec.Token()
				if err != nil {
					return false
				}
				if k, _ := t.(string); k == "exported_on" {
					return true
				}
				if s.dec.Decode(&discard{}) != nil {
					return false
				}
			}
			if _, err := s.dec.Token(); err != nil {
				return false
			}
		case key == "data":
			if !s.delim('{') {
				return false
			}
			t, err := s.dec.Token()
			if err != nil {
				return false
			}
			k, _ := t.(string)
			if !ghostTables[k] {
				return false
			}
			t, err = s.dec.Token()
			return err == nil && t == json.Delim('[')
		default:
			if s.dec.Decode(&discard{}) != nil {
				return false
			}
		}
	}
	return false
}

func (s *sniffer) delim(d json.Delim) bool {
	t, err := s.dec.Token()
	return err == nil && t == d
}

// ghostTables are the tables a Ghost export's "data" is likely to start
// with; one of them first, holding a list, tells it from other JSON that
// has a "data" key.
var ghostTables = map[string]bool{
	"posts": true, "posts_authors": true, "posts_meta": true, "posts_tags": true,
	"tags": true, "users": true, "roles": true, "roles_users": true, "settings": true,
	"actions": true, "api_keys": true, "benefits": true, "brute": true, "comments": true,
	"custom_theme_settings": true, "emails": true, "integrations": true, "invites": true,
	"labels": true, "members": true, "newsletters": true, "offers": true, "permissions": true,
	"products": true, "snippets": true, "webhooks": true, "mobiledoc_revisions": true,
	"post_revisions": true, "migrations": true, "migrations_lock": true, "app_fields": true,
	"apps": true, "app_settings": true, "clients": true, "client_trusted_domains": true,
	"subscribers": true, "tokens": true, "collections": true, "collections_posts": true,
}

// The rows of the tables Read keeps. Field names are Ghost's columns.
type (
	tagRow struct {
		ID         ident `json:"id"`
		Name       text  `json:"name"`
		Slug       text  `json:"slug"`
		Visibility text  `json:"visibility"`
	}
	userRow struct {
		ID   ident `json:"id"`
		Name text  `json:"name"`
		Slug text  `json:"slug"`
		Bio  text  `json:"bio"`
	}
	// linkRow is a row of posts_tags (TagID) or posts_authors (AuthorID).
	linkRow struct {
		PostID    ident `json:"post_id"`
		TagID     ident `json:"tag_id"`
		AuthorID  ident `json:"author_id"`
		SortOrder ident `json:"sort_order"`
	}
	metaRow struct {
		PostID              ident `json:"post_id"`
		MetaTitle           text  `json:"meta_title"`
		MetaDescription     text  `json:"meta_description"`
		FeatureImageAlt     text  `json:"feature_image_alt"`
		FeatureImageCaption text  `json:"feature_image_caption"`
		EmailOnly           flag  `json:"email_only"`
	}
	settingRow struct {
		Key   text            `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	postRow struct {
		ID                  ident `json:"id"`
		Title               text  `json:"title"`
		Slug                text  `json:"slug"`
		HTML                text  `json:"html"`
		Lexical             text  `json:"lexical"`
		Mobiledoc           text  `json:"mobiledoc"`
		Type                text  `json:"type"`
		Page                flag  `json:"page"`
		Status              text  `json:"status"`
		Visibility          text  `json:"visibility"`
		PublishedAt         stamp `json:"published_at"`
		UpdatedAt           stamp `json:"updated_at"`
		CustomExcerpt       text  `json:"custom_excerpt"`
		FeatureImage        text  `json:"feature_image"`
		FeatureImageAlt     text  `json:"feature_image_alt"`
		FeatureImageCaption text  `json:"feature_image_caption"`
		MetaTitle           text  `json:"meta_title"`
		MetaDescription     text  `json:"meta_description"`
		CodeinjectionHead   text  `json:"codeinjection_head"`
		CodeinjectionFoot   text  `json:"codeinjection_foot"`
		AuthorID            ident `json:"author_id"` // Ghost before posts_authors
	}
)

// link is one row of a relation: what it points at and its place.
type link struct {
	id    string
	order int
}

// tables is what the first pass keeps: everything but the posts.
type tables struct {
	tags     map[string]tagRow
	tagOrder []string // tag ids in the export's order
	users    map[string]archive.Person
	postTags map[string][]link
	authors  map[string][]link
	meta     map[string]metaRow
	settings map[string]string
	counts   map[string]int
	complete map[string]bool // tables read to their end
}

// counted are the tables Read counts for the report and does not import.
var counted = map[string]string{"members": "members", "newsletters": "newsletters", "comments": "comments"}

// Read reads a Ghost export from open, calling emit for each post and page
// in the export's order, and returns what it learnt of the site. A file
// that breaks off or is malformed ends with an *archive.SyntaxError naming
// the offset; the posts before it have been emitted.
func Read(ctx context.Context, open archive.Open, emit func(*archive.Item) error) (*archive.Summary, error) {
	t, err1 := readTables(ctx, open)
	if err1 != nil {
		var se *archive.SyntaxError
		if !errors.As(err1, &se) {
			return nil, err1 // the file, not its content: nothing to salvage
		}
	}
	sum := &archive.Summary{
		Source:   Source,
		SiteURL:  t.settings["url"],
		OldPaths: map[string]string{"/rss/": "feed:"},
		Counts:   map[string]int{},
	}
	for k, n := range t.counts {
		sum.Counts[k] = n
	}
	for _, key := range []string{"codeinjection_head", "codeinjection_foot"} {
		if strings.TrimSpace(t.settings[key]) != "" {
			sum.Counts["code injections"]++
		}
	}
	for _, id := range t.tagOrder {
		tag := t.tags[id]
		if internal(tag) || tag.Slug.s == "" {
			continue
		}
		sum.Tags = append(sum.Tags, archive.Term{Slug: tag.Slug.s, Name: tag.Name.s})
		sum.OldPaths["/tag/"+tag.Slug.s+"/"] = "tag:" + tag.Slug.s
		sum.OldPaths["/tag/"+tag.Slug.s+"/rss/"] = "feed:tag:" + tag.Slug.s
	}
	// A break in the file before the relation tables leaves every post
	// without its tags and authors; each item says so.
	var missing string
	if err1 != nil {
		var lost []string
		for _, name := range []string{"tags", "posts_tags", "users", "posts_authors", "posts_meta"} {
			if !t.complete[name] {
				lost = append(lost, name)
			}
		}
		var se *archive.SyntaxError
		if errors.As(err1, &se) && len(lost) > 0 {
			missing = fmt.Sprintf("the export breaks off at %s, before its tables %s: tags, authors and SEO fields may be missing", se.At, strings.Join(lost, ", "))
		}
	}

	primary := map[string]bool{} // slugs of tags that are some post's section
	err2 := eachPost(ctx, open, func(p *postRow, at int64, bad error) error {
		it := t.item(p, at, bad, sum.Counts)
		it.Site = sum.SiteURL
		if missing != "" {
			it.Notes = append(it.Notes, missing)
		}
		if it.Skip == "" && len(it.Section) == 1 {
			primary[it.Section[0].Slug] = true
		}
		return emit(it)
	})
	for _, tag := range sum.Tags {
		if primary[tag.Slug] {
			sum.Sections = append(sum.Sections, []archive.Term{tag})
		}
	}
	if err2 != nil {
		return nil, err2
	}
	if err1 != nil {
		return nil, err1
	}
	return sum, nil
}

// readTables is the first pass: the export without its posts.
func readTables(ctx context.Context, open archive.Open) (*tables, error) {
	t := &tables{
		tags:     map[string]tagRow{},
		users:    map[string]archive.Person{},
		postTags: map[string][]link{},
		authors:  map[string][]link{},
		meta:     map[string]metaRow{},
		settings: map[string]string{},
		counts:   map[string]int{},
		complete: map[string]bool{},
	}
	r, err := open()
	if err != nil {
		return t, err
	}
	defer r.Close()
	w := newWalker(r)
	w.done = func(name string) { t.complete[name] = true }
	dec := w.dec
	w.table = func(name string) func(int, int64) error {
		// decode reads one row into v and checks its kinds.
		decode := func(v any, i int, at int64) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			where := fmt.Sprintf("%s[%d]", name, i)
			if err := dec.Decode(v); err != nil {
				return w.rowError(err, at, where)
			}
			if err := check(where, v); err != nil {
				return &archive.SyntaxError{At: offset(at), Err: err}
			}
			return nil
		}
		switch name {
		case "tags":
			return func(i int, at int64) error {
				var row tagRow
				if err := decode(&row, i, at); err != nil {
					return err
				}
				if _, dup := t.tags[row.ID.s]; !dup {
					t.tagOrder = append(t.tagOrder, row.ID.s)
				}
				t.tags[row.ID.s] = row
				return nil
			}
		case "users":
			return func(i int, at int64) error {
				var row userRow
				if err := decode(&row, i, at); err != nil {
					return err
				}
				t.users[row.ID.s] = archive.Person{Slug: row.Slug.s, Name: row.Name.s, Bio: row.Bio.s}
				return nil
			}
		case "posts_tags", "posts_authors":
			return func(i int, at int64) error {
				var row linkRow
				if err := decode(&row, i, at); err != nil {
					return err
				}
				order, _ := strconv.Atoi(row.SortOrder.s)
				if name == "posts_tags" {
					t.postTags[row.PostID.s] = append(t.postTags[row.PostID.s], link{row.TagID.s, order})
				} else {
					t.authors[row.PostID.s] = append(t.authors[row.PostID.s], link{row.AuthorID.s, order})
				}
				return nil
			}
		case "posts_meta":
			return func(i int, at int64) error {
				var row metaRow
				if err := decode(&row, i, at); err != nil {
					return err
				}
				t.meta[row.PostID.s] = row
				return nil
			}
		case "settings":
			return func(i int, at int64) error {
				var row settingRow
				if err := decode(&row, i, at); err != nil {
					return err
				}
				var s string
				if json.Unmarshal(row.Value, &s) == nil {
					t.settings[row.Key.s] = s
				}
				return nil
			}
		}
		if key, ok := counted[name]; ok {
			t.counts[key] = 0
			return func(i int, at int64) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				t.counts[key]++
				return dec.Decode(&discard{})
			}
		}
		return nil
	}
	if err := w.walk(); err != nil {
		return t, w.syntaxError(err)
	}
	for _, m := range []map[string][]link{t.postTags, t.authors} {
		for _, ls := range m {
			slices.SortStableFunc(ls, func(a, b link) int { return a.order - b.order })
		}
	}
	return t, nil
}

// eachPost is the second pass: it decodes the posts one at a time. bad is
// the row's problem when it could not be read whole (a value of the wrong
// kind); the walk goes on after it.
func eachPost(ctx context.Context, open archive.Open, fn func(p *postRow, at int64, bad error) error) error {
	r, err := open()
	if err != nil {
		return err
	}
	defer r.Close()
	// Once the posts are behind, nothing after them is needed: the first
	// pass has read it already.
	w := newWalker(r)
	w.done, w.stopAfter = func(string) {}, "posts"
	dec := w.dec
	w.table = func(name string) func(int, int64) error {
		if name != "posts" {
			return nil
		}
		return func(i int, at int64) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			var p postRow
			where := fmt.Sprintf("posts[%d]", i)
			var bad error
			if err := dec.Decode(&p); err != nil {
				var te *json.UnmarshalTypeError
				if !errors.As(err, &te) {
					return err
				}
				bad = news.Invalid(where, "%s where an object was expected", te.Value)
			} else {
				bad = check(where, &p)
			}
			if err := fn(&p, at, bad); err != nil {
				return emitError{err}
			}
			return nil
		}
	}
	err = w.walk()
	if err == errStop {
		return nil
	}
	return w.syntaxError(err)
}

// internal says whether a tag is one of Ghost's internal tags, which
// themes use for layout and readers never see.
func internal(t tagRow) bool {
	return t.Visibility.s == "internal" || strings.HasPrefix(t.Name.s, "#") || strings.HasPrefix(t.Slug.s, "hash-")
}

// item maps one post row to an Item.
func (t *tables) item(p *postRow, at int64, bad error, counts map[string]int) *archive.Item {
	it := &archive.Item{
		Source: Source,
		ID:     p.ID.s,
		Kind:   archive.Post,
		At:     offset(at),
		Title:  p.Title.s,
		Slug:   p.Slug.s,
	}
	switch {
	case bad != nil:
		it.Skip = news.ErrorMessage(bad)
		return it
	case it.ID == "":
		it.Skip = "has no id"
		return it
	case strings.TrimSpace(it.Title) == "":
		it.Skip = "has no title"
		return it
	}
	if p.Type.s == "page" || p.Page.v {
		it.Kind = archive.Page
	}
	if it.Slug != "" {
		it.OldPaths = []string{"/" + it.Slug + "/"}
	}

	var err error
	if it.PublishedAt, err = parseStamp(p.PublishedAt.s); err != nil {
		it.Skip = "published_at: " + err.Error()
		return it
	}
	if it.ModifiedAt, err = parseStamp(p.UpdatedAt.s); err != nil {
		it.Skip = "updated_at: " + err.Error()
		return it
	}

	meta := t.meta[it.ID]
	switch p.Status.s {
	case "published":
		it.Status = news.Published
	case "scheduled":
		it.Status = news.Scheduled
	case "draft", "":
		it.Status = news.Draft
	case "sent":
		it.Status = news.Draft
		it.Notes = append(it.Notes, "was sent as an email only and never on the old site: imported as a draft")
	default:
		it.Status = news.Draft
		it.Notes = append(it.Notes, fmt.Sprintf("has the unknown status %q: imported as a draft", p.Status.s))
	}
	if meta.EmailOnly.v && p.Status.s != "sent" && it.Status != news.Draft {
		it.Status = news.Draft
		it.Notes = append(it.Notes, "was an email-only post: imported as a draft")
	}
	if v := p.Visibility.s; v != "" && v != "public" {
		if it.Status != news.Draft {
			it.Status = news.Draft
			it.Notes = append(it.Notes, fmt.Sprintf("was for members only (visibility %q) on the old site: imported as a draft, so that it is not made public without an editor's say", v))
		} else {
			it.Notes = append(it.Notes, fmt.Sprintf("was for members only (visibility %q) on the old site; it is public here once published", v))
		}
	}

	it.Summary = p.CustomExcerpt.s
	it.SEOTitle = first(p.MetaTitle.s, meta.MetaTitle.s)
	it.SEODescription = first(p.MetaDescription.s, meta.MetaDescription.s)
	if img := siteURL(p.FeatureImage.s); img != "" {
		it.Lead = &archive.Image{
			URL:     img,
			Alt:     first(p.FeatureImageAlt.s, meta.FeatureImageAlt.s),
			Caption: plainText(first(p.FeatureImageCaption.s, meta.FeatureImageCaption.s)),
		}
	}

	var tags []archive.Term
	for _, l := range t.postTags[it.ID] {
		tag, ok := t.tags[l.id]
		if !ok && t.complete["tags"] {
			it.Notes = append(it.Notes, fmt.Sprintf("its tag %q is not among the export's tags: left out", l.id))
		}
		if !ok || internal(tag) || tag.Slug.s == "" {
			continue
		}
		tags = append(tags, archive.Term{Slug: tag.Slug.s, Name: tag.Name.s})
	}
	if it.Kind == archive.Post && len(tags) > 0 {
		it.Section, tags = tags[:1], tags[1:]
	}
	it.Tags = tags

	authors := t.authors[it.ID]
	if len(authors) == 0 && p.AuthorID.s != "" {
		authors = []link{{id: p.AuthorID.s}}
	}
	for _, l := range authors {
		if u, ok := t.users[l.id]; ok {
			it.Authors = append(it.Authors, u)
		} else if t.complete["users"] {
			it.Notes = append(it.Notes, fmt.Sprintf("its author %q is not among the export's users: left out", l.id))
		}
	}

	for _, ci := range []struct{ where, code string }{{"head", p.CodeinjectionHead.s}, {"foot", p.CodeinjectionFoot.s}} {
		if strings.TrimSpace(ci.code) != "" {
			counts["code injections"]++
			it.Notes = append(it.Notes, fmt.Sprintf("its code injection (%s) is not imported", ci.where))
		}
	}

	switch {
	case strings.TrimSpace(p.HTML.s) != "":
		it.HTML = siteURL(p.HTML.s)
	case strings.TrimSpace(p.Lexical.s) != "":
		body, notes, err := renderLexical(p.Lexical.s)
		if err != nil {
			it.Skip = "lexical: " + err.Error()
			return it
		}
		it.HTML, it.Notes = siteURL(body), append(it.Notes, notes...)
	case strings.TrimSpace(p.Mobiledoc.s) != "":
		body, notes, err := renderMobiledoc(p.Mobiledoc.s)
		if err != nil {
			it.Skip = "mobiledoc: " + err.Error()
			return it
		}
		it.HTML, it.Notes = siteURL(body), append(it.Notes, notes...)
	}
	return it
}

// first returns the first of its arguments that is not blank.
func first(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// siteURL makes Ghost's placeholder for the site's own address, which
// Ghost 4 and later write in front of every address on the site, into
// nothing: "__GHOST_URL__/content/images/a.jpg" becomes a site path.
func siteURL(s string) string {
	return strings.ReplaceAll(s, "__GHOST_URL__", "")
}

// parseStamp reads a date as Ghost wrote it: ISO 8601 with a zone (Ghost
// 1 and later), "2006-01-02 15:04:05" in UTC (SQLite), or milliseconds
// since 1970 (Ghost 0.x).
func parseStamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05.000"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}
