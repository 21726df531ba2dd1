package wordpress

import (
	"reflect"
	"strings"
	"testing"
)

func TestConvertBody(t *testing.T) {
	ex := newExport()
	ex.attachments["5"] = &attachment{id: "5", url: "https://s.example/a.jpg", alt: `Say "cheese"`, caption: "A <em>caption</em>"}
	cases := []struct {
		name, in, want string
		notes          []string
	}{
		{"paragraphs and line breaks",
			"One\ntwo\n\nThree", "<p>One<br>\ntwo</p>\n<p>Three</p>", nil},
		{"CRLF",
			"One\r\n\r\nTwo", "<p>One</p>\n<p>Two</p>", nil},
		{"no breaks inside a list or a table",
			"<ul>\n<li>a\nb</li>\n</ul>\n<table>\n<tr><td>x\n\ny</td></tr>\n</table>",
			"<ul>\n<li>a\nb</li>\n</ul>\n<table>\n<tr><td>x\n\ny</td></tr>\n</table>", nil},
		{"no break inside a tag",
			"<a\nhref=\"x\">link</a> text", "<p><a\nhref=\"x\">link</a> text</p>", nil},
		{"heading splits paragraphs",
			"Intro\n<h2>Head</h2>\nMore", "<p>Intro</p>\n<h2>Head</h2>\n<p>More</p>", nil},
		{"div holds paragraphs",
			"<div class=\"box\">A\n\nB</div>", "<div class=\"box\">\n<p>A</p>\n<p>B</p>\n</div>", nil},
		{"unclosed block",
			"<div>open\n\nrest", "<div>\n<p>open</p>\n<p>rest</p>", nil},
		{"a < b is text",
			"a < b\n\nc", "<p>a < b</p>\n<p>c</p>", nil},
		{"caption with attribute text (WordPress 2.x)",
			`[caption id="attachment_5" caption="Old style"]<img src="a.jpg" alt="">[/caption]`,
			"<figure><img src=\"a.jpg\" alt=\"\"><figcaption>Old style</figcaption></figure>", nil},
		{"caption without image",
			`[caption]Just words[/caption]`, "<p>Just words</p>", nil},
		{"gallery by ids escapes attributes",
			`[gallery ids="5"]`,
			"<div class=\"gallery\">\n<figure><img src=\"https://s.example/a.jpg\" alt=\"Say &#34;cheese&#34;\"><figcaption>A <em>caption</em></figcaption></figure>\n</div>", nil},
		{"empty gallery",
			`Before [gallery] after`, "<p>Before  after</p>", []string{"dropped a [gallery] with no images in the export"}},
		{"embed shortcode inline",
			"Watch [embed]https://youtu.be/x[/embed] now",
			"<p>Watch</p>\n<p>https://youtu.be/x</p>\n<p>now</p>", nil},
		{"bare URL inside a paragraph's lines",
			"Look:\nhttps://vimeo.com/1\nNice", "<p>Look:</p>\n<p>https://vimeo.com/1</p>\n<p>Nice</p>", nil},
		{"URL with text is not an embed",
			"See https://example.com/x for more", "<p>See https://example.com/x for more</p>", nil},
		{"URL in pre stays",
			"<pre>\nhttps://example.com/x\n</pre>", "<pre>\nhttps://example.com/x\n</pre>", nil},
		{"audio by format attribute",
			`[audio mp3="https://s.example/a.mp3"][/audio]`,
			`<p><a href="https://s.example/a.mp3">https://s.example/a.mp3</a></p>`,
			[]string{"the [audio] shortcode became a link to its file, https://s.example/a.mp3"}},
		{"nested unknown shortcodes keep their text",
			`[tabs][tab title="One"]First[/tab][/tabs]`, "<p>First</p>",
			[]string{"dropped the [tabs] shortcode", "dropped the [tab] shortcode"}},
		{"self-closing unknown",
			`Ad: [adrotate banner="4" /] end`, "<p>Ad:  end</p>", []string{"dropped the [adrotate] shortcode"}},
		{"brackets in prose and attributes stay",
			`He said [sic] it, see [1]. <a title="[x y=z]">ok</a>`,
			`<p>He said [sic] it, see [1]. <a title="[x y=z]">ok</a></p>`, nil},
		{"unclosed bracket",
			`[gallery ids="5"`, `<p>[gallery ids="5"</p>`, nil},
		{"block markup gets no automatic paragraphs",
			"<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:spacer {\"height\":\"20px\"} /-->\n\n<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>a\n\nb</code></pre>\n<!-- /wp:code -->",
			"<p>One\ntwo</p>\n\n<pre class=\"wp-block-code\"><code>a\n\nb</code></pre>", nil},
		{"embed block without closer",
			"<!-- wp:embed {\"url\":\"https://x.example/v\"} /-->", "<p>https://x.example/v</p>", nil},
		{"embed block with no url",
			"<!-- wp:embed -->\n<figure></figure>\n<!-- /wp:embed -->\n<!-- wp:paragraph --><p>after</p><!-- /wp:paragraph -->",
			"<p>after</p>", []string{"dropped an embed block with no address"}},
		{"Jetpack's provider shortcodes: address, = form, id, url attribute, content",
			"[youtube https://www.youtube.com/watch?v=abcDEF12345]\n\n[youtube=http://www.youtube.com/watch?v=abcDEF12345&amp;w=425]\n\n[vimeo 141358]\n\n[tweet 20]\n\n[soundcloud url=\"https://soundcloud.com/a/b\" params=\"x\"]\n\n[spotify id=\"spotify:album:3qg7pF\"]\n\n[instagram]https://www.instagram.com/p/B1a2c3D4e5F/[/instagram]\n\n[youtube]",
			"<p>https://www.youtube.com/watch?v=abcDEF12345</p>\n<p>http://www.youtube.com/watch?v=abcDEF12345&amp;w=425</p>\n<p>https://vimeo.com/141358</p>\n<p>https://twitter.com/i/status/20</p>\n<p>https://soundcloud.com/a/b</p>\n<p>https://open.spotify.com/album/3qg7pF</p>\n<p>https://www.instagram.com/p/B1a2c3D4e5F/</p>",
			[]string{"dropped the [youtube] shortcode, which had no address"}},
		{"a provider shortcode in a shortcode block",
			"<!-- wp:shortcode -->\n[youtube https://www.youtube.com/watch?v=abcDEF12345]\n<!-- /wp:shortcode -->",
			"<p>https://www.youtube.com/watch?v=abcDEF12345</p>", nil},
		{"blocks WordPress drew from its data are named; layout-only ones are not",
			"<!-- wp:heading -->\n<h2>Latest</h2>\n<!-- /wp:heading -->\n<!-- wp:latest-posts /-->\n<!-- wp:archives {\"displayAsDropdown\":true} /-->\n<!-- wp:latest-posts {\"postsToShow\":3} /-->\n<!-- wp:block {\"ref\":42} /-->\n<!-- wp:spacer /-->\n<!-- wp:newspack-blocks/homepage-articles {\"postsToShow\":4} /-->",
			"<h2>Latest</h2>",
			[]string{"dropped 2 wp:latest-posts blocks: WordPress drew them from the old site's data when the page was shown, and the export holds nothing of them",
				"dropped 1 wp:archives block: WordPress drew it from the old site's data when the page was shown, and the export holds nothing of it",
				"dropped 1 reusable block (wp:block): its content is kept apart from the post, and was not imported",
				"dropped 1 wp:newspack-blocks/homepage-articles block: WordPress drew it from the old site's data when the page was shown, and the export holds nothing of it"}},
		{"embed URL is escaped",
			"<!-- wp:embed {\"url\":\"https://x.example/?a=1\\u0026b=\\u003cscript\\u003e\"} -->\n<figure>x</figure>\n<!-- /wp:embed -->",
			"<p>https://x.example/?a=1&amp;b=&lt;script&gt;</p>", nil},
	}
	for _, c := range cases {
		b := &bodyConverter{ex: ex, postID: "1"}
		got := b.convert(c.in)
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		if !reflect.DeepEqual(b.notes, c.notes) {
			t.Errorf("%s: notes %q, want %q", c.name, b.notes, c.notes)
		}
	}
}

