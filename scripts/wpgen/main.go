// Command wpgen writes a WordPress export to import, for scripts/bench-import:
// a WXR 1.2 file as WordPress 6 writes it (Tools → Export → All content)
// and the folder of JPEG files its attachments name, the copy of
// wp-content/uploads that `newsdesk import --uploads` reads.
//
//	go run ./scripts/wpgen -posts 10000 -images 20000 -out DIR
//
// writes DIR/export.xml and DIR/uploads/YYYY/MM/NAME.jpg, then
// DIR/wpgen.done naming the parameters, last, so that a folder holding it
// is whole. Everything follows from -seed: the same flags write the same
// bytes, whatever the number of CPUs. The export is written as a stream
// (one post at a time through a buffer), never held whole; the photos are
// made in parallel, one per CPU, and a photo already on disk is kept, so
// an interrupted run goes on where it stopped.
//
// What it holds: authors, categories two levels deep, tags; posts, most
// of them published, some drafts (no slug, no GMT date, as WordPress
// writes them), scheduled and private; bodies of 600 to 1,200 words,
// block-editor markup or the classic editor's text with blank lines
// between paragraphs, with headings, a list, an image figure with a
// caption (a core/image block or a [caption] shortcode, often naming
// WordPress's resized copy "-1024x683", which is not on disk, so the
// import falls back to the original), sometimes a YouTube line or a link
// to another post; a featured image (_thumbnail_id), Yoast's title,
// description and primary category on some; comments on some. Each
// photo is an attachment item with its alt text and metadata. Photos
// are shared out over the posts in turn: the first of a post's photos is
// its featured image, the others are in its body.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	posts := flag.Int("posts", 10000, "number of posts")
	images := flag.Int("images", 20000, "number of photos (attachments), shared out over the posts in turn")
	out := flag.String("out", "", "`folder` to write export.xml and uploads/ into (made if missing)")
	seed := flag.Uint64("seed", 1, "seed of everything generated")
	size := flag.String("size", "1200x800", "photo size, `WxH`")
	quality := flag.Int("quality", 85, "JPEG quality of the photos")
	noMedia := flag.Bool("no-media", false, "write the export only, not the photos")
	flag.Parse()
	if *out == "" || *posts < 1 || *images < 0 {
		flag.Usage()
		os.Exit(2)
	}
	w, h, err := parseSize(*size)
	if err != nil {
		log.Fatalf("wpgen: -size %q: %v", *size, err)
	}
	g := newGen(*posts, *images, *seed, w, h)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	os.Remove(filepath.Join(*out, "wpgen.done"))
	start := time.Now()
	if err := g.writeExport(filepath.Join(*out, "export.xml")); err != nil {
		log.Fatalf("wpgen: %v", err)
	}
	log.Printf("wpgen: export.xml written in %s", time.Since(start).Round(time.Millisecond))
	if !*noMedia {
		start = time.Now()
		if err := g.writePhotos(filepath.Join(*out, "uploads"), *quality); err != nil {
			log.Fatalf("wpgen: %v", err)
		}
		log.Printf("wpgen: %d photos written in %s", *images, time.Since(start).Round(time.Millisecond))
	}
	done := fmt.Sprintf("posts=%d images=%d seed=%d size=%dx%d quality=%d media=%t\n", *posts, *images, *seed, w, h, *quality, !*noMedia)
	if err := os.WriteFile(filepath.Join(*out, "wpgen.done"), []byte(done), 0o644); err != nil {
		log.Fatal(err)
	}
}

func parseSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(s, "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 16 || h < 16 || w > 8000 || h > 8000 {
		return 0, 0, fmt.Errorf("not a size between 16x16 and 8000x8000")
	}
	return w, h, nil
}

const (
	site = "https://old.example"
	// ids: the authors, categories and tags take the first; posts and
	// their attachments are numbered from firstPostID, each post after
	// its attachments, as WordPress numbers an upload made while writing.
	firstPostID = 1000
)

// gen is what the export is made of, decided up front from the seed.
type gen struct {
	posts, images int
	seed          uint64
	w, h          int
	authors       []author
	cats          []category
	tags          []string
	photos        []photo // by photo index
	postDate      []time.Time
	postSlug      []string
	postStatus    []string
}

type author struct{ login, first, last, bio string }

type category struct {
	id           int
	slug, name   string
	parent       string // the parent's slug, "" at the top
	parentIndex  int
	childIndexes []int
}

