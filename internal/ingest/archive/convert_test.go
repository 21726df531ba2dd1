package archive

import (
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/internal/markup"
)

// testImages brings in every image but those whose address says
// "missing", as /media/<file name>.
func testImages(calls *[]string) func(string) (string, error) {
	return func(src string) (string, error) {
		if calls != nil {
			*calls = append(*calls, src)
		}
		if strings.Contains(src, "missing") {
			return "", errors.New("not in --media")
		}
		return "/media/" + src[strings.LastIndex(src, "/")+1:], nil
	}
}

var testOptions = ConvertOptions{SiteURL: "https://example.com", Image: testImages(nil)}

// render converts and renders, failing the test on an error.
func render(t *testing.T, in string, opt ConvertOptions) (Converted, string) {
	t.Helper()
	c, err := Convert(in, opt)
	if err != nil {
		t.Fatalf("Convert(%q): %v", in, err)
	}
	out, err := markup.Render(c.Markdown)
	if err != nil {
		t.Fatalf("Render(%q): %v", c.Markdown, err)
	}
	return c, out
}

// fold folds white space, so that checks on rendered HTML do not depend
// on its new lines.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// The corpus: fragments of classic WordPress, block-editor and Ghost
// HTML, each with fragments its rendered HTML must (and must not) hold,
// and the notes it must give.
var convertTests = []struct {
	name       string
	in         string
	want       []string // in the rendered HTML, white space folded
	not        []string
	notes      []string // each a substring of one note
	exactNotes bool     // and no other notes
}{
	{
		name:  "a link to an uploaded file keeps its old address; a link to a post becomes a path",
		in:    `<p><a href="https://example.com/wp-content/uploads/2020/05/report.pdf">the report</a> and <a href="https://www.example.com/2020/05/story/">the story</a></p>`,
		want:  []string{`<a href="https://example.com/wp-content/uploads/2020/05/report.pdf" rel="noopener noreferrer">the report</a>`, `<a href="/2020/05/story/">the story</a>`},
		notes: []string{"file uploaded to the old site at its old address"},
	},
	{
		name:       "classic paragraphs, emphasis, links, line break",
		in:         `<p>One <b>bold</b>, <i>italic</i>, <del>gone</del> and <code>x := 1</code>.<br>Next line with <a href="https://example.org/a?b=1&amp;c=2" title="T">a link</a>.</p>`,
		want:       []string{"<strong>bold</strong>", "<em>italic</em>", "<del>gone</del>", "<code>x := 1</code>", "<br>", `<a href="https://example.org/a?b=1&amp;c=2" title="T" rel="noopener noreferrer">a link</a>`},
		exactNotes: true,
	},
	{
		name:       "headings keep their ranks",
		in:         `<h2>Top</h2><p>a</p><h3>Sub</h3><p>b</p><h4>Subsub</h4>`,
		want:       []string{"<h2>Top</h2>", "<h3>Sub</h3>", "<h4>Subsub</h4>"},
		exactNotes: true,
	},
	{
		name:       "nested lists stay tight; lists in a row stay apart",
		in:         `<ul><li>a<ul><li>a1</li><li>a2<ol><li>deep</li></ol></li></ul></li><li>b</li></ul><ul><li>c</li></ul><ol><li>one</li></ol><ol start="7"><li>seven</li></ol>`,
		want:       []string{"<ul> <li>a <ul> <li>a1</li> <li>a2 <ol> <li>deep</li> </ol> </li> </ul> </li> <li>b</li> </ul> <ul> <li>c</li> </ul>", "<ol> <li>one</li> </ol> <ol start=\"7\"> <li>seven</li> </ol>"},
		not:        []string{"<p>"},
		exactNotes: true,
	},
	{
		name: "table with alignment (block editor classes, style, align)",
		in:   `<table><thead><tr><th>Name</th><th class="has-text-align-center">Mid</th><th style="text-align: right">Votes</th></tr></thead><tbody><tr><td>A | B</td><td>x</td><td align="right">12</td></tr></tbody></table>`,
		want: []string{`<th>Name</th> <th align="center">Mid</th> <th align="right">Votes</th>`, `<td>A | B</td> <td align="center">x</td> <td align="right">12</td>`},
	},
	{
		name:  "a table cell holding a list keeps its text",
		in:    `<table><tr><th>Q</th><th>A</th></tr><tr><td>Who</td><td><ul><li>Ann</li><li><a href="https://example.org/bo">Bo</a></li></ul></td></tr><tr><td><p>One</p><p>Two</p></td><td>x<br>y</td></tr></table>`,
		want:  []string{"<td>Ann; <a href=\"https://example.org/bo\" rel=\"noopener noreferrer\">Bo</a></td>", "<td>One Two</td>", "<td>x y</td>"},
		notes: []string{"kept the text of 1 <table> cell holding a list", "kept the text of 1 <table> cell holding several paragraphs", "kept the text of 1 <table> cell holding a line break"},
	},
	{
		name:       "block-editor image with caption and credit",
		in:         `<figure class="wp-block-image size-large"><a href="https://example.com/wp-content/uploads/2019/05/a.jpg"><img src="https://example.com/wp-content/uploads/2019/05/a-1024x683.jpg" alt="A cat | asleep"/></a><figcaption>The <em>cat</em> | at rest <span class="image-credit"><span class="credit-label-wrapper">Credit:</span> Jane "J" Doe</span></figcaption></figure>`,
		want:       []string{`<figure><img src="/media/a-1024x683.jpg" alt="A cat | asleep" loading="lazy"><figcaption>The cat | at rest <small class="credit">Jane &#34;J&#34; Doe</small></figcaption></figure>`},
		exactNotes: true,
	},
	{
		name:       "classic [caption] as WordPress expands it",
		in:         `<div id="attachment_5" class="wp-caption aligncenter" style="width: 310px"><img class="size-medium" src="/wp-content/uploads/2012/01/b-300x200.jpg" alt="B" width="300" height="200" /><p class="wp-caption-text">Old caption</p></div>`,
		want:       []string{`<figure><img src="/media/b-300x200.jpg" alt="B" loading="lazy"><figcaption>Old caption</figcaption></figure>`},
		exactNotes: true,
	},
	{
		name: "a lone image in a paragraph is a figure; one in the text stays inline",
		in:   `<p><a href="https://example.com/wp-content/uploads/c.jpg"><img src="https://example.com/wp-content/uploads/c.jpg" alt="C"></a></p><p>Text <img src="d.png" alt="D"> more</p>`,
		want: []string{`<figure><img src="/media/c.jpg" alt="C" loading="lazy"></figure>`, `<p>Text <img src="/media/d.png" alt="D" loading="lazy"> more</p>`},
	},
	{
		name:  "an image that cannot be brought in becomes a link",
		in:    `<figure><img src="https://example.com/wp-content/uploads/missing.jpg" alt="Gone"><figcaption>Its caption</figcaption></figure>`,
		want:  []string{`<a href="https://example.com/wp-content/uploads/missing.jpg" rel="noopener noreferrer">Gone</a>`, "<p>Its caption</p>"},
		notes: []string{"image https://example.com/wp-content/uploads/missing.jpg not available (not in --media): kept as a link"},
	},
	{
		name: "classic gallery shortcode",
		in:   `<div id="gallery-1" class="gallery galleryid-5 gallery-columns-3"><figure class="gallery-item"><div class="gallery-icon landscape"><a href="x"><img src="/wp-content/uploads/g1-150x150.jpg" alt="G1"></a></div><figcaption class="wp-caption-text gallery-caption">First</figcaption></figure><figure class="gallery-item"><div class="gallery-icon"><a href="y"><img src="/wp-content/uploads/g2-150x150.jpg" alt="G2"></a></div></figure></div>`,
		want: []string{`<figure><img src="/media/g1-150x150.jpg" alt="G1" loading="lazy"><figcaption>First</figcaption></figure> <figure><img src="/media/g2-150x150.jpg" alt="G2" loading="lazy"></figure>`},
	},
	{
		name: "block gallery (5.x, list) with its own caption",
		in:   `<figure class="wp-block-gallery columns-2"><ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure><img src="/wp-content/uploads/h1.jpg" alt="H1"/><figcaption class="blocks-gallery-item__caption">One</figcaption></figure></li><li class="blocks-gallery-item"><figure><img src="/wp-content/uploads/h2.jpg" alt="H2"/></figure></li></ul><figcaption class="blocks-gallery-caption">Both</figcaption></figure>`,
		want: []string{`<figure><img src="/media/h1.jpg" alt="H1" loading="lazy"><figcaption>One</figcaption></figure> <figure><img src="/media/h2.jpg" alt="H2" loading="lazy"></figure> <p>Both</p>`},
	},
	{
		name: "Ghost image card and gallery card",
		in:   `<figure class="kg-card kg-image-card kg-card-hascaption"><img src="__GHOST_URL__/content/images/2021/05/k.jpg" class="kg-image" alt="K" loading="lazy" srcset="x 600w"><figcaption>Ghost <a href="https://example.org">caption</a></figcaption></figure><figure class="kg-card kg-gallery-card kg-width-wide"><div class="kg-gallery-container"><div class="kg-gallery-row"><div class="kg-gallery-image"><img src="https://example.com/content/images/2021/05/g1.jpg" alt=""></div><div class="kg-gallery-image"><img src="https://example.com/content/images/2021/05/g2.jpg" alt=""></div></div></div></figure>`,
		want: []string{`<figure><img src="/media/k.jpg" alt="K" loading="lazy"><figcaption>Ghost caption</figcaption></figure>`, `<figure><img src="/media/g1.jpg" alt="" loading="lazy"></figure> <figure><img src="/media/g2.jpg" alt="" loading="lazy"></figure>`},
	},
	{
		// Ghost's own HTML gives a bookmark card the other site's icon and
		// picture: two images, which must not make it a gallery and lose
		// the link, its title and its description.
		name:       "Ghost bookmark card with icon and thumbnail, and a caption",
		in:         `<p>Before.</p><figure class="kg-card kg-bookmark-card kg-card-hascaption"><a class="kg-bookmark-container" href="https://example.org/guide/"><div class="kg-bookmark-content"><div class="kg-bookmark-title">The harbour guide</div><div class="kg-bookmark-description">Tides, berths and fees.</div><div class="kg-bookmark-metadata"><img class="kg-bookmark-icon" src="https://example.org/icon.png"><span class="kg-bookmark-author">Harbour Office</span></div></div><div class="kg-bookmark-thumbnail"><img src="https://example.org/card.png"></div></a><figcaption>Worth a read</figcaption></figure><p>After.</p>`,
		want:       []string{`<p><a href="https://example.org/guide/" rel="noopener noreferrer">The harbour guide</a></p> <p>Tides, berths and fees.</p> <p>Worth a read</p> <p>After.</p>`},
		not:        []string{"<img", "icon.png", "card.png", "<figure"},
		notes:      []string{"dropped the other site's pictures of 1 bookmark card (kept the link)"},
		exactNotes: true,
	},
	{
		name:       "attributed quotes: cite, pullquote, dash paragraph",
		in:         `<blockquote class="wp-block-quote"><p>We will not stop.</p><cite>Vladimir <em>Putin</em></cite></blockquote><figure class="wp-block-pullquote"><blockquote><p>Pulled.</p><cite>Ann</cite></blockquote></figure><blockquote><p>Said it.</p><p>-- John Smith, minister</p></blockquote><blockquote><p>Plain quote.</p></blockquote>`,
		want:       []string{`<blockquote class="quote"> <p>We will not stop.</p> <footer>— Vladimir Putin</footer> </blockquote>`, `<blockquote class="quote"> <p>Pulled.</p> <footer>— Ann</footer> </blockquote>`, `<footer>— John Smith, minister</footer>`, `<blockquote> <p>Plain quote.</p> </blockquote>`},
		exactNotes: true,
	},
	{
		name: "embeds: URL paragraph, core/embed, iframes, tweet, Instagram, TikTok",
		in: `<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>
<figure class="wp-block-embed is-provider-vimeo"><div class="wp-block-embed__wrapper">
https://vimeo.com/76979871
</div><figcaption>A film</figcaption></figure>
<p><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" allowfullscreen></iframe></p>
<iframe src="https://player.vimeo.com/video/76979871?h=abc"></iframe>
<iframe src="https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC"></iframe>
<iframe src="https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/artist/track-name&amp;color=ff5500"></iframe>
<blockquote class="twitter-tweet"><p lang="en">Hello</p>&mdash; NASA (@NASA) <a href="https://twitter.com/NASA/status/1234567890?ref_src=twsrc%5Etfw">May 1, 2019</a></blockquote><script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>
<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/B1a2c3D4e5F/?utm_source=ig_embed" data-instgrm-version="14"><div><a href="https://www.instagram.com/p/B1a2c3D4e5F/">View</a></div></blockquote>
<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@user/video/7012345678901234567" data-video-id="7012345678901234567"><section>tt</section></blockquote>
<iframe src="https://ads.example.org/frame"></iframe><iframe src="https://ads.example.org/other"></iframe>`,
		want: []string{
			`data-embed="youtube"`, `data-embed="vimeo"`, `data-embed="spotify"`, `data-embed="soundcloud"`, `data-embed="x"`, `data-embed="instagram"`, `data-embed="tiktok"`,
			"<p>A film</p>",
		},
		not:   []string{"<iframe", "<script", "ads.example.org"},
		notes: []string{"dropped 2 <iframe> elements from ads.example.org (not a known embed)", "dropped 1 <script>"},
	},
	{
		// WordPress shows an embed it cannot load as a link; as bare
		// text the address would not even be one.
		name: "an embed block or a lone address of no known provider is a link",
		in: `<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">
https://example.org/a-page
</div></figure>
<p>https://social.example/someone</p>
<p><a href="https://example.net/x">https://example.net/x</a></p>`,
		want:       []string{`<a href="https://example.org/a-page" rel="noopener noreferrer">https://example.org/a-page</a>`, `<a href="https://social.example/someone" rel="noopener noreferrer">https://social.example/someone</a>`, `<a href="https://example.net/x" rel="noopener noreferrer">https://example.net/x</a>`},
		not:        []string{"<p>https://"},
		notes:      []string{"kept 2 addresses that are not known embeds as links"},
		exactNotes: true,
	},
	{
		// The cover-image block (and cover before WordPress 5.7) paints
		// its picture with the style attribute, which is dropped.
		name: "a cover block's background picture is brought in before its words",
		in:   `<div class="wp-block-cover-image has-background-dim" style="background-image:url('https://example.com/wp-content/uploads/2018/10/harbour.jpg');"><p class="wp-block-cover-image-text">Boats at <em>dawn</em>.</p></div><div class="wp-block-cover"><img class="wp-block-cover__image-background" src="https://example.com/wp-content/uploads/quay.jpg" alt="Quay"><div class="wp-block-cover__inner-container"><p>Newer cover.</p></div></div>`,
		want: []string{`<figure><img src="/media/harbour.jpg" alt="" loading="lazy"></figure> <p>Boats at <em>dawn</em>.</p>`, `<img src="/media/quay.jpg" alt="Quay" loading="lazy">`, "Newer cover."},
		not:  []string{"background-image", "harbour.jpg\" alt=\"\" loading=\"lazy\"></figure> <figure><img src=\"/media/harbour.jpg"},
	},
	{
		name:  "footnotes: WordPress core/footnotes",
		in:    `<h2>Part</h2><p>Claim<sup data-fn="a1" class="fn"><a href="#a1" id="a1-link">1</a></sup> and another<sup data-fn="b2" class="fn"><a href="#b2" id="b2-link">2</a></sup>.</p><ol class="wp-block-footnotes"><li id="a1">First <em>note</em>. <a href="#a1-link" aria-label="Jump to footnote reference 1">↩︎</a></li><li id="b2">Second. <a href="#b2-link">↩︎</a></li></ol><p>After.</p>`,
		want:  []string{"<p>Claim[1] and another[2].</p>", "<p>After.</p> <h2>Notes</h2> <ol> <li>First <em>note</em>.</li> <li>Second.</li> </ol>"},
		not:   []string{"↩"},
		notes: []string{"made 2 footnotes a numbered list under “Notes” at the end"},
	},
	{
		name: "footnotes: Markdown processors (Ghost, Jetpack)",
		in:   `<p>Text<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup> and<sup id="fnref:2"><a href="#fn:2" class="footnote" rel="footnote">2</a></sup>.</p><hr class="footnotes-sep"><section class="footnotes"><ol class="footnotes-list"><li id="fn1" class="footnote-item"><p>Ghost note <a href="#fnref1" class="footnote-backref">↩︎</a></p></li></ol></section><div class="footnotes"><hr /><ol><li id="fn:2"><p>Jetpack note&#160;<a href="#fnref:2" class="reversefootnote">&#8617;</a></p></li></ol></div>`,
		want: []string{"<p>Text[1] and[2].</p>", "<p>Text[1] and[2].</p> <h2>Notes</h2> <ol> <li>Ghost note</li> <li>Jetpack note</li> </ol>"},
		not:  []string{"↩", "fnref", "<hr>"},
	},
	{
		name:       "links to the old site become site paths",
		in:         `<p><a href="https://example.com/2019/05/a/">a</a> <a href="http://www.example.com/?p=12">b</a> <a href="//example.com/tag/x/#top">c</a> <a href="https://example.com.evil.org/x">d</a> <a href="/about/">e</a> <a href="mailto:ed@example.com">f</a></p>`,
		want:       []string{`<a href="/2019/05/a/">a</a>`, `<a href="/?p=12">b</a>`, `<a href="/tag/x/#top">c</a>`, `<a href="https://example.com.evil.org/x" rel="noopener noreferrer">d</a>`, `<a href="/about/">e</a>`, `<a href="mailto:ed@example.com">f</a>`},
		exactNotes: true,
	},
	{
		name: "what cannot be kept is counted",
		in:   `<form action="/x"><input name="q"><button>Go</button></form><p>x<sup>2</sup> and <a href="tel:+123">call</a></p><video src="/wp-content/uploads/v.mp4" controls></video><style>p{}</style><style>b{}</style>`,
		want: []string{"<p>x2 and call</p>", `<a href="https://example.com/wp-content/uploads/v.mp4" rel="noopener noreferrer">Video: v.mp4</a>`},
		not:  []string{"<form", "<input", "<video"},
		notes: []string{"dropped 1 <form>", "dropped 2 <style> elements", "kept the text of 1 <sup> as plain text",
			"kept the words of 1 link to a tel: address, without the link", "kept 1 <video> as a link to its file"},
		exactNotes: true,
	},
}

