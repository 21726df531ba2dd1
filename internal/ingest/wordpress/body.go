package wordpress

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
)

// bodyConverter turns a post's content:encoded into the plain HTML
// WordPress would have shown: block comments gone, embeds as their
// address alone in a paragraph, shortcodes expanded, automatic
// paragraphs made. What it leaves behind it says in notes.
type bodyConverter struct {
	ex     *export
	postID string
	notes  []string
	noted  map[string]bool
}

func (b *bodyConverter) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if b.noted == nil {
		b.noted = map[string]bool{}
	}
	if !b.noted[n] {
		b.noted[n] = true
		b.notes = append(b.notes, n)
	}
}

func (b *bodyConverter) convert(content string) string {
	content = strings.ReplaceAll(content, "\r\n", "\n")
	content = strings.ReplaceAll(content, "\r", "\n")
	if strings.Contains(content, "<!-- wp:") {
		content = b.blocks(content)
		content = b.shortcodes(content, 0)
		return strings.TrimSpace(extraBlankLines.ReplaceAllString(content, "\n\n"))
	}
	content = autoEmbeds(content)
	content = b.shortcodes(content, 0)
	return strings.TrimSpace(autop(content))
}

// blockCommentRE is a block delimiter of the block editor:
// <!-- wp:name {"json":"attrs"} -->, its closer <!-- /wp:name -->, or a
// block with no inner HTML, <!-- wp:name /-->. The JSON never holds
// "-->": WordPress escapes "-" and "<" in block attributes.
var blockCommentRE = regexp.MustCompile(`<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+(?:(\{(?s:.*?)\})\s+)?(/)?-->`)

// blocks drops the block editor's delimiters and keeps each block's
// HTML, except for embeds: an embed block's HTML is the provider's
// wrapper, and what matters is its address, kept as <p>URL</p> (with the
// caption, if it had one, in a paragraph after it).
func (b *bodyConverter) blocks(s string) string {
	var out strings.Builder
	last := 0
	skipUntil := -1 // in an embed: the nesting depth whose closer ends it
	depth := 0
	var embedCaption string
	var drawn []string // void blocks WordPress drew when the page was shown, by name, in order
	drawnCount := map[string]int{}
	for _, m := range blockCommentRE.FindAllStringSubmatchIndex(s, -1) {
		closer := m[2] >= 0
		name := s[m[4]:m[5]]
		void := m[8] >= 0
		if skipUntil < 0 {
			out.WriteString(s[last:m[0]])
		} else if closer && depth-1 == skipUntil {
			if c := embedCaptionRE.FindStringSubmatch(s[last:m[0]]); c != nil {
				embedCaption = strings.TrimSpace(c[1])
			}
		}
		last = m[1]
		switch {
		case void:
			if skipUntil < 0 && isEmbedBlock(name) {
				b.embedBlock(&out, s, m, "")
			} else if skipUntil < 0 && !layoutOnly[strings.TrimPrefix(name, "core/")] {
				if drawnCount[name] == 0 {
					drawn = append(drawn, name)
				}
				drawnCount[name]++
			}
		case closer:
			depth--
			if skipUntil >= 0 && depth == skipUntil {
				skipUntil = -1
				if embedCaption != "" {
					out.WriteString("\n<p>" + embedCaption + "</p>\n")
					embedCaption = ""
				}
			}
		default:
			if skipUntil < 0 && isEmbedBlock(name) {
				b.embedBlock(&out, s, m, "")
				skipUntil = depth
				embedCaption = ""
			}
			depth++
		}
	}
	if skipUntil < 0 {
		out.WriteString(s[last:])
	}
	for _, name := range drawn {
		n, what, it := drawnCount[name], "blocks", "them"
		if n == 1 {
			what, it = "block", "it"
		}
		if strings.TrimPrefix(name, "core/") == "block" {
			b.note("dropped %d reusable %s (wp:block): its content is kept apart from the post, and was not imported", n, what)
			continue
		}
		b.note("dropped %d wp:%s %s: WordPress drew %s from the old site's data when the page was shown, and the export holds nothing of %s", n, name, what, it, it)
	}
	return out.String()
}

// layoutOnly are the blocks with no content of their own, which a page
// loses nothing by dropping.
var layoutOnly = map[string]bool{"spacer": true, "separator": true, "more": true, "nextpage": true}