type photo struct {
	id   int    // the attachment's post id
	post int    // index of the post it belongs to
	rel  string // "2019/05/harbour-lights-17.jpg"
}

func newGen(posts, images int, seed uint64, w, h int) *gen {
	g := &gen{posts: posts, images: images, seed: seed, w: w, h: h}
	r := rand.New(rand.NewPCG(seed, 0))
	firsts := []string{"Mara", "Tobias", "Ines", "Kwame", "Lucia", "Arjun", "Sofia", "Henrik", "Amara", "Daniel", "Yuki", "Olga", "Pedro", "Fatima", "Liam", "Chen", "Nadia", "Owen", "Priya", "Jonas", "Elena", "Marcus", "Aisha", "Tomas", "Greta"}
	lasts := []string{"Quill", "Fenn", "Varga", "Mensah", "Romero", "Patel", "Costa", "Lund", "Okafor", "Byrne", "Tanaka", "Ivanova", "Silva", "Haddad", "Walsh", "Wei", "Karim", "Price", "Nair", "Berg", "Petrova", "Hale", "Bello", "Novak", "Sund"}
	for i := range firsts {
		a := author{login: strings.ToLower(firsts[i]) + "." + strings.ToLower(lasts[i]), first: firsts[i], last: lasts[i]}
		if i%3 == 0 {
			a.bio = "Covers " + words(r, 4) + " for the paper."
		}
		g.authors = append(g.authors, a)
	}
	id := 2
	tops := []string{"News", "Politics", "Business", "Sport", "Culture", "Opinion", "Science", "Health", "Education", "Environment", "World", "Local"}
	for _, t := range tops {
		top := category{id: id, slug: strings.ToLower(t), name: t, parentIndex: -1}
		id++
		g.cats = append(g.cats, top)
		ti := len(g.cats) - 1
		for range 1 + r.IntN(3) {
			name := title(r, 1+r.IntN(2))
			c := category{id: id, slug: top.slug + "-" + slugify(name), name: name, parent: top.slug, parentIndex: ti}
			id++
			g.cats = append(g.cats, c)
			g.cats[ti].childIndexes = append(g.cats[ti].childIndexes, len(g.cats)-1)
		}
	}
	seen := map[string]bool{}
	for len(g.tags) < 400 {
		t := title(r, 1+r.IntN(2))
		if !seen[slugify(t)] {
			seen[slugify(t)] = true
			g.tags = append(g.tags, t)
		}
	}
	// Dates from 2014 on, in order, a few hours apart; slugs unique.
	start := time.Date(2014, 1, 6, 7, 0, 0, 0, time.UTC)
	step := time.Duration(int64(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Sub(start)) / int64(posts))
	slugs := map[string]bool{}
	for i := range posts {
		d := start.Add(time.Duration(i)*step + time.Duration(r.IntN(int(step/time.Minute)+1))*time.Minute/2)
		status := "publish"
		switch p := r.IntN(100); {
		case p < 4:
			status = "draft"
		case p < 7:
			status = "future"
			d = time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		case p < 10:
			status = "private"
		}
		s := slugify(words(r, 3+r.IntN(4)))
		for slugs[s] {
			s += "-" + strconv.Itoa(2+r.IntN(9))
		}
		slugs[s] = true
		g.postDate = append(g.postDate, d)
		g.postSlug = append(g.postSlug, s)
		g.postStatus = append(g.postStatus, status)
	}
	// Photos in turn: photo k belongs to post k mod posts.
	for k := range images {
		p := k % posts
		d := g.postDate[p]
		name := fmt.Sprintf("%s-%d.jpg", slugify(words(r, 2)), k)
		g.photos = append(g.photos, photo{post: p, rel: fmt.Sprintf("%04d/%02d/%s", d.Year(), d.Month(), name)})
	}
	return g
}

// photosOf returns the indexes of post p's photos, its featured image first.
func (g *gen) photosOf(p int) []int {
	var out []int
	for k := p; k < g.images; k += g.posts {
		out = append(out, k)
	}
	return out
}

// xw writes the export: fmt into a large buffer, and the first error kept.
type xw struct {
	b   *bufio.Writer
	err error
}

func (x *xw) p(format string, args ...any) {
	if x.err == nil {
		_, x.err = fmt.Fprintf(x.b, format, args...)
	}
}