func TestConvert(t *testing.T) {
	for _, tt := range convertTests {
		t.Run(tt.name, func(t *testing.T) {
			c, out := render(t, tt.in, testOptions)
			got := fold(out)
			for _, w := range tt.want {
				if !strings.Contains(got, fold(w)) {
					t.Errorf("rendered HTML lacks %s\nMarkdown:\n%s\nHTML:\n%s", w, c.Markdown, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) || strings.Contains(c.Markdown, w) {
					t.Errorf("output holds %s\nMarkdown:\n%s\nHTML:\n%s", w, c.Markdown, got)
				}
			}
			for _, w := range tt.notes {
				found := false
				for _, n := range c.Notes {
					found = found || strings.Contains(n, w)
				}
				if !found {
					t.Errorf("no note says %q; notes: %q", w, c.Notes)
				}
			}
			if tt.exactNotes && len(c.Notes) != len(tt.notes) {
				t.Errorf("notes = %q, want only %q", c.Notes, tt.notes)
			}
		})
	}
}

// TestConvertEscaping checks the library's Markdown escaping against our
// renderer: text that looks like Markdown must come back as that text.
func TestConvertEscaping(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`<p>*not em* and _not em_ and **not strong**</p>`, `<p>*not em* and _not em_ and **not strong**</p>`},
		{`<p># not a heading</p>`, `<p># not a heading</p>`},
		{`<p>1. not a list</p>`, `<p>1. not a list</p>`},
		{`<p>- not a list</p>`, `<p>- not a list</p>`},
		{`<p>&gt; not a quote</p>`, `<p>&gt; not a quote</p>`},
		{`<p>a &lt;b&gt; tag &lt;script&gt;alert(1)&lt;/script&gt;</p>`, `<p>a &lt;b&gt; tag &lt;script&gt;alert(1)&lt;/script&gt;</p>`},
		{`<p>&amp;copy; and &amp;#169; stay</p>`, `<p>&amp;copy; and &amp;#169; stay</p>`},
		{`<p>[not](a link) and ![not](an image)</p>`, `<p>[not](a link) and ![not](an image)</p>`},
		{"<p>`not code`</p>", "<p>`not code`</p>"},
		{`<p>~~not struck~~</p>`, `<p>~~not struck~~</p>`},
		{`<p>back\slash\*</p>`, `<p>back\slash\*</p>`},
		{`<table><tr><th>a|b</th><th>*c*</th></tr><tr><td>1 | 2</td><td>&lt;x&gt;</td></tr></table>`, `<th>a|b</th> <th>*c*</th>`},
		{`<table><tr><th>h</th></tr><tr><td>1 | 2</td></tr></table>`, `<td>1 | 2</td>`},
		{`<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ is a link in a sentence</p>`, `<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ is a link in a sentence</p>`},
		{`<h2>Heading with # and *</h2>`, `<h2>Heading with # and *</h2>`},
		// (Dashes in text are the typographer's: "---" renders as a dash.)
		{`<p>a line<br>--- not a rule</p>`, `<br> -– not a rule</p>`},
		{`<p>Setext?<br>===</p>`, `===</p>`},
	} {
		c, out := render(t, tt.in, testOptions)
		if !strings.Contains(fold(out), fold(tt.want)) {
			t.Errorf("Convert(%s) = %q, renders %q; want %s", tt.in, c.Markdown, out, tt.want)
		}
	}
}