// extraBlankLines are what the dropped block delimiters leave.
var extraBlankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

var embedCaptionRE = regexp.MustCompile(`(?s)<figcaption[^>]*>(.*?)</figcaption>`)

// isEmbedBlock names the embed blocks: core/embed, and before WordPress
// 5.6 one block per provider (core-embed/youtube).
func isEmbedBlock(name string) bool {
	return name == "embed" || name == "core/embed" || strings.HasPrefix(name, "core-embed/")
}

func (b *bodyConverter) embedBlock(out *strings.Builder, s string, m []int, _ string) {
	var attrs struct {
		URL string `json:"url"`
	}
	if m[6] >= 0 {
		_ = json.Unmarshal([]byte(s[m[6]:m[7]]), &attrs)
	}
	u := strings.TrimSpace(attrs.URL)
	if u == "" {
		b.note("dropped an embed block with no address")
		return
	}
	out.WriteString("\n<p>" + html.EscapeString(u) + "</p>\n")
}

// bareURLRE is a URL alone on its line: WordPress embeds it (its
// "auto-embed"), so it stands as its own paragraph.
var bareURLRE = regexp.MustCompile(`(?m)^[ \t]*(https?://[^\s<>"]+)[ \t]*$`)

// autoEmbeds puts each URL alone on its line in a paragraph of its own,
// outside <pre>, <code>, <script>, <style> and <textarea>, where a URL
// is text.
func autoEmbeds(s string) string {
	if !strings.Contains(s, "http") {
		return s
	}
	var out strings.Builder
	for len(s) > 0 {
		i := indexRawStart(s)
		if i < 0 {
			out.WriteString(bareURLRE.ReplaceAllString(s, "\n<p>$1</p>\n"))
			break
		}
		out.WriteString(bareURLRE.ReplaceAllString(s[:i], "\n<p>$1</p>\n"))
		t := parseTag(s, i)
		if !t.ok {
			out.WriteString(s[i : i+1])
			s = s[i+1:]
			continue
		}
		end := rawEndRE[t.name].FindStringIndex(s[t.end:])
		if end == nil {
			out.WriteString(s[i:])
			break
		}
		out.WriteString(s[i : t.end+end[1]])
		s = s[t.end+end[1]:]
	}
	return out.String()
}

// rawEndRE finds the end of each element whose text is not searched for
// embeds.
var rawEndRE = map[string]*regexp.Regexp{}

func init() {
	for _, name := range []string{"pre", "code", "script", "style", "textarea"} {
		rawEndRE[name] = regexp.MustCompile(`(?i)</` + name + `\s*>`)
	}
}

var rawStartRE = regexp.MustCompile(`(?i)<(pre|code|script|style|textarea)[\s>]`)

func indexRawStart(s string) int {
	loc := rawStartRE.FindStringIndex(s)
	if loc == nil {
		return -1
	}
	return loc[0]
}

// Shortcodes.

// knownShortcodes are those WordPress itself registers, and those of
// common plugins: they are shortcodes even when written bare ("[gallery]").
// Any other bracketed word is a shortcode only when it has attributes or
// a closing tag, so that "[sic]" or "[1]" stay text.
var knownShortcodes = map[string]bool{
	"caption": true, "wp_caption": true, "gallery": true, "embed": true,
	"video": true, "audio": true, "playlist": true,
	"contact-form": true, "contact-form-7": true, "gravityform": true,
	"toc": true, "ad": true, "adsense": true,
}

// embedShortcodes are Jetpack's (and WordPress.com's) shortcodes for a
// provider's player: "[youtube https://youtu.be/ID]", or with "=" after
// the name, "[youtube=URL]". Each becomes its address, like [embed].
var embedShortcodes = map[string]bool{
	"youtube": true, "vimeo": true, "dailymotion": true, "soundcloud": true, "spotify": true,
	"tweet": true, "instagram": true, "facebook": true, "tiktok": true, "ted": true,
	"flickr": true, "googlemaps": true, "twitch": true, "mixcloud": true,
}

func init() {
	for name := range embedShortcodes {
		knownShortcodes[name] = true
	}
}

var shortcodeNameRE = regexp.MustCompile(`^\[([A-Za-z0-9_][A-Za-z0-9_-]*)(?:[\s/\]=])`)