func TestConvertHostileNestingIsLinear(t *testing.T) {
	// Deep nesting and many unclosed blocks: must finish quickly (a
	// quadratic scan of 400 KB would take minutes), and keep every tag.
	for _, in := range []string{
		strings.Repeat("<div>", 100000) + "x",
		strings.Repeat("<p>a\n", 100000),
		strings.Repeat("[a b=1]", 50000),
		strings.Repeat("<!-- wp:group -->", 50000),
	} {
		b := &bodyConverter{ex: newExport()}
		out := b.convert(in)
		if strings.Count(out, "<div>") != strings.Count(in, "<div>") {
			t.Errorf("lost tags: %d of %d", strings.Count(out, "<div>"), strings.Count(in, "<div>"))
		}
	}
}

func TestConvertUnfinishedTags(t *testing.T) {
	// A "<pre" that never closes once sent the embed scan round forever.
	for _, in := range []string{"</x>\n<pre\nhttps://a.example/", "<code", "<pre>\nhttps://a.example/", "<script>x</scrip"} {
		b := &bodyConverter{ex: newExport()}
		out := b.convert(in)
		if strings.Contains(in, "a.example") && !strings.Contains(out, "https://a.example/") {
			t.Errorf("convert(%q) = %q lost the address", in, out)
		}
	}
}

