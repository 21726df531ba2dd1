// Package wordpress reads a WordPress export (WXR 1.0 to 1.2, the file
// Tools → Export → All content writes, from WordPress 3.x to 6.x) as a
// stream of archive.Items.
//
// The file is read twice through archive.Open, token by token, and never
// held whole: the first pass learns what posts refer to by id (the
// categories and their hierarchy, the authors, the attachments, the
// Co-Authors Plus guest authors), the second turns posts and pages into
// Items one at a time, in the export's order. Memory grows with the
// number of categories, authors and attachments, never with the size of
// the bodies.
package wordpress

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/ingest/archive"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Source is the archive.Item.Source of every item this package reads.
const Source = "wordpress"

// Sniff says whether head, the first few kilobytes of a file, is a
// WordPress export: an RSS document declaring WordPress's export
// namespace. A file's name says nothing; exports are often renamed.
func Sniff(head []byte) bool {
	rss := bytes.Index(head, []byte("<rss"))
	if rss < 0 {
		return false
	}
	// The namespace declared as an attribute of <rss> (xmlns:wp="..."),
	// not merely mentioned somewhere.
	for _, q := range []string{`="`, `='`} {
		if bytes.Contains(head[rss:], []byte(q+nsWordPress)) {
			return true
		}
	}
	return false
}

// Read reads a WordPress export: it matches archive.Reader.
func Read(ctx context.Context, open archive.Open, emit func(*archive.Item) error) (*archive.Summary, error) {
	ex := newExport()
	// A syntax error in pass 1 does not stop pass 2: the items before the
	// break are still emitted whole, and pass 2 meets the same break and
	// returns it.
	err1 := ex.pass(ctx, open, ex.learn)
	var syn *archive.SyntaxError
	if err1 != nil && !errors.As(err1, &syn) {
		return nil, err1
	}
	ex.settle()
	if err := ex.pass(ctx, open, func(it *rawItem) error { return ex.emitItem(it, emit) }); err != nil {
		return nil, err
	}
	if err1 != nil {
		return nil, err1
	}
	return ex.summary(), nil
}

// export is what pass 1 learns of the export as a whole.
type export struct {
	siteURL, blogURL, link string
	sitePath               string // the blog's path on its host ("" or "/blog"), cut from old addresses

	categories   []*category
	catBySlug    map[string]*category
	catByID      map[string]*category
	tags         []archive.Term
	tagSeen      map[string]bool
	authors      map[string]*archive.Person // by login
	guests       map[string]*archive.Person // by their author-taxonomy term slug ("cap-jane-doe")
	attachments  map[string]*attachment
	byParent     map[string][]*attachment
	comments     int
	offset       time.Duration // the site's offset from UTC, learnt from a post with both dates
	offsetKnown  bool
	extraSection [][]archive.Term // categories met only on posts, in pass 2
}

type category struct {
	id, slug, name, parent string
	path                   []archive.Term
}

type attachment struct {
	id, parent, url, link string
	alt, caption, credit  string
	order                 int
	idNum                 int
}

func newExport() *export {
	return &export{
		catBySlug:   map[string]*category{},
		catByID:     map[string]*category{},
		tagSeen:     map[string]bool{},
		authors:     map[string]*archive.Person{},
		guests:      map[string]*archive.Person{},
		attachments: map[string]*attachment{},
		byParent:    map[string][]*attachment{},
	}
}