// shortcodes expands the shortcodes of s, skipping HTML tags (a "[" in
// an attribute is not one). Unknown ones keep their inner text and are
// named in a note.
func (b *bodyConverter) shortcodes(s string, depth int) string {
	if !strings.Contains(s, "[") || depth > 8 {
		return s
	}
	closers := findClosers(s)
	var out strings.Builder
	i := 0
	for i < len(s) {
		j := strings.IndexAny(s[i:], "[<")
		if j < 0 {
			out.WriteString(s[i:])
			break
		}
		out.WriteString(s[i : i+j])
		i += j
		if s[i] == '<' {
			t := parseTag(s, i)
			if !t.ok {
				out.WriteByte('<')
				i++
				continue
			}
			out.WriteString(s[i:t.end])
			i = t.end
			continue
		}
		// "[[gallery]]" is how a post shows a shortcode as text.
		if strings.HasPrefix(s[i:], "[[") {
			if k := strings.Index(s[i:], "]]"); k > 0 && shortcodeNameRE.MatchString(s[i+1:]) {
				out.WriteString(s[i+1 : i+k+1])
				i += k + 2
				continue
			}
		}
		sc, ok := parseShortcode(s, i, closers)
		if !ok {
			out.WriteByte('[')
			i++
			continue
		}
		out.WriteString(b.expand(sc, depth))
		i = sc.end
	}
	return out.String()
}

type shortcode struct {
	name       string
	attrs      map[string]string
	positional []string
	content    string
	enclosing  bool
	end        int
}

var closerRE = regexp.MustCompile(`\[/([A-Za-z0-9_][A-Za-z0-9_-]*)\]`)

// findClosers lists where each closing tag ("[/name]") of s starts, by
// name, in order: found once, so that a post of many shortcodes is read
// in linear time.
func findClosers(s string) map[string][]int {
	closers := map[string][]int{}
	if !strings.Contains(s, "[/") {
		return closers
	}
	for _, m := range closerRE.FindAllStringSubmatchIndex(s, -1) {
		name := s[m[2]:m[3]]
		closers[name] = append(closers[name], m[0])
	}
	return closers
}

// parseShortcode reads the shortcode starting at s[i] ("["), with its
// content up to the first closing tag of the same name, as WordPress
// does. Its attributes end at the first "]", and hold no "[".
func parseShortcode(s string, i int, closers map[string][]int) (shortcode, bool) {
	m := shortcodeNameRE.FindStringSubmatch(s[i:])
	if m == nil {
		return shortcode{}, false
	}
	name := m[1]
	rest := i + 1 + len(name)
	close := strings.IndexAny(s[rest:], "[]")
	if close < 0 || s[rest+close] != ']' {
		return shortcode{}, false
	}
	rawAttrs := s[rest : rest+close]
	sc := shortcode{name: name, end: rest + close + 1}
	selfClosing := strings.HasSuffix(strings.TrimSpace(rawAttrs), "/")
	rawAttrs = strings.TrimSuffix(strings.TrimSpace(rawAttrs), "/")
	sc.attrs, sc.positional = parseAttrs(rawAttrs)
	if !selfClosing {
		at := closers[name]
		k := sort.SearchInts(at, sc.end)
		if k < len(at) {
			sc.content = s[sc.end:at[k]]
			sc.enclosing = true
			sc.end = at[k] + len("[/"+name+"]")
		}
	}
	lname := strings.ToLower(name)
	if !knownShortcodes[lname] && len(sc.attrs) == 0 && !sc.enclosing && !selfClosing {
		return shortcode{}, false
	}
	sc.name = lname
	return sc, true
}

var attrRE = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|'([^']*)'|(\S+)`)

func parseAttrs(s string) (map[string]string, []string) {
	attrs := map[string]string{}
	var pos []string
	for _, m := range attrRE.FindAllStringSubmatch(s, -1) {
		switch {
		case m[1] != "":
			attrs[strings.ToLower(m[1])] = html.UnescapeString(m[2])
		case m[3] != "":
			attrs[strings.ToLower(m[3])] = html.UnescapeString(m[4])
		case m[5] != "":
			attrs[strings.ToLower(m[5])] = html.UnescapeString(m[6])
		case m[7] != "" || m[8] != "":
			pos = append(pos, html.UnescapeString(m[7]+m[8]))
		default:
			pos = append(pos, html.UnescapeString(m[9]))
		}
	}
	return attrs, pos
}