func TestSEOTemplate(t *testing.T) {
	cases := []struct{ tmpl, want string }{
		{"", ""},
		{"A title of its own", "A title of its own"},
		{"%%title%% %%sep%% %%sitename%%", "Bridge vote"},
		{"%%title%% %%page%% %%sep%% %%sitename%%", "Bridge vote"},
		{"%%sitename%% | %%title%%", "Bridge vote"},
		{"%title% - %sitename%", "Bridge vote"},
		{"Breaking: %%title%%", "Breaking: Bridge vote"},
		{"%%title%% %%primary_category%%", ""},
		{"%%excerpt%%", "Seven to two"},
		{"50% off and 20% more", "50% off and 20% more"},
		{"%%cf_custom%%", ""},
	}
	for _, c := range cases {
		if got := seoTemplate(c.tmpl, "Bridge vote", "Seven to two"); got != c.want {
			t.Errorf("seoTemplate(%q) = %q, want %q", c.tmpl, got, c.want)
		}
	}
}

func TestPHPImageMetaCredit(t *testing.T) {
	cases := []struct{ meta, want string }{
		{`a:2:{s:5:"width";i:10;s:10:"image_meta";a:2:{s:6:"credit";s:3:"AFP";s:7:"caption";s:0:"";}}`, "AFP"},
		// The length counts bytes, and the value may hold quotes.
		{`a:1:{s:10:"image_meta";a:1:{s:6:"credit";s:10:"Zoë "Z" K";}}`, `Zoë "Z" K`},
		{`a:1:{s:10:"image_meta";a:1:{s:6:"credit";s:0:"";}}`, ""},
		{`a:1:{s:10:"image_meta";a:1:{s:6:"credit";s:99:"short";}}`, ""},
		{`a:1:{s:6:"credit";s:3:"AFP";}`, ""},
		{``, ""},
	}
	for _, c := range cases {
		if got := phpImageMetaCredit(c.meta); got != c.want {
			t.Errorf("phpImageMetaCredit(%q) = %q, want %q", c.meta, got, c.want)
		}
	}
}