// hostileHTML are bodies written to get something past the conversion:
// each must render safely (checked by safe).
var hostileHTML = []string{
	`<script>alert(1)</script><p onclick="alert(1)">x</p>`,
	`<img src="x" onerror="alert(1)"><img src="javascript:alert(1)" alt="j"><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="d">`,
	`<a href="javascript:alert(1)">j</a><a href="JaVaScRiPt:alert(1)">k</a><a href=" java	script:alert(1)">l</a><a href="vbscript:x">v</a><a href="data:text/html,<script>alert(1)</script>">d</a>`,
	`<style>body{background:url(https://evil.example/x)}</style><p style="background:url(https://evil.example/y)">s</p>`,
	`<svg onload="alert(1)"><script>alert(2)</script><image href="https://evil.example/i.png"/></svg><math><mtext><img src=x onerror=alert(3)></mtext></math>`,
	`<iframe src="https://evil.example/"><iframe src="https://evil.example/inner"></iframe></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><link rel="stylesheet" href="https://evil.example/s.css">`,
	`<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;img src=x onerror=alert(1)&amp;gt; &#x3C;iframe&#x3E;</p>`,
	`<p>[click](javascript:alert(1)) ![x](https://evil.example/p.png) <https://evil.example/>" onmouseover="alert(1)</p>`,
	`<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf"><applet code="x"></applet>`,
	`<img src="https://evil.example/track.gif" alt="tracker"><img src="//evil.example/p.gif">`,
	`<a href="https://example.com/x" onclick="alert(1)"><img src="/wp-content/uploads/x.jpg" onerror="alert(1)" alt="x"></a>`,
	`<blockquote class="twitter-tweet"><a href="javascript:alert(1)">x</a></blockquote><div class="fb-post" data-href="javascript:alert(1)"></div>`,
	`<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ"onmouseover="alert(1)</p><iframe src="https://www.youtube.com/embed/x&quot;onload=&quot;alert(1)"></iframe>`,
	`<table><tr><td><script>alert(1)</script><iframe src="https://evil.example"></iframe></td></tr></table>`,
	`<p>` + "\x07*\x07_\uF002# x\x00y" + `</p><figure><img src="/a.jpg" alt="a\x07]" title="t"><figcaption>c" onerror="alert(1)</figcaption></figure>`,
	`<form action="https://evil.example"><input type="password"><button formaction="javascript:alert(1)">go</button></form>`,
	`<noscript><img src="https://evil.example/n.gif"></noscript><template><script>alert(1)</script></template>`,
	`<video src="javascript:alert(1)" poster="https://evil.example/p.jpg"></video><audio src="https://evil.example/a.mp3"></audio>`,
}