func (b *bodyConverter) expand(sc shortcode, depth int) string {
	switch sc.name {
	case "caption", "wp_caption":
		return b.caption(sc)
	case "gallery":
		return b.gallery(sc)
	case "embed":
		u := strings.TrimSpace(plainText(sc.content))
		if u == "" {
			u = sc.attrs["src"]
		}
		if u == "" {
			b.note("dropped an [embed] shortcode with no address")
			return ""
		}
		return "\n<p>" + html.EscapeString(u) + "</p>\n"
	case "youtube", "vimeo", "dailymotion", "soundcloud", "spotify", "tweet", "instagram", "facebook",
		"tiktok", "ted", "flickr", "googlemaps", "twitch", "mixcloud":
		u := embedShortcodeURL(sc)
		if u == "" {
			b.note("dropped the [%s] shortcode, which had no address", sc.name)
			return ""
		}
		return "\n<p>" + html.EscapeString(u) + "</p>\n"
	case "video", "audio":
		src := sc.attrs["src"]
		for _, k := range []string{"mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "oga", "wav", "m4a", "wma", "flac"} {
			if src == "" {
				src = sc.attrs[k]
			}
		}
		if src == "" {
			src = strings.TrimSpace(plainText(sc.content))
		}
		if src == "" {
			b.note("dropped the [%s] shortcode, which had no file", sc.name)
			return ""
		}
		b.note("the [%s] shortcode became a link to its file, %s", sc.name, src)
		e := html.EscapeString(src)
		return "\n<p><a href=\"" + e + "\">" + e + "</a></p>\n"
	}
	b.note("dropped the [%s] shortcode", sc.name)
	return b.shortcodes(sc.content, depth+1)
}