// pass reads the export from its start and calls onItem for each <item>,
// after the channel's own fields have been read into ex (in pass 1 only,
// learn is set; the channel is read again harmlessly in pass 2).
func (ex *export) pass(ctx context.Context, open archive.Open, onItem func(*rawItem) error) error {
	rc, err := open()
	if err != nil {
		return fmt.Errorf("opening the WordPress export: %w", err)
	}
	defer rc.Close()
	d := newDecoder(rc)
	var stack []string // local names of the open elements
	sawRSS := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d.mark()
		tok, err := d.token()
		if err == io.EOF {
			if !sawRSS {
				return &archive.SyntaxError{At: fmt.Sprintf("line %d", d.line()), Err: errors.New("not a WordPress export: no <rss> element")}
			}
			return nil
		}
		if err != nil {
			return syntaxError(d, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if t.Name.Local != "rss" {
					return &archive.SyntaxError{At: fmt.Sprintf("line %d", d.line()), Err: fmt.Errorf("not a WordPress export: the document is <%s>, not <rss>", t.Name.Local)}
				}
				sawRSS = true
			}
			if len(stack) == 2 && stack[1] == "channel" {
				if err := ex.channelChild(d, t, onItem); err != nil {
					return err
				}
				continue
			}
			if len(stack) >= maxDepth {
				return syntaxError(d, errTooDeep)
			}
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

func syntaxError(d *decoder, err error) error {
	var se *archive.SyntaxError
	if errors.As(err, &se) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var xe *xml.SyntaxError
	if errors.As(err, &xe) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg := err.Error()
		if xe != nil {
			msg = xe.Msg
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || msg == "unexpected EOF" {
			msg = "the export ends in the middle (truncated?)"
		}
		return &archive.SyntaxError{At: fmt.Sprintf("line %d", d.line()), Err: errors.New(msg)}
	}
	// A read error of the file itself, or an unknown encoding.
	return &archive.SyntaxError{At: fmt.Sprintf("line %d", d.line()), Err: err}
}

// channelChild reads one child of <channel>: the site's addresses, an
// author, a category, a tag, a term or an item.
func (ex *export) channelChild(d *decoder, t xml.StartElement, onItem func(*rawItem) error) error {
	n := t.Name
	if n.Space == "" && n.Local == "item" {
		line := d.line()
		it, err := d.item(line)
		if err != nil {
			return syntaxError(d, err)
		}
		if err := onItem(it); err != nil {
			return err
		}
		return nil
	}
	if n.Space == "" && n.Local == "link" {
		s, err := d.text()
		if err != nil {
			return syntaxError(d, err)
		}
		ex.link = s
		return nil
	}
	if !isWP(n) {
		return wrapSyntax(d, d.skip())
	}
	switch n.Local {
	case "base_site_url", "base_blog_url":
		s, err := d.text()
		if err != nil {
			return syntaxError(d, err)
		}
		if n.Local == "base_site_url" {
			ex.siteURL = s
		} else {
			ex.blogURL = s
		}
	case "author", "category", "tag", "term":
		f, err := d.fields()
		if err != nil {
			return syntaxError(d, err)
		}
		ex.channelTerm(n.Local, f)
	default:
		return wrapSyntax(d, d.skip())
	}
	return nil
}

func wrapSyntax(d *decoder, err error) error {
	if err == nil {
		return nil
	}
	return syntaxError(d, err)
}

// channelTerm records a wp:author, wp:category or wp:tag. The channel is
// read on both passes; what pass 1 recorded is not recorded twice.
func (ex *export) channelTerm(kind string, f map[string]string) {
	switch kind {
	case "author":
		login := f["author_login"]
		if login == "" || ex.authors[login] != nil {
			return
		}
		name := plainText(f["author_display_name"])
		if name == "" {
			name = strings.TrimSpace(plainText(f["author_first_name"]) + " " + plainText(f["author_last_name"]))
		}
		if name == "" {
			name = login
		}
		ex.authors[login] = &archive.Person{Slug: personSlug(login), Name: name, Bio: plainText(f["author_description"])}
	case "category":
		slug := unescapeSlug(f["category_nicename"])
		if slug == "" || ex.catBySlug[slug] != nil {
			return
		}
		c := &category{id: f["term_id"], slug: slug, name: plainText(f["cat_name"]), parent: unescapeSlug(f["category_parent"])}
		if c.name == "" {
			c.name = slug
		}
		ex.addCategory(c)
	case "tag":
		slug := unescapeSlug(f["tag_slug"])
		name := plainText(f["tag_name"])
		ex.addTag(archive.Term{Slug: slug, Name: name})
	}
}

func (ex *export) addCategory(c *category) {
	ex.categories = append(ex.categories, c)
	ex.catBySlug[c.slug] = c
	if c.id != "" {
		ex.catByID[c.id] = c
	}
}

func (ex *export) addTag(t archive.Term) {
	if t.Slug == "" || ex.tagSeen[t.Slug] {
		return
	}
	if t.Name == "" {
		t.Name = t.Slug
	}
	ex.tagSeen[t.Slug] = true
	ex.tags = append(ex.tags, t)
}

// learn is pass 1's onItem: it keeps what posts refer to.
func (ex *export) learn(it *rawItem) error {
	ex.comments += it.comments
	if !ex.offsetKnown && it.date != "" && it.dateGMT != "" {
		local, err1 := parseWPTime(it.date, time.UTC)
		gmt, err2 := parseWPTime(it.dateGMT, time.UTC)
		if err1 == nil && err2 == nil && !local.IsZero() && !gmt.IsZero() {
			off := local.Sub(gmt).Round(15 * time.Minute)
			if off > -15*time.Hour && off < 15*time.Hour {
				ex.offset, ex.offsetKnown = off, true
			}
		}
	}
	switch it.postType {
	case "attachment":
		a := &attachment{
			id:      it.postID,
			parent:  it.parent,
			url:     it.attachmentURL,
			link:    it.link,
			alt:     plainText(it.metaValue("_wp_attachment_image_alt")),
			caption: strings.TrimSpace(it.excerpt),
			credit:  plainText(it.metaValue("_media_credit")),
		}
		if a.url == "" {
			a.url = it.guid
		}
		if a.credit == "" {
			a.credit = plainText(phpImageMetaCredit(it.metaValue("_wp_attachment_metadata")))
		}
		a.order, _ = strconv.Atoi(it.menuOrder)
		a.idNum, _ = strconv.Atoi(it.postID)
		if a.id != "" && ex.attachments[a.id] == nil {
			ex.attachments[a.id] = a
			if a.parent != "" && a.parent != "0" {
				ex.byParent[a.parent] = append(ex.byParent[a.parent], a)
			}
		}
	case "guest-author":
		name := plainText(it.metaValue("cap-display_name"))
		if name == "" {
			name = plainText(it.title)
		}
		login := it.metaValue("cap-user_login")
		p := &archive.Person{Name: name, Bio: plainText(it.metaValue("cap-description"))}
		slug := unescapeSlug(it.name) // "cap-jane-doe"
		p.Slug = personSlug(strings.TrimPrefix(slug, "cap-"))
		if login != "" {
			p.Slug = personSlug(login)
			ex.guests["cap-"+login] = p
			ex.guests["cap-"+personSlug(login)] = p
		}
		if slug != "" {
			ex.guests[slug] = p
		}
		for _, t := range it.terms {
			if t.domain == "author" && t.slug != "" {
				ex.guests[unescapeSlug(t.slug)] = p
			}
		}
	}
	return nil
}

// settle works out what needs the whole of pass 1: each category's path
// and the order of each post's attached images.
func (ex *export) settle() {
	for _, c := range ex.categories {
		c.path = ex.categoryPath(c)
	}
	for _, list := range ex.byParent {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].order != list[j].order {
				return list[i].order < list[j].order
			}
			return list[i].idNum < list[j].idNum
		})
	}
}