func (x *xw) s(s string) {
	if x.err == nil {
		_, x.err = x.b.WriteString(s)
	}
}

// cdata is s as WordPress writes a text field: in CDATA, any "]]>" split.
func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

func (g *gen) writeExport(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	x := &xw{b: bufio.NewWriterSize(f, 1<<20)}
	x.s(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- It contains information about your site's posts, pages, comments, categories, and other content. -->
<!-- You may use this file to transfer that content from one site to another. -->
<!-- This file is not intended to serve as a complete backup of your site. -->

<!-- To import this information into a WordPress site follow these steps: -->
<!-- 1. Log in to that site as an administrator. -->
<!-- 2. Go to Tools: Import in the WordPress admin panel. -->
<!-- 3. Install the "WordPress" importer from the list. -->
<!-- 4. Activate & Run Importer. -->
<!-- 5. Upload this file using the form provided on that page. -->
<!-- 6. You will first be asked to map the authors in this export file to users -->
<!--    on the site. For each author, you may choose to map to an -->
<!--    existing user on the site or to create a new user. -->
<!-- 7. WordPress will then import each of the posts, pages, comments, categories, etc. -->
<!--    contained in this file into your site. -->

<!-- generator="WordPress/6.5.3" created="2026-06-01 08:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>The Old Example Gazette</title>
	<link>` + site + `</link>
	<description>News from the valley</description>
	<pubDate>Mon, 01 Jun 2026 08:00:00 +0000</pubDate>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>` + site + `</wp:base_site_url>
	<wp:base_blog_url>` + site + `</wp:base_blog_url>

`)
	for i, a := range g.authors {
		x.p("\t\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login><wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name><wp:author_first_name>%s</wp:author_first_name><wp:author_last_name>%s</wp:author_last_name>",
			i+1, cdata(a.login), cdata(a.login+"@old.example"), cdata(a.first+" "+a.last), cdata(a.first), cdata(a.last))
		if a.bio != "" {
			x.p("<wp:author_description>%s</wp:author_description>", cdata(a.bio))
		}
		x.s("</wp:author>\n")
	}
	x.s("\n")
	for _, c := range g.cats {
		x.p("\t\t<wp:category>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:category_nicename>%s</wp:category_nicename>\n\t\t<wp:category_parent>%s</wp:category_parent>\n\t\t<wp:cat_name>%s</wp:cat_name>\n\t</wp:category>\n",
			c.id, cdata(c.slug), cdata(c.parent), cdata(c.name))
	}
	for i, t := range g.tags {
		x.p("\t\t<wp:tag>\n\t\t<wp:term_id>%d</wp:term_id>\n\t\t<wp:tag_slug>%s</wp:tag_slug>\n\t\t<wp:tag_name>%s</wp:tag_name>\n\t</wp:tag>\n",
			100+i, cdata(slugify(t)), cdata(t))
	}
	x.s("\n\t<generator>https://wordpress.org/?v=6.5.3</generator>\n\n")

	// The ids: each post's photos, then the post.
	r := rand.New(rand.NewPCG(g.seed, 1))
	next := firstPostID
	postID := make([]int, g.posts)
	for p := range g.posts {
		for _, k := range g.photosOf(p) {
			g.photos[k].id = next
			next++
		}
		postID[p] = next
		next++
	}
	for p := range g.posts {
		for _, k := range g.photosOf(p) {
			g.writeAttachment(x, r, k, postID[p])
		}
		g.writePost(x, r, p, postID)
		if x.err != nil {
			break
		}
	}
	x.s("</channel>\n</rss>\n")
	if x.err == nil {
		x.err = x.b.Flush()
	}
	if err := f.Close(); x.err == nil {
		x.err = err
	}
	return x.err
}

func (g *gen) link(p int, id int) string {
	if g.postStatus[p] != "publish" {
		return fmt.Sprintf("%s/?p=%d", site, id)
	}
	d := g.postDate[p]
	return fmt.Sprintf("%s/%04d/%02d/%02d/%s/", site, d.Year(), d.Month(), d.Day(), g.postSlug[p])
}

// attachmentLink is an attachment page's address: under its post's when
// the post is published, else WordPress's ?attachment_id= form.
func (g *gen) attachmentLink(p, parent, id int, base string) string {
	if g.postStatus[p] != "publish" {
		return fmt.Sprintf("%s/?attachment_id=%d", site, id)
	}
	return g.link(p, parent) + base + "/"
}

func wpDate(t time.Time) string { return t.Format("2006-01-02 15:04:05") }

// local is the site's time zone: UTC+1, as WordPress writes post_date.
func local(t time.Time) time.Time { return t.Add(time.Hour) }

func (g *gen) writeAttachment(x *xw, r *rand.Rand, k, parent int) {
	ph := g.photos[k]
	p := ph.post
	d := g.postDate[p].Add(-time.Duration(10+r.IntN(50)) * time.Minute)
	base := strings.TrimSuffix(filepath.Base(ph.rel), ".jpg")
	url := site + "/wp-content/uploads/" + ph.rel
	caption := ""
	if r.IntN(2) == 0 {
		caption = sentence(r, 6+r.IntN(8))
	}
	x.p("\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s</link>\n\t\t<pubDate>%s</pubDate>\n\t\t<dc:creator>%s</dc:creator>\n\t\t<guid isPermaLink=\"false\">%s</guid>\n\t\t<description></description>\n\t\t<content:encoded>%s</content:encoded>\n\t\t<excerpt:encoded>%s</excerpt:encoded>\n",
		cdata(base), g.attachmentLink(p, parent, ph.id, base), d.Format(time.RFC1123Z), cdata(g.authors[p%len(g.authors)].login), url, cdata(""), cdata(caption))
	x.p("\t\t<wp:post_id>%d</wp:post_id>\n\t\t<wp:post_date>%s</wp:post_date>\n\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n\t\t<wp:post_modified>%s</wp:post_modified>\n\t\t<wp:post_modified_gmt>%s</wp:post_modified_gmt>\n",
		ph.id, cdata(wpDate(local(d))), cdata(wpDate(d)), cdata(wpDate(local(d))), cdata(wpDate(d)))
	x.p("\t\t<wp:comment_status>%s</wp:comment_status>\n\t\t<wp:ping_status>%s</wp:ping_status>\n\t\t<wp:post_name>%s</wp:post_name>\n\t\t<wp:status>%s</wp:status>\n\t\t<wp:post_parent>%d</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type>%s</wp:post_type>\n\t\t<wp:post_password>%s</wp:post_password>\n\t\t<wp:is_sticky>0</wp:is_sticky>\n\t\t<wp:attachment_url>%s</wp:attachment_url>\n",
		cdata("open"), cdata("closed"), cdata(base), cdata("inherit"), parent, cdata("attachment"), cdata(""), cdata(url))
	meta := func(k, v string) {
		x.p("\t\t<wp:postmeta>\n\t\t<wp:meta_key>%s</wp:meta_key>\n\t\t<wp:meta_value>%s</wp:meta_value>\n\t\t</wp:postmeta>\n", cdata(k), cdata(v))
	}
	meta("_wp_attached_file", ph.rel)
	meta("_wp_attachment_metadata", g.phpMeta(ph.rel, base, r))
	if r.IntN(10) < 7 {
		meta("_wp_attachment_image_alt", sentence(r, 5+r.IntN(6)))
	}
	x.s("\t</item>\n")
}

// phpMeta is _wp_attachment_metadata as PHP serializes it, with the
// resized copies WordPress makes (which are not in uploads/).
func (g *gen) phpMeta(rel, base string, r *rand.Rand) string {
	s := func(v string) string { return fmt.Sprintf("s:%d:\"%s\";", len(v), v) }
	var b strings.Builder
	fmt.Fprintf(&b, "a:6:{%si:%d;%si:%d;%s%s%sa:4:{", s("width"), g.w, s("height"), g.h, s("file"), s(rel), s("sizes"))
	for _, sz := range []struct {
		name string
		w    int
	}{{"medium", 300}, {"large", 1024}, {"thumbnail", 150}, {"medium_large", 768}} {
		h := g.h * sz.w / g.w
		if sz.name == "thumbnail" {
			h = 150
		}
		file := fmt.Sprintf("%s-%dx%d.jpg", base, sz.w, h)
		fmt.Fprintf(&b, "%sa:5:{%s%s%si:%d;%si:%d;%s%s%si:%d;}", s(sz.name), s("file"), s(file), s("width"), sz.w, s("height"), h, s("mime-type"), s("image/jpeg"), s("filesize"), 8000+r.IntN(90000))
	}
	b.WriteString("}" + s("image_meta") + "a:12:{")
	for _, kv := range [][2]string{{"aperture", "5.6"}, {"credit", ""}, {"camera", ""}, {"caption", ""}, {"created_timestamp", "0"},
		{"copyright", ""}, {"focal_length", "35"}, {"iso", "200"}, {"shutter_speed", "0.008"}, {"title", ""}, {"orientation", "1"}} {
		b.WriteString(s(kv[0]) + s(kv[1]))
	}
	fmt.Fprintf(&b, "%sa:0:{}}%si:%d;}", s("keywords"), s("filesize"), 100000+r.IntN(200000))
	return b.String()
}

func (g *gen) writePost(x *xw, r *rand.Rand, p int, postID []int) {
	id := postID[p]
	d := g.postDate[p]
	status := g.postStatus[p]
	a := g.authors[r.IntN(len(g.authors))]
	head := title(r, 4+r.IntN(7))
	if r.IntN(8) == 0 {
		head += " &#8211; " + strings.ToLower(title(r, 3))
	}
	blocks := r.IntN(10) < 6
	body := g.body(r, p, postID, blocks)
	excerpt := ""
	if r.IntN(3) == 0 {
		excerpt = sentence(r, 15+r.IntN(15))
	}
	slug, dateGMT := g.postSlug[p], wpDate(d)
	if status == "draft" {
		slug, dateGMT = "", "0000-00-00 00:00:00"
	}
	mod := d.Add(time.Duration(r.IntN(72)) * time.Hour)
	x.p("\t<item>\n\t\t<title>%s</title>\n\t\t<link>%s</link>\n\t\t<pubDate>%s</pubDate>\n\t\t<dc:creator>%s</dc:creator>\n\t\t<guid isPermaLink=\"false\">%s/?p=%d</guid>\n\t\t<description></description>\n\t\t<content:encoded>%s</content:encoded>\n\t\t<excerpt:encoded>%s</excerpt:encoded>\n",
		cdata(head), g.link(p, id), d.Format(time.RFC1123Z), cdata(a.login), site, id, cdata(body), cdata(excerpt))
	x.p("\t\t<wp:post_id>%d</wp:post_id>\n\t\t<wp:post_date>%s</wp:post_date>\n\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n\t\t<wp:post_modified>%s</wp:post_modified>\n\t\t<wp:post_modified_gmt>%s</wp:post_modified_gmt>\n",
		id, cdata(wpDate(local(d))), cdata(dateGMT), cdata(wpDate(local(mod))), cdata(wpDate(mod)))
	x.p("\t\t<wp:comment_status>%s</wp:comment_status>\n\t\t<wp:ping_status>%s</wp:ping_status>\n\t\t<wp:post_name>%s</wp:post_name>\n\t\t<wp:status>%s</wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type>%s</wp:post_type>\n\t\t<wp:post_password>%s</wp:post_password>\n\t\t<wp:is_sticky>0</wp:is_sticky>\n",
		cdata("open"), cdata("open"), cdata(slug), cdata(status), cdata("post"), cdata(""))
	// One or two categories (a child, often, with WordPress listing its
	// parent too), two to five tags.
	c := r.IntN(len(g.cats))
	cats := []int{c}
	if pi := g.cats[c].parentIndex; pi >= 0 && r.IntN(2) == 0 {
		cats = append(cats, pi)
	}
	if r.IntN(5) == 0 {
		if o := r.IntN(len(g.cats)); o != c {
			cats = append(cats, o)
		}
	}
	for _, ci := range cats {
		x.p("\t\t<category domain=\"category\" nicename=\"%s\">%s</category>\n", g.cats[ci].slug, cdata(g.cats[ci].name))
	}
	seen := map[int]bool{}
	for range 2 + r.IntN(4) {
		t := r.IntN(len(g.tags))
		if !seen[t] {
			seen[t] = true
			x.p("\t\t<category domain=\"post_tag\" nicename=\"%s\">%s</category>\n", slugify(g.tags[t]), cdata(g.tags[t]))
		}
	}
	meta := func(k, v string) {
		x.p("\t\t<wp:postmeta>\n\t\t<wp:meta_key>%s</wp:meta_key>\n\t\t<wp:meta_value>%s</wp:meta_value>\n\t\t</wp:postmeta>\n", cdata(k), cdata(v))
	}
	meta("_edit_last", "1")
	if ph := g.photosOf(p); len(ph) > 0 {
		meta("_thumbnail_id", strconv.Itoa(g.photos[ph[0]].id))
	}
	if r.IntN(10) < 3 {
		meta("_yoast_wpseo_title", head+" %%sep%% %%sitename%%")
		meta("_yoast_wpseo_metadesc", sentence(r, 18+r.IntN(8)))
		if len(cats) > 1 {
			meta("_yoast_wpseo_primary_category", strconv.Itoa(g.cats[cats[len(cats)-1]].id))
		}
	}
	if status == "publish" && r.IntN(5) == 0 {
		for n := range 1 + r.IntN(3) {
			cd := d.Add(time.Duration(1+r.IntN(48)) * time.Hour)
			x.p("\t\t<wp:comment>\n\t\t\t<wp:comment_id>%d</wp:comment_id>\n\t\t\t<wp:comment_author>%s</wp:comment_author>\n\t\t\t<wp:comment_author_email>%s</wp:comment_author_email>\n\t\t\t<wp:comment_author_url></wp:comment_author_url>\n\t\t\t<wp:comment_author_IP>%s</wp:comment_author_IP>\n\t\t\t<wp:comment_date>%s</wp:comment_date>\n\t\t\t<wp:comment_date_gmt>%s</wp:comment_date_gmt>\n\t\t\t<wp:comment_content>%s</wp:comment_content>\n\t\t\t<wp:comment_approved>%s</wp:comment_approved>\n\t\t\t<wp:comment_type>%s</wp:comment_type>\n\t\t\t<wp:comment_parent>0</wp:comment_parent>\n\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n\t\t</wp:comment>\n",
				id*10+n, cdata("A reader"), cdata("reader@example.net"), cdata("192.0.2.4"), cdata(wpDate(local(cd))), cdata(wpDate(cd)), cdata(sentence(r, 8+r.IntN(30))), cdata("1"), cdata("comment"))
		}
	}
	x.s("\t</item>\n")
}

// body is a post's content: block-editor markup or the classic editor's
// text, of 600 to 1,200 words.
func (g *gen) body(r *rand.Rand, p int, postID []int, blocks bool) string {
	var b strings.Builder
	target := 600 + r.IntN(601)
	n, para := 0, 0
	figures := g.photosOf(p)
	if len(figures) > 0 {
		figures = figures[1:] // the first is the featured image
	}
	listAt := 3 + r.IntN(4)
	embedAt := -1
	if r.IntN(7) == 0 {
		embedAt = 2 + r.IntN(5)
	}
	block := func(name, attrs, html string) {
		if !blocks {
			b.WriteString(html + "\n\n")
			return
		}
		if attrs != "" {
			attrs = " " + attrs
		}
		fmt.Fprintf(&b, "<!-- wp:%s%s -->\n%s\n<!-- /wp:%s -->\n\n", name, attrs, html, name)
	}
	for n < target {
		if para > 0 && para%4 == 0 {
			h := title(r, 3+r.IntN(4))
			if blocks {
				block("heading", "", "<h2 class=\"wp-block-heading\">"+h+"</h2>")
			} else {
				block("", "", "<h2>"+h+"</h2>")
			}
		}
		if para == 2 && len(figures) > 0 || para > 2 && para%5 == 0 && len(figures) > 0 {
			b.WriteString(g.figure(r, figures[0], blocks))
			figures = figures[1:]
		}
		if para == listAt {
			var li strings.Builder
			for range 3 + r.IntN(3) {
				item := sentence(r, 5+r.IntN(10))
				n += 8
				if blocks {
					fmt.Fprintf(&li, "<!-- wp:list-item -->\n<li>%s</li>\n<!-- /wp:list-item -->\n\n", item)
				} else {
					fmt.Fprintf(&li, "\t<li>%s</li>\n", item)
				}
			}
			if blocks {
				block("list", "", "<ul class=\"wp-block-list\">"+strings.TrimSuffix(li.String(), "\n\n")+"</ul>")
			} else {
				block("", "", "<ul>\n"+li.String()+"</ul>")
			}
		}
		if para == embedAt {
			v := "https://www.youtube.com/watch?v=" + videoID(r)
			if blocks {
				block("embed", `{"url":"`+v+`","type":"video","providerNameSlug":"youtube","responsive":true,"className":"wp-embed-aspect-16-9 wp-has-aspect-ratio"}`,
					"<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio\"><div class=\"wp-block-embed__wrapper\">\n"+v+"\n</div></figure>")
			} else {
				b.WriteString(v + "\n\n")
			}
		}
		var pb strings.Builder
		for range 3 + r.IntN(4) {
			k := 8 + r.IntN(14)
			s := sentence(r, k)
			switch r.IntN(20) {
			case 0:
				o := r.IntN(g.posts)
				s = strings.TrimSuffix(s, ".") + fmt.Sprintf(`, as <a href="%s">we reported</a>.`, g.link(o, postID[o]))
			case 1:
				s = "<strong>" + strings.TrimSuffix(s, ".") + "</strong>."
			case 2:
				s = strings.Replace(s, " ", " <em>", 1) + "</em>"
			}
			pb.WriteString(s + " ")
			n += k
		}
		text := strings.TrimSpace(pb.String())
		if blocks {
			block("paragraph", "", "<p>"+text+"</p>")
		} else {
			block("", "", text)
		}
		para++
	}
	// Photos the loop did not place go at the end.
	for _, k := range figures {
		b.WriteString(g.figure(r, k, blocks))
	}
	return strings.TrimSpace(b.String())
}

// figure is an image in a body, with a caption: a core/image block, or a
// [caption] shortcode; most name WordPress's 1024-wide copy.
func (g *gen) figure(r *rand.Rand, k int, blocks bool) string {
	ph := g.photos[k]
	src := site + "/wp-content/uploads/" + ph.rel
	w, h := g.w, g.h
	if r.IntN(4) != 0 && g.w > 1024 {
		w, h = 1024, g.h*1024/g.w
		src = strings.TrimSuffix(src, ".jpg") + fmt.Sprintf("-%dx%d.jpg", w, h)
	}
	alt := sentence(r, 5+r.IntN(5))
	alt = strings.TrimSuffix(alt, ".")
	caption := sentence(r, 6+r.IntN(10))
	if blocks {
		return fmt.Sprintf("<!-- wp:image {\"id\":%d,\"sizeSlug\":\"large\",\"linkDestination\":\"none\"} -->\n<figure class=\"wp-block-image size-large\"><img src=\"%s\" alt=\"%s\" class=\"wp-image-%d\"/><figcaption class=\"wp-element-caption\">%s</figcaption></figure>\n<!-- /wp:image -->\n\n",
			ph.id, src, alt, ph.id, caption)
	}
	return fmt.Sprintf("[caption id=\"attachment_%d\" align=\"aligncenter\" width=\"%d\"]<img class=\"size-large wp-image-%d\" src=\"%s\" alt=\"%s\" width=\"%d\" height=\"%d\" /> %s[/caption]\n\n",
		ph.id, w, ph.id, src, alt, w, h, caption)
}

func videoID(r *rand.Rand) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, 11)
	for i := range b {
		b[i] = a[r.IntN(len(a))]
	}
	return string(b)
}

var vocabulary = strings.Fields(`the council said on monday that new budget would fund schools roads and
clinics across region while critics warned of cuts elsewhere mayor residents
bridge river harbour market police court judge ruling appeal election vote
voters party minister government plan housing rent prices inflation rate bank
workers union strike hospital doctors nurses patients waiting list teachers
pupils exam results university students farmers harvest drought rain flood
storm weather forecast club season match goal coach players fans stadium
festival theatre museum artist exhibition concert album film director novel
library report survey data figures percent million year week month morning
evening night city town village county street station train bus airport
company shares profits jobs factory energy power prices wind solar climate
emissions water supply pipes repairs contract tender inquiry investigation
officials statement spokesman spokeswoman interview told reporters according
earlier later after before during since until despite because although
local national first second last most more less many several few some every
other same different important public private small large long short open
closed early late quickly slowly finally also still again already only`)

func words(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = vocabulary[r.IntN(len(vocabulary))]
	}
	return strings.Join(w, " ")
}

func sentence(r *rand.Rand, n int) string {
	s := words(r, n)
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func title(r *rand.Rand, n int) string {
	w := strings.Fields(words(r, n))
	for i, x := range w {
		if i == 0 || len(x) > 3 {
			w[i] = strings.ToUpper(x[:1]) + x[1:]
		}
	}
	return strings.Join(w, " ")
}

func slugify(s string) string {
	return strings.Trim(strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			return c
		case c >= 'A' && c <= 'Z':
			return c + 'a' - 'A'
		}
		return '-'
	}, s), "-")
}

// writePhotos writes every photo not yet on disk, one per CPU at a time.
func (g *gen) writePhotos(dir string, quality int) error {
	var next atomic.Int64
	var wrote atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, runtime.GOMAXPROCS(0))
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= g.images {
					return
				}
				name := filepath.Join(dir, filepath.FromSlash(g.photos[k].rel))
				if info, err := os.Stat(name); err == nil && info.Size() > 0 {
					continue
				}
				if err := writePhoto(name, g.picture(k), quality); err != nil {
					errs <- err
					return
				}
				if n := wrote.Add(1); n%1000 == 0 {
					log.Printf("wpgen: %d photos made", n)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func writePhoto(name string, img image.Image, quality int) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	b := bufio.NewWriterSize(f, 256<<10)
	err = jpeg.Encode(b, img, &jpeg.Options{Quality: quality})
	if err == nil {
		err = b.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return os.Rename(tmp, name)
}

// picture is photo k: a gradient sky over a gradient ground, a few soft
// discs, and grain, in 4:2:0 YCbCr as a camera's JPEG is. The grain and
// edges give the encoder (the photo's and the import's) real work: a
// flat picture would compress to nothing.
func (g *gen) picture(k int) image.Image {
	r := rand.New(rand.NewPCG(g.seed, uint64(k)+2))
	w, h := g.w, g.h
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	horizon := h/3 + r.IntN(h/3)
	skyTop, skyBottom := 90+r.Float64()*80, 150+r.Float64()*80
	ground0, ground1 := 40+r.Float64()*60, 80+r.Float64()*80
	type disc struct{ x, y, rad, dy float64 }
	discs := make([]disc, 3+r.IntN(5))
	for i := range discs {
		discs[i] = disc{r.Float64() * float64(w), r.Float64() * float64(h), float64(h)/12 + r.Float64()*float64(h)/5, r.Float64()*80 - 40}
	}
	grain := 4 + r.IntN(8)
	state := r.Uint64() | 1
	// 12·sin(x/37 + y/53), as sin(a)cos(b) + cos(a)sin(b) from tables.
	sx, cx := make([]float64, w), make([]float64, w)
	for x := range w {
		sx[x], cx[x] = 12*math.Sin(float64(x)/37), 12*math.Cos(float64(x)/37)
	}
	v := make([]float64, w)
	for y := range h {
		var base float64
		if y < horizon {
			base = skyTop + (skyBottom-skyTop)*float64(y)/float64(horizon)
		} else {
			base = ground0 + (ground1-ground0)*float64(y-horizon)/float64(h-horizon)
		}
		sy, cy := math.Sin(float64(y)/53), math.Cos(float64(y)/53)
		for x := range w {
			v[x] = base + sx[x]*cy + cx[x]*sy
		}
		// Each disc on the row, over its own span only.
		for _, d := range discs {
			dy := float64(y) - d.y
			if dy*dy >= d.rad*d.rad {
				continue
			}
			half := math.Sqrt(d.rad*d.rad - dy*dy)
			for x := max(0, int(d.x-half)); x < min(w, int(d.x+half)+1); x++ {
				dx := float64(x) - d.x
				if q := dx*dx + dy*dy; q < d.rad*d.rad {
					v[x] += d.dy * (1 - q/(d.rad*d.rad))
				}
			}
		}
		row := img.Y[y*img.YStride : y*img.YStride+w]
		for x := range w {
			// xorshift grain: cheaper than a rand call a pixel.
			state ^= state << 13
			state ^= state >> 7
			state ^= state << 17
			row[x] = clamp(v[x] + float64(int(state%uint64(2*grain+1))-grain))
		}
	}
	cb0, cr0 := 100+r.Float64()*56, 100+r.Float64()*56
	cb1, cr1 := 100+r.Float64()*56, 100+r.Float64()*56
	cw, ch := (w+1)/2, (h+1)/2
	for y := range ch {
		t := float64(y) / float64(ch)
		for x := range cw {
			s := float64(x) / float64(cw)
			i := y*img.CStride + x
			img.Cb[i] = clamp(cb0 + (cb1-cb0)*t + 6*math.Sin(s*9))
			img.Cr[i] = clamp(cr0 + (cr1-cr0)*s + 6*math.Cos(t*7))
		}
	}
	return img
}

func clamp(v float64) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