// embedShortcodeURL is the address a provider's shortcode shows: its
// url (or src) attribute, an address among its words or as its content,
// else the one its id makes.
func embedShortcodeURL(sc shortcode) string {
	isURL := func(u string) bool { return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") }
	for _, k := range []string{"url", "src", "href"} {
		if u := strings.TrimSpace(sc.attrs[k]); isURL(u) {
			return u
		}
	}
	var id string
	for _, p := range sc.positional {
		p = strings.TrimSpace(strings.TrimPrefix(p, "="))
		if isURL(p) {
			return p
		}
		if id == "" {
			id = p
		}
	}
	if c := strings.TrimSpace(plainText(sc.content)); isURL(c) {
		return c
	}
	if v := strings.TrimSpace(sc.attrs["id"]); v != "" {
		id = v
	}
	if !shortcodeID.MatchString(id) {
		return ""
	}
	switch sc.name {
	case "youtube":
		return "https://www.youtube.com/watch?v=" + id
	case "vimeo":
		return "https://vimeo.com/" + id
	case "dailymotion":
		return "https://www.dailymotion.com/video/" + id
	case "tweet":
		return "https://twitter.com/i/status/" + id
	case "spotify":
		// "spotify:track:ID"
		if parts := strings.Split(id, ":"); len(parts) == 3 && parts[0] == "spotify" {
			return "https://open.spotify.com/" + parts[1] + "/" + parts[2]
		}
	}
	return ""
}

// shortcodeID is a provider's id for a video, a track or a post.
var shortcodeID = regexp.MustCompile(`^[A-Za-z0-9_:-]{2,64}$`)

var (
	imgRE       = regexp.MustCompile(`(?is)<img\b[^>]*>`)
	linkedImgRE = regexp.MustCompile(`(?is)<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>`)
)

// caption makes [caption]<img> text[/caption] a figure. A link around
// the image (to the file, or to the old attachment page) is dropped: the
// figure is the picture and its words.
func (b *bodyConverter) caption(sc shortcode) string {
	content := sc.content
	img := ""
	if m := linkedImgRE.FindStringSubmatchIndex(content); m != nil {
		img = content[m[2]:m[3]]
		content = content[:m[0]] + content[m[1]:]
	} else if m := imgRE.FindStringIndex(content); m != nil {
		img = content[m[0]:m[1]]
		content = content[:m[0]] + content[m[1]:]
	}
	text := strings.TrimSpace(content)
	if text == "" {
		text = strings.TrimSpace(sc.attrs["caption"])
	}
	if img == "" {
		if text == "" {
			return ""
		}
		return "\n<p>" + text + "</p>\n"
	}
	return "\n" + figure(img, text) + "\n"
}

func figure(img, caption string) string {
	if caption == "" {
		return "<figure>" + img + "</figure>"
	}
	return "<figure>" + img + "<figcaption>" + caption + "</figcaption></figure>"
}

var imageExt = regexp.MustCompile(`(?i)\.(jpe?g|png|gif|webp|avif|heic|bmp|tiff?|svg)(\?.*)?$`)

// gallery makes a [gallery] a row of figures from the attachments it
// names (ids, or include before WordPress 3.5), else the images attached
// to the post (or to the post its id names).
func (b *bodyConverter) gallery(sc shortcode) string {
	var list []*attachment
	ids := firstNonEmpty(sc.attrs["ids"], sc.attrs["include"])
	if ids != "" {
		for _, id := range strings.Split(ids, ",") {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			a := b.ex.attachments[id]
			if a == nil || a.url == "" {
				b.note("the gallery's image %s is not in the export", id)
				continue
			}
			list = append(list, a)
		}
	} else {
		parent := firstNonEmpty(sc.attrs["id"], b.postID)
		exclude := map[string]bool{}
		for _, id := range strings.Split(sc.attrs["exclude"], ",") {
			exclude[strings.TrimSpace(id)] = true
		}
		for _, a := range b.ex.byParent[parent] {
			if !exclude[a.id] && imageExt.MatchString(a.url) {
				list = append(list, a)
			}
		}
	}
	if len(list) == 0 {
		b.note("dropped a [gallery] with no images in the export")
		return ""
	}
	var out strings.Builder
	out.WriteString("\n<div class=\"gallery\">")
	for _, a := range list {
		img := `<img src="` + html.EscapeString(a.url) + `" alt="` + html.EscapeString(a.alt) + `">`
		out.WriteString(figure(img, a.caption))
	}
	out.WriteString("</div>\n")
	return out.String()
}

// Automatic paragraphs.

// Block-level elements: text is never made into paragraphs around or
// across them. Containers hold paragraphs of their own; the content of
// the others (a list, a table, a heading, a figure, <pre>) is left as it
// is, its newlines included.
var (
	blockTags = map[string]bool{
		"address": true, "article": true, "aside": true, "blockquote": true,
		"caption": true, "col": true, "colgroup": true, "dd": true,
		"details": true, "div": true, "dl": true, "dt": true, "fieldset": true,
		"figcaption": true, "figure": true, "footer": true, "form": true,
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"header": true, "hgroup": true, "hr": true, "li": true, "main": true,
		"map": true, "math": true, "menu": true, "nav": true, "ol": true,
		"p": true, "pre": true, "section": true, "summary": true,
		"table": true, "tbody": true, "td": true, "tfoot": true, "th": true,
		"thead": true, "tr": true, "ul": true, "script": true, "style": true,
		"textarea": true, "noscript": true, "svg": true, "iframe": true,
		"object": true, "video": true, "audio": true, "select": true,
	}
	containerTags = map[string]bool{
		"blockquote": true, "div": true, "section": true, "article": true,
		"aside": true, "header": true, "footer": true, "main": true,
		"nav": true, "details": true, "fieldset": true, "form": true,
	}
)

// maxAutopDepth bounds how deep containers are followed; deeper ones are
// kept as they are, so hostile nesting costs linear time.
const maxAutopDepth = 16

// autop is WordPress's automatic paragraphs, as its classic editor's
// content needs them: blank lines separate paragraphs, a single newline
// is a line break, and neither applies inside block-level elements.
func autop(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	pairs := pairTags(s)
	var out strings.Builder
	autopRange(&out, s, 0, len(s), pairs, 0)
	return out.String()
}

type tagPair struct{ closeStart, closeEnd int }

// pairTags finds, in one pass, the closing tag of each block-level
// element that has one: the innermost open element of the same name.
func pairTags(s string) map[int]tagPair {
	pairs := map[int]tagPair{}
	open := map[string][]int{}
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		i += j
		t := parseTag(s, i)
		if !t.ok {
			i++
			continue
		}
		if !t.comment && blockTags[t.name] {
			if t.closing {
				if st := open[t.name]; len(st) > 0 {
					pairs[st[len(st)-1]] = tagPair{i, t.end}
					open[t.name] = st[:len(st)-1]
				}
			} else if !t.selfClosing && t.name != "hr" {
				open[t.name] = append(open[t.name], i)
			}
		}
		i = t.end
	}
	return pairs
}