// categoryPath is c's path of terms from the top of the hierarchy. A
// parent that is missing ends the path; a loop is cut where it closes.
func (ex *export) categoryPath(c *category) []archive.Term {
	var rev []archive.Term
	seen := map[*category]bool{}
	for cur := c; cur != nil && !seen[cur]; {
		seen[cur] = true
		rev = append(rev, archive.Term{Slug: cur.slug, Name: cur.name})
		if cur.parent == "" {
			break
		}
		next := ex.catBySlug[cur.parent]
		if next == nil {
			next = ex.catByID[cur.parent] // some exporters write the parent's id
		}
		cur = next
	}
	path := make([]archive.Term, len(rev))
	for i, t := range rev {
		path[len(rev)-1-i] = t
	}
	return path
}

func (ex *export) summary() *archive.Summary {
	s := &archive.Summary{
		Source:   Source,
		SiteURL:  ex.site(),
		Tags:     ex.tags,
		OldPaths: map[string]string{"/feed/": "feed:"},
		Counts:   map[string]int{"comments": ex.comments, "attachments": len(ex.attachments)},
	}
	for _, c := range ex.categories {
		s.Sections = append(s.Sections, c.path)
	}
	s.Sections = append(s.Sections, ex.extraSection...)
	for _, path := range s.Sections {
		slugs := make([]string, len(path))
		for i, t := range path {
			slugs[i] = t.Slug
		}
		joined := strings.Join(slugs, "/")
		s.OldPaths["/category/"+joined+"/"] = "section:" + joined
		s.OldPaths["/category/"+joined+"/feed/"] = "feed:section:" + joined
	}
	for _, t := range ex.tags {
		s.OldPaths["/tag/"+t.Slug+"/"] = "tag:" + t.Slug
		s.OldPaths["/tag/"+t.Slug+"/feed/"] = "feed:tag:" + t.Slug
	}
	for _, a := range ex.attachments {
		if a.parent == "" || a.parent == "0" {
			continue
		}
		to := "item:" + a.parent
		s.OldPaths["/?attachment_id="+a.id] = to
		if p := ex.oldPath(a.link, false); p != "" {
			s.OldPaths[p] = to
		}
	}
	return s
}