// safe reports what in a rendered body could run, load or leave the site
// on load.
func safe(t *testing.T, in, md, out string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parsing the output of %q: %v", in, err)
	}
	allowed := map[string]bool{
		"html": true, "head": true, "body": true,
		"p": true, "br": true, "hr": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"em": true, "strong": true, "del": true, "code": true, "pre": true, "ul": true, "ol": true, "li": true,
		"blockquote": true, "footer": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
		"figure": true, "figcaption": true, "small": true, "a": true, "img": true, "button": true,
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if !allowed[n.Data] {
				t.Errorf("%q renders a <%s>:\n%s\n%s", in, n.Data, md, out)
			}
			for _, a := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(a.Key, "on"), a.Key == "style", a.Key == "srcdoc":
					t.Errorf("%q renders %s=%q on <%s>", in, a.Key, a.Val, n.Data)
				case a.Key == "src" && (!strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//")):
					t.Errorf("%q renders an image from %q", in, a.Val)
				case a.Key == "href" && !safeHref(v):
					t.Errorf("%q renders a link to %q", in, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// safeHref reports whether a link goes to a web page or a mail address:
// a relative address, or http, https or mailto.
func safeHref(v string) bool {
	i := strings.IndexAny(v, ":/?#")
	if i < 0 || v[i] != ':' {
		return true
	}
	switch v[:i] {
	case "http", "https", "mailto":
		return true
	}
	return false
}

func TestConvertHostile(t *testing.T) {
	for _, in := range hostileHTML {
		var calls []string
		c, out := render(t, in, ConvertOptions{SiteURL: "https://example.com", Image: testImages(&calls)})
		safe(t, in, c.Markdown, out)
		for _, src := range calls {
			if !strings.HasPrefix(src, "https://") && !strings.HasPrefix(src, "http://") {
				t.Errorf("%q: Image called with %q", in, src)
			}
		}
		if strings.Contains(in, "<script") && len(c.Notes) == 0 {
			t.Errorf("%q: dropped its script without a note", in)
		}
	}
}

// TestConvertImageCalls checks what Image is given: absolute addresses
// against the site, or site paths without one, and each address once.
func TestConvertImageCalls(t *testing.T) {
	in := `<p><img src="/wp-content/uploads/a.jpg" alt="a"></p><p>x <img src="b.jpg"> <img src="/wp-content/uploads/a.jpg"></p><img src="https://cdn.example.net/c.jpg">`
	var calls []string
	Convert(in, ConvertOptions{SiteURL: "https://example.com/blog/", Image: testImages(&calls)})
	want := []string{"https://example.com/wp-content/uploads/a.jpg", "https://example.com/blog/b.jpg", "https://cdn.example.net/c.jpg"}
	if strings.Join(calls, " ") != strings.Join(want, " ") {
		t.Errorf("with a site: Image called with %q, want %q", calls, want)
	}
	calls = nil
	Convert(in, ConvertOptions{Image: testImages(&calls)})
	want = []string{"/wp-content/uploads/a.jpg", "/b.jpg", "https://cdn.example.net/c.jpg"}
	if strings.Join(calls, " ") != strings.Join(want, " ") {
		t.Errorf("without a site: Image called with %q, want %q", calls, want)
	}

	// An Image that answers something not on this site is not believed.
	c, out := render(t, `<p><img src="/x.jpg" alt="x"></p>`, ConvertOptions{Image: func(string) (string, error) { return "https://evil.example/x.jpg", nil }})
	if strings.Contains(out, "evil") || len(c.Notes) != 1 {
		t.Errorf("Image answering a foreign address: %q, notes %q", out, c.Notes)
	}
}

func TestConvertPost(t *testing.T) {
	in, err := os.ReadFile("testdata/post.html")
	if err != nil {
		t.Fatal(err)
	}
	c, out := render(t, string(in), testOptions)
	got := fold(out)
	for _, w := range []string{
		`<a href="/2019/05/bridge/">old bridge</a>`,
		`<figcaption>The old bridge at dusk. <small class="credit">Jane Doe</small></figcaption>`,
		`<h2>What changes</h2>`,
		`<footer>— Mayor Anna Kovalenko</footer>`,
		`<th align="right">For</th>`,
		`data-embed="youtube"`,
		`<img src="/media/b.jpg" alt="Site B" loading="lazy">`,
		`lifeline.[1]`,
		`<h2>Notes</h2> <ol> <li>Council minutes, 14 May 2019.</li> </ol>`,
	} {
		if !strings.Contains(got, fold(w)) {
			t.Errorf("rendered post lacks %s\n%s", w, c.Markdown)
		}
	}
	if len(c.Notes) != 1 {
		t.Errorf("notes = %q, want only the footnotes'", c.Notes)
	}
}

func FuzzConvert(f *testing.F) {
	for _, tt := range convertTests {
		f.Add(tt.in)
	}
	for _, in := range hostileHTML {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 64<<10 {
			return
		}
		c, err := Convert(in, testOptions)
		if err != nil {
			t.Fatalf("Convert(%q): %v", in, err)
		}
		out, err := markup.Render(c.Markdown)
		if err != nil {
			t.Fatalf("Render(Convert(%q) = %q): %v", in, c.Markdown, err)
		}
		safe(t, in, c.Markdown, out)
	})
}

// BenchmarkConvert converts a typical post: some 1,500 words with three
// images, a quote, a list, a table, an embed and a footnote.
func BenchmarkConvert(b *testing.B) {
	post, err := os.ReadFile("testdata/post.html")
	if err != nil {
		b.Fatal(err)
	}
	// testdata/post.html is some 400 words; its paragraphs again make
	// it 1,500.
	var body strings.Builder
	body.Write(post)
	para := `<p>The council will meet again next month to approve the contractor. Residents can follow the work on the <a href="https://example.com/bridge/">city's website</a>, which will publish a <em>weekly report</em> with photos and the budget spent so far, and answer questions from readers.</p>` + "\n"
	for range 34 {
		body.WriteString(para)
	}
	in := body.String()
	if n := len(strings.Fields(in)); n < 1500 {
		b.Fatalf("the post has %d words", n)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Convert(in, testOptions); err != nil {
			b.Fatal(err)
		}
	}
}