func autopRange(out *strings.Builder, s string, from, to int, pairs map[int]tagPair, depth int) {
	runStart := from
	i := from
	flush := func(end int) {
		paragraphs(out, s[runStart:end])
	}
	for i < to {
		j := strings.IndexByte(s[i:to], '<')
		if j < 0 {
			break
		}
		i += j
		t := parseTag(s, i)
		if !t.ok || t.end > to {
			i++
			continue
		}
		if t.comment || !blockTags[t.name] {
			i = t.end
			continue
		}
		flush(i)
		p, paired := pairs[i]
		switch {
		case t.closing || !paired || p.closeEnd > to:
			out.WriteString(s[i:t.end])
			out.WriteByte('\n')
			i = t.end
		case containerTags[t.name] && depth < maxAutopDepth:
			out.WriteString(s[i:t.end])
			out.WriteByte('\n')
			autopRange(out, s, t.end, p.closeStart, pairs, depth+1)
			out.WriteString(s[p.closeStart:p.closeEnd])
			out.WriteByte('\n')
			i = p.closeEnd
		default:
			out.WriteString(s[i:p.closeEnd])
			out.WriteByte('\n')
			i = p.closeEnd
		}
		runStart = i
	}
	flush(to)
}

var blankLineRE = regexp.MustCompile(`\n[ \t]*\n`)

// paragraphs writes run (text and inline HTML) as paragraphs.
func paragraphs(out *strings.Builder, run string) {
	if strings.TrimSpace(run) == "" {
		return
	}
	for _, part := range blankLineRE.Split(run, -1) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if onlyComments(part) {
			out.WriteString(part)
			out.WriteByte('\n')
			continue
		}
		out.WriteString("<p>")
		out.WriteString(lineBreaks(part))
		out.WriteString("</p>\n")
	}
}

func onlyComments(s string) bool {
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if !strings.HasPrefix(s, "<!--") {
			return false
		}
		end := strings.Index(s, "-->")
		if end < 0 {
			return false
		}
		s = s[end+3:]
	}
	return true
}

// lineBreaks makes each newline of text (not one inside a tag) a <br>.
func lineBreaks(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var out strings.Builder
	for i := 0; i < len(s); {
		j := strings.IndexAny(s[i:], "<\n")
		if j < 0 {
			out.WriteString(s[i:])
			break
		}
		out.WriteString(s[i : i+j])
		i += j
		if s[i] == '\n' {
			out.WriteString("<br>\n")
			i++
			continue
		}
		t := parseTag(s, i)
		if !t.ok {
			out.WriteByte('<')
			i++
			continue
		}
		out.WriteString(s[i:t.end])
		i = t.end
	}
	return out.String()
}

type tag struct {
	ok, closing, comment, selfClosing bool
	name                              string
	end                               int
}

// parseTag reads the tag (or comment) starting at s[i] ('<'); ok is
// false when it is not one ("a < b"). Quoted attribute values may hold
// '>'. A tag left open at the end of s ends there.
func parseTag(s string, i int) tag {
	rest := s[i:]
	if strings.HasPrefix(rest, "<!--") {
		end := strings.Index(rest[4:], "-->")
		if end < 0 {
			return tag{ok: true, comment: true, end: len(s)}
		}
		return tag{ok: true, comment: true, end: i + 4 + end + 3}
	}
	t := tag{}
	k := 1
	if k < len(rest) && rest[k] == '/' {
		t.closing = true
		k++
	}
	start := k
	for k < len(rest) && (isAlpha(rest[k]) || (k > start && (rest[k] >= '0' && rest[k] <= '9' || rest[k] == '-'))) {
		k++
	}
	if k == start {
		if !t.closing && k < len(rest) && rest[k] == '!' { // <!DOCTYPE>, <![CDATA[
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return tag{}
			}
			return tag{ok: true, comment: true, end: i + end + 1}
		}
		return tag{}
	}
	t.name = strings.ToLower(rest[start:k])
	var quote byte
	for ; k < len(rest); k++ {
		c := rest[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			t.ok = true
			t.selfClosing = rest[k-1] == '/'
			t.end = i + k + 1
			return t
		}
	}
	return tag{} // never closed: text
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