// site is the old site's address: the blog's home, else the install's,
// else the channel's link.
func (ex *export) site() string {
	for _, s := range []string{ex.blogURL, ex.siteURL, ex.link} {
		if s = strings.TrimRight(s, "/"); s != "" {
			return s
		}
	}
	return ""
}

// oldPath is an address of the old site as the new one will be asked
// for it: the path (decoded, as a request's URL.Path is) relative to the
// blog's home, and the query. With sameSite, an address on another host
// gives "".
func (ex *export) oldPath(raw string, sameSite bool) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if sameSite && u.Host != "" {
		site, err := url.Parse(ex.site())
		if err != nil || !strings.EqualFold(strings.TrimPrefix(site.Host, "www."), strings.TrimPrefix(u.Host, "www.")) {
			return ""
		}
	}
	if u.Host == "" && !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	p := u.Path
	if sp := ex.blogPath(); sp != "" && (p == sp || strings.HasPrefix(p, sp+"/")) {
		p = strings.TrimPrefix(p, sp)
	}
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if p == "/" {
		return "" // the home page is not an item's
	}
	return p
}

func (ex *export) blogPath() string {
	if ex.sitePath == "" {
		if u, err := url.Parse(ex.site()); err == nil {
			ex.sitePath = strings.TrimRight(u.Path, "/")
		}
		if ex.sitePath == "" {
			ex.sitePath = "-" // worked out, and none
		}
	}
	if ex.sitePath == "-" {
		return ""
	}
	return ex.sitePath
}

// Post types that are part of how a WordPress site works, not content:
// they are passed over without a report line.
var internalTypes = map[string]bool{
	"attachment": true, "nav_menu_item": true, "guest-author": true,
	"wp_block": true, "wp_template": true, "wp_template_part": true,
	"wp_navigation": true, "wp_global_styles": true, "wp_font_family": true,
	"wp_font_face": true, "custom_css": true, "customize_changeset": true,
	"oembed_cache": true, "user_request": true, "wp_changeset": true,
}

// emitItem is pass 2's onItem.
func (ex *export) emitItem(it *rawItem, emit func(*archive.Item) error) error {
	if internalTypes[it.postType] {
		return nil
	}
	item := &archive.Item{Source: Source, ID: it.postID, Kind: archive.Post, At: fmt.Sprintf("line %d", it.line), Site: ex.site()}
	item.Title = plainText(it.title)
	switch {
	case !it.hasPostID || it.postID == "":
		item.Skip = "has no wp:post_id, so it cannot be imported"
	case !validID(it.postID):
		item.Skip = fmt.Sprintf("has wp:post_id %q, not a number, so it cannot be imported", it.postID)
	case !it.hasPostType || it.postType == "":
		item.Skip = "has no wp:post_type, so it cannot be imported"
	case it.postType == "revision" || it.status == "inherit":
		item.Skip = "a revision"
	case it.postType != "post" && it.postType != "page":
		item.Skip = fmt.Sprintf("a %s, which is not imported", it.postType)
	case it.status == "trash":
		item.Skip = "in the trash"
	case it.status == "auto-draft":
		item.Skip = "an automatic draft"
	}
	if it.postType == "page" {
		item.Kind = archive.Page
	}
	if item.Skip != "" {
		return emit(item)
	}
	if err := ex.mapItem(it, item); err != nil {
		return err
	}
	return emit(item)
}

func validID(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0
}

// mapItem fills item from a post or page that is imported.
func (ex *export) mapItem(it *rawItem, item *archive.Item) error {
	item.Slug = unescapeSlug(it.name)
	item.Summary = plainText(it.excerpt)
	local := time.FixedZone("site", int(ex.offset/time.Second))
	published := wpTime(it.dateGMT, it.date, local)
	item.ModifiedAt = wpTime(it.modifiedGMT, it.modified, local)

	switch it.status {
	case "publish":
		item.Status = news.Published
		item.PublishedAt = published
	case "future":
		item.Status = news.Scheduled
		item.PublishedAt = published
	case "pending":
		item.Status = news.Review
	case "private":
		item.Status = news.Draft
		item.PublishedAt = published
		item.Notes = append(item.Notes, "was private on the old site: imported as a draft, kept out of the public site")
	case "draft", "":
		item.Status = news.Draft
	default:
		item.Status = news.Draft
		item.Notes = append(item.Notes, fmt.Sprintf("had the status %q on the old site: imported as a draft", it.status))
	}
	if item.Status == news.Published && item.PublishedAt.IsZero() {
		item.Status = news.Draft
		item.Notes = append(item.Notes, "was published on the old site but the export gives no date: imported as a draft")
	}
	if item.Status == news.Scheduled && item.PublishedAt.IsZero() {
		item.Status = news.Draft
		item.Notes = append(item.Notes, "was scheduled on the old site but the export gives no date: imported as a draft")
	}
	if it.password != "" {
		if item.Status != news.Draft {
			item.Status = news.Draft
		}
		item.Notes = append(item.Notes, "was protected by a password on the old site: imported as a draft, without the password")
	}

	ex.mapTerms(it, item)
	ex.mapAuthors(it, item)

	if id := it.metaValue("_thumbnail_id"); id != "" && id != "0" {
		if a := ex.attachments[id]; a != nil && a.url != "" {
			item.Lead = &archive.Image{URL: a.url, Alt: a.alt, Caption: plainText(a.caption), Credit: a.credit}
		} else {
			item.Notes = append(item.Notes, fmt.Sprintf("its featured image (attachment %s) is not in the export", id))
		}
	}

	title := firstNonEmpty(it.metaValue("_yoast_wpseo_title"), it.metaValue("rank_math_title"))
	item.SEOTitle = seoTemplate(title, item.Title, item.Summary)
	desc := firstNonEmpty(it.metaValue("_yoast_wpseo_metadesc"), it.metaValue("rank_math_description"))
	item.SEODescription = seoTemplate(desc, item.Title, item.Summary)

	body := &bodyConverter{ex: ex, postID: it.postID}
	item.HTML = body.convert(it.content)
	item.Notes = append(item.Notes, body.notes...)

	item.OldPaths = ex.itemPaths(it, item.Kind)
	return nil
}

// mapTerms files the post in its primary category and makes the others,
// then its tags, into tags.
func (ex *export) mapTerms(it *rawItem, item *archive.Item) {
	var cats []*category
	var tags []archive.Term
	for _, t := range it.terms {
		slug := unescapeSlug(t.slug)
		switch t.domain {
		case "category", "":
			if slug == "" {
				continue
			}
			c := ex.catBySlug[slug]
			if c == nil {
				// A category the channel does not list (WXR 1.0 listed
				// only some): it stands at the top.
				c = &category{slug: slug, name: firstNonEmpty(plainText(t.name), slug)}
				c.path = []archive.Term{{Slug: c.slug, Name: c.name}}
				ex.catBySlug[slug] = c
				ex.extraSection = append(ex.extraSection, c.path)
			}
			cats = append(cats, c)
		case "post_tag", "tag": // "tag" in WXR 1.0
			if slug == "" {
				continue
			}
			term := archive.Term{Slug: slug, Name: firstNonEmpty(plainText(t.name), slug)}
			ex.addTag(term)
			tags = append(tags, term)
		}
	}
	var primary *category
	if id := firstNonEmpty(it.metaValue("_yoast_wpseo_primary_category"), it.metaValue("rank_math_primary_category")); id != "" {
		primary = ex.catByID[id]
	}
	if primary == nil && len(cats) > 0 {
		primary = cats[0]
	}
	seen := map[string]bool{}
	if primary != nil && item.Kind == archive.Post {
		item.Section = append([]archive.Term(nil), primary.path...)
		// The section's parents are in its path already: a post ticked
		// in News and News › Council is filed in Council, not tagged News.
		for _, t := range primary.path {
			seen[t.Slug] = true
		}
	}
	for _, c := range cats {
		if !seen[c.slug] {
			seen[c.slug] = true
			item.Tags = append(item.Tags, archive.Term{Slug: c.slug, Name: c.name})
		}
	}
	for _, t := range tags {
		if !seen[t.Slug] {
			seen[t.Slug] = true
			item.Tags = append(item.Tags, t)
		}
	}
}

// mapAuthors makes the bylines: Co-Authors Plus's author terms in their
// order when the post has them, else the post's author.
func (ex *export) mapAuthors(it *rawItem, item *archive.Item) {
	seen := map[string]bool{}
	add := func(p archive.Person) {
		if p.Name == "" || seen[p.Slug+"\x00"+p.Name] {
			return
		}
		seen[p.Slug+"\x00"+p.Name] = true
		item.Authors = append(item.Authors, p)
	}
	for _, t := range it.terms {
		if t.domain != "author" {
			continue
		}
		slug := unescapeSlug(t.slug)
		if g := ex.guests[slug]; g != nil {
			add(*g)
			continue
		}
		if a := ex.authors[t.name]; a != nil {
			add(*a)
			continue
		}
		if a := ex.authorBySlug(strings.TrimPrefix(slug, "cap-")); a != nil {
			add(*a)
			continue
		}
		name := firstNonEmpty(plainText(t.name), strings.TrimPrefix(slug, "cap-"))
		add(archive.Person{Slug: personSlug(strings.TrimPrefix(slug, "cap-")), Name: name})
	}
	if len(item.Authors) > 0 || it.creator == "" {
		return
	}
	if a := ex.authors[it.creator]; a != nil {
		add(*a)
		return
	}
	add(archive.Person{Slug: personSlug(it.creator), Name: it.creator})
}

func (ex *export) authorBySlug(slug string) *archive.Person {
	if slug == "" {
		return nil
	}
	for _, a := range ex.authors {
		if a.Slug == personSlug(slug) {
			return a
		}
	}
	return nil
}

// itemPaths are the item's addresses on the old site.
func (ex *export) itemPaths(it *rawItem, kind archive.Kind) []string {
	var paths []string
	add := func(p string) {
		if p == "" {
			return
		}
		for _, q := range paths {
			if q == p {
				return
			}
		}
		paths = append(paths, p)
	}
	link := ex.oldPath(it.link, false)
	add(link)
	add(ex.oldPath(it.guid, true))
	// WordPress keeps each slug a post had before (_wp_old_slug) and
	// redirects its old permalink: the same, here, where the current
	// slug is a part of the link's path.
	name, _ := url.PathUnescape(strings.Trim(it.name, "/ "))
	if cur := "/" + name + "/"; link != "" && name != "" && strings.Contains(link+"/", cur) {
		for _, m := range it.meta {
			old, err := url.PathUnescape(strings.Trim(m.value, "/ "))
			if m.key != "_wp_old_slug" || err != nil || old == "" || strings.ContainsAny(old, "/?#\\") {
				continue
			}
			i := strings.LastIndex(link+"/", cur)
			add(link[:i] + "/" + old + "/" + link[min(len(link), i+len(cur)):])
		}
	}
	if kind == archive.Page {
		add("/?page_id=" + it.postID)
	} else {
		add("/?p=" + it.postID)
	}
	return paths
}

// wpTime is the time of a post from its GMT field, else from its local
// field in the site's zone; zero when neither holds a date.
func wpTime(gmt, local string, zone *time.Location) time.Time {
	if t, err := parseWPTime(gmt, time.UTC); err == nil && !t.IsZero() {
		return t
	}
	if t, err := parseWPTime(local, zone); err == nil && !t.IsZero() {
		return t.UTC()
	}
	return time.Time{}
}

// parseWPTime reads WordPress's "2006-01-02 15:04:05"; its
// "0000-00-00 00:00:00" is no date, the zero time.
func parseWPTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, nil
	}
	return time.ParseInLocation("2006-01-02 15:04:05", s, loc)
}

// unescapeSlug decodes a slug as WordPress stores it: non-ASCII slugs are
// kept percent-encoded ("%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8").
func unescapeSlug(s string) string {
	s = strings.TrimSpace(s)
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// personSlug makes an author's slug from a login, which may hold dots,
// capitals or an e-mail address.
func personSlug(login string) string {
	return news.Slugify(unescapeSlug(login))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
