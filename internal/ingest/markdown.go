// Package ingest loads articles from outside: Markdown files with YAML front
// matter (Hugo's convention) today; WordPress, RSS and ninjs later. Every
// file is checked whole before anything is written, and goes in whole or not
// at all.
package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// MaxFileBytes bounds one Markdown file.
const MaxFileBytes = 2 << 20

// Importer writes imported articles to a store and their photos to a media
// store.
type Importer struct {
	Store  *store.Store
	Media  *media.Store
	Limits media.Limits
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// DryRun reads and checks each Markdown file, its photo included,
	// and writes nothing (ImportArchive has its own option).
	DryRun bool

	// render turns Markdown into HTML; nil means markup.Render. Tests
	// count the calls through it.
	render func(string) (string, error)
}

// FileError is what went wrong with one file: its name, the line where
// known (0 when not), and the problem.
type FileError struct {
	File string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, news.ErrorMessage(e.Err))
	}
	return fmt.Sprintf("%s: %s", e.File, news.ErrorMessage(e.Err))
}

func (e *FileError) Unwrap() error { return e.Err }

// Result is the outcome of importing one file: the article's public path
// and status, or the error.
type Result struct {
	File   string
	Path   string
	Status news.Status
	// PublishAt is when a story dated in the future goes out: it is
	// scheduled, not published, and the scheduler publishes it then.
	PublishAt time.Time
	Err       error
}

// ImportTree imports every .md file under root in fsys, in name order, each
// on its own: one file's failure does not stop the others. A folder inside
// root that cannot be listed (no permission, say) is one failed Result, and
// the rest of the tree is imported; only root itself failing is an error.
func (im *Importer) ImportTree(ctx context.Context, fsys fs.FS, root string) ([]Result, error) {
	var names []string
	unlisted := map[string]error{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err != nil {
			if p == root || d == nil {
				return err
			}
			// A folder that cannot be listed: said, and walked past,
			// so one closed folder does not hide every other file.
			unlisted[p] = err
			names = append(names, p)
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != root {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".md") {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	results := make([]Result, 0, len(names))
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		if err, ok := unlisted[name]; ok {
			results = append(results, Result{File: name, Err: &FileError{File: name, Err: unlistedError(err)}})
			continue
		}
		results = append(results, im.Import(ctx, fsys, name))
	}
	return results, nil
}

// unlistedError says why a folder inside the imported one was not read.
func unlistedError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return news.Invalid("folder", "cannot be read (%v): the files in it are not imported", err)
}

// frontMatter is the YAML head of a Markdown file.
type frontMatter struct {
	Title   string   `yaml:"title"`
	Slug    string   `yaml:"slug"`
	Date    string   `yaml:"date"`
	Lastmod string   `yaml:"lastmod"`
	Section string   `yaml:"section"`
	Summary string   `yaml:"summary"`
	Authors []string `yaml:"authors"`
	Tags    []string `yaml:"tags"`
	Draft   bool     `yaml:"draft"`
	Image   *struct {
		Src     string `yaml:"src"`
		Alt     string `yaml:"alt"`
		Caption string `yaml:"caption"`
		Credit  string `yaml:"credit"`
	} `yaml:"image"`
	Corrections []struct {
		Date string `yaml:"date"`
		Text string `yaml:"text"`
	} `yaml:"corrections"`
}

// ImportFile imports one Markdown file and returns the article's public
// path: Import, for callers that need no more.
func (im *Importer) ImportFile(ctx context.Context, fsys fs.FS, name string) (string, error) {
	r := im.Import(ctx, fsys, name)
	return r.Path, r.Err
}

// Import imports one Markdown file. The article goes in whole or not at
// all; importing a file again with the same section and slug updates that
// article in place. A story dated in the future is scheduled for that time
// (news.StatusAt), as the newsroom would, not published at once.
//
// fsys is the imported folder: nothing outside it is read (see Folder).
// Every limit is checked before the Markdown is rendered, so a file that
// is too long costs no rendering.
func (im *Importer) Import(ctx context.Context, fsys fs.FS, name string) Result {
	fail := func(line int, err error) Result {
		return Result{File: name, Err: &FileError{File: name, Line: line, Err: err}}
	}
	if err := ctx.Err(); err != nil {
		return fail(0, stopped(err))
	}
	data, err := readLimited(ctx, fsys, name, MaxFileBytes)
	if err != nil {
		return fail(0, err)
	}
	head, body, headLine, err := splitFrontMatter(data)
	if err != nil {
		return fail(1, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(head, &doc); err != nil {
		return fail(yamlErrorLine(err, headLine), news.Invalid("front matter", "is not valid YAML: %s", cleanYAMLError(err)))
	}
	var fm frontMatter
	if len(doc.Content) > 0 {
		if doc.Content[0].Kind != yaml.MappingNode {
			return fail(headLine, news.Invalid("front matter", "must be a mapping of keys to values"))
		}
		if err := doc.Content[0].Decode(&fm); err != nil {
			return fail(yamlErrorLine(err, headLine), news.Invalid("front matter", "%s", cleanYAMLError(err)))
		}
	}
	lines := keyLines(&doc, headLine)
	// The body starts on the line after the closing "---".
	lines["body"] = headLine + bytes.Count(head, []byte("\n")) + 1
	// at is the line of a key ("image.src"), or of the mapping it is in
	// ("image") when the key itself is missing.
	at := func(key string) int {
		if l, ok := lines[key]; ok {
			return l
		}
		parent, _, _ := strings.Cut(key, ".")
		if l, ok := lines[parent]; ok {
			return l
		}
		return 1
	}

	a, photoSrc, lerr := im.articleFrom(fm, string(body), at)
	if lerr != nil {
		return fail(lerr.line, lerr.err)
	}

	// Every length and rule first: rendering is the costly part.
	if err := a.Validate(); err != nil {
		var ne *news.Error
		line := 1
		if errors.As(err, &ne) {
			line = at(ne.Field)
		}
		return fail(line, err)
	}

	// The photo is read and checked before any write.
	var photoBytes []byte
	if photoSrc != "" {
		p, perr := resolveRelative(name, photoSrc)
		if perr != nil {
			return fail(at("image.src"), perr)
		}
		photoBytes, err = readLimited(ctx, fsys, p, im.limits().MaxBytes)
		if err != nil {
			return fail(at("image.src"), news.Invalid("image.src", "%s", messageOf(err)))
		}
		info, err := media.Check(photoBytes, im.limits())
		if err != nil {
			return fail(at("image.src"), news.Invalid("image.src", "%s %s", photoSrc, news.ErrorMessage(err)))
		}
		if claimed := media.TypeFromName(photoSrc); claimed != info.Type {
			return fail(at("image.src"), news.Invalid("image.src", "%s is a %s image, but its name says %s", photoSrc, typeName(info.Type), typeNameOrNone(claimed)))
		}
	}
	if err := ctx.Err(); err != nil {
		return fail(0, stopped(err))
	}
	render := im.render
	if render == nil {
		render = markup.Render
	}
	if a.BodyHTML, err = render(a.Body); err != nil {
		return fail(at("title"), news.Invalid("body", "cannot be rendered: %v", err))
	}
	// A story dated ahead is scheduled: its publication time is set when
	// the scheduler publishes it, as for one an editor schedules.
	var publishAt time.Time
	if a.Status == news.Published && news.StatusAt(a.PublishedAt, im.now()) == news.Scheduled {
		a.Status, publishAt, a.PublishedAt = news.Scheduled, a.PublishedAt, time.Time{}
	}
	if err := ctx.Err(); err != nil {
		return fail(0, stopped(err))
	}

	if im.DryRun {
		// Everything is checked but what needs the write itself: the
		// report is the address the article would have.
		return Result{File: name, Path: "/" + a.Section.Path + "/" + a.Slug, Status: a.Status, PublishAt: publishAt}
	}
	if photoBytes != nil {
		m, err := im.Media.Put(path.Base(photoSrc), photoBytes, im.limits())
		if err != nil {
			return fail(at("image.src"), err)
		}
		a.Photo.Media = m
	}
	sectionPath := a.Section.Path
	err = im.Store.InTx(ctx, func(tx *store.Store) error {
		sec, err := tx.EnsureSectionPath(ctx, sectionPath)
		if err != nil {
			return err
		}
		a.Section = sec
		if old, err := tx.ArticleByPath(ctx, store.Full, sec.Path, a.Slug); err == nil {
			// Readers have it: a file dated ahead must not take it off the
			// site until then (a clock or a typo away). Taking a story down
			// is the newsroom's move, with its confirmation and audit.
			if old.Status == news.Published && a.Status == news.Scheduled {
				return news.Invalid("date", "%s is in the future, but %s is already published; a new import does not take a story off the site (correct the date, or unpublish it in the newsroom first)",
					publishAt.UTC().Format(time.RFC3339), old.URL())
			}
			a.ID, a.CreatedAt = old.ID, old.CreatedAt
		} else if news.ErrorCode(err) != news.ENOTFOUND {
			return err
		}
		for i, b := range a.Bylines {
			if a.Bylines[i], err = tx.EnsureAuthor(ctx, b.Name); err != nil {
				return err
			}
		}
		for i, t := range a.Tags {
			if a.Tags[i], err = tx.EnsureTag(ctx, t.Name); err != nil {
				return err
			}
		}
		if a.Photo != nil {
			if err := tx.SaveMedia(ctx, &a.Photo.Media); err != nil {
				return err
			}
		}
		if err := tx.SaveArticle(ctx, a); err != nil {
			return err
		}
		if a.Status == news.Scheduled {
			// The newsroom's move: it sets the time the scheduler
			// publishes at.
			if err := tx.MoveArticle(ctx, a.ID, store.Move{From: news.Scheduled, To: news.Scheduled, At: im.now().UTC(), PublishAt: publishAt}); err != nil {
				return err
			}
		}
		return tx.AddCorrections(ctx, a.ID, a.Corrections)
	})
	if err != nil {
		return fail(0, err)
	}
	return Result{File: name, Path: a.URL(), Status: a.Status, PublishAt: publishAt}
}

// stopped is the error of a file the import did not finish because ctx
// ended (the operator pressed ctrl-C, or the service was stopped).
func stopped(err error) error {
	return news.Errorf(news.EUNAVAILABLE, "not imported: the import was stopped (%v)", err)
}

// messageOf is a domain error's message without its field, for wrapping
// in another field's.
func messageOf(err error) string {
	var ne *news.Error
	if errors.As(err, &ne) {
		return ne.Message
	}
	return news.ErrorMessage(err)
}

func (im *Importer) now() time.Time {
	if im.Now != nil {
		return im.Now()
	}
	return time.Now()
}

// lineError is an error with the front-matter line it concerns.
type lineError struct {
	line int
	err  error
}

// articleFrom builds the article a front matter and body describe, without
// touching the store or rendering the body; it returns the photo's source
// path separately.
func (im *Importer) articleFrom(fm frontMatter, body string, at func(string) int) (*news.Article, string, *lineError) {
	bad := func(key string, err error) (*news.Article, string, *lineError) {
		return nil, "", &lineError{line: at(key), err: err}
	}
	a := &news.Article{
		Headline: news.CleanText(fm.Title),
		Summary:  news.CleanText(fm.Summary),
		Body:     body,
		Status:   news.Published,
	}
	if a.Headline == "" {
		return bad("title", news.Invalid("title", "is missing: every article needs a title"))
	}
	a.Slug = strings.TrimSpace(fm.Slug)
	if a.Slug == "" {
		a.Slug = news.Slugify(a.Headline)
	} else if !news.ValidSlug(a.Slug) {
		return bad("slug", news.Invalid("slug", "%q is not a slug: use lower-case letters, digits and single hyphens", a.Slug))
	}
	sectionPath := strings.Trim(strings.TrimSpace(fm.Section), "/")
	if sectionPath == "" {
		return bad("section", news.Invalid("section", "is missing: give a path such as news/world"))
	}
	for _, part := range strings.Split(sectionPath, "/") {
		if !news.ValidSlug(part) {
			return bad("section", news.Invalid("section", "%q is not a section path: each part must be a slug such as news/middle-east", fm.Section))
		}
	}
	a.Section = news.Section{Path: sectionPath}
	if fm.Draft {
		a.Status = news.Draft
	}
	var err error
	if fm.Date != "" {
		if a.PublishedAt, err = parseTime(fm.Date); err != nil {
			return bad("date", news.Invalid("date", "%s", err))
		}
	} else if !fm.Draft {
		return bad("date", news.Invalid("date", "is missing: a published article needs its publication time (RFC 3339, e.g. 2026-11-20T08:15:00Z)"))
	}
	if fm.Lastmod != "" {
		if a.UpdatedAt, err = parseTime(fm.Lastmod); err != nil {
			return bad("lastmod", news.Invalid("lastmod", "%s", err))
		}
	}
	for _, n := range fm.Authors {
		n = news.CleanText(n)
		if n == "" {
			return bad("authors", news.Invalid("authors", "has an empty name"))
		}
		if news.Slugify(n) == "" {
			return bad("authors", news.Invalid("authors", "%q has no letters or digits", n))
		}
		a.Bylines = append(a.Bylines, news.Author{Name: n, Slug: news.Slugify(n)})
	}
	seenTag := map[string]bool{}
	for _, n := range fm.Tags {
		n = news.CleanText(n)
		slug := news.Slugify(n)
		if slug == "" {
			return bad("tags", news.Invalid("tags", "%q is not a tag: it has no letters or digits", n))
		}
		if !seenTag[slug] {
			seenTag[slug] = true
			a.Tags = append(a.Tags, news.Tag{Name: n, Slug: slug})
		}
	}
	var photoSrc string
	if fm.Image != nil {
		photoSrc = strings.TrimSpace(fm.Image.Src)
		if photoSrc == "" {
			return bad("image", news.Invalid("image.src", "is missing: give the photo's path relative to this file"))
		}
		a.Photo = &news.Photo{Alt: news.CleanText(fm.Image.Alt), Caption: news.CleanText(fm.Image.Caption), Credit: news.CleanText(fm.Image.Credit)}
		if a.Photo.Alt == "" {
			return bad("image", news.Invalid("image.alt", "is missing: describe the photo for readers who cannot see it"))
		}
	}
	for _, c := range fm.Corrections {
		t, err := parseTime(c.Date)
		if err != nil {
			return bad("corrections", news.Invalid("corrections", "date: %s", err))
		}
		a.Corrections = append(a.Corrections, news.Correction{At: t, Text: news.CleanText(c.Text)})
	}
	return a, photoSrc, nil
}

// parseTime reads an RFC 3339 time; a plain date is taken as midnight UTC.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use RFC 3339, e.g. 2026-11-20T08:15:00Z", s)
}

// splitFrontMatter separates the YAML head between the opening and closing
// "---" lines from the Markdown body. headLine is the file line on which the
// YAML starts.
func splitFrontMatter(data []byte) (head, body []byte, headLine int, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, 0, news.Invalid("file", "is not UTF-8 text")
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return nil, nil, 0, news.Invalid("front matter", "is missing: the file must start with a line of three hyphens (---), then YAML, then another --- line")
	}
	rest := data[4:]
	end := bytes.Index(rest, []byte("\n---\n"))
	switch {
	case bytes.HasPrefix(rest, []byte("---\n")):
		return nil, rest[4:], 2, nil
	case end < 0 && bytes.HasSuffix(rest, []byte("\n---")):
		end = len(rest) - 4
		return rest[:end+1], nil, 2, nil
	case end < 0:
		return nil, nil, 0, news.Invalid("front matter", "is not closed: no line of three hyphens (---) after the YAML")
	}
	return rest[:end+1], rest[end+5:], 2, nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlErrorLine turns the line a YAML error names into a file line.
func yamlErrorLine(err error, headLine int) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n + headLine - 1
	}
	return headLine
}

// cleanYAMLError drops the library's prefix and its own line numbers (the
// file line is reported separately).
func cleanYAMLError(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.ReplaceAll(s, "unmarshal errors:\n  ", "")
	s = regexp.MustCompile(`line \d+: `).ReplaceAllString(s, "")
	return strings.Join(strings.Fields(s), " ")
}

// keyLines maps each top-level front-matter key, and each key of a mapping
// under one ("image.src"), to its file line.
func keyLines(doc *yaml.Node, headLine int) map[string]int {
	out := map[string]int{}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return out
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		key := m.Content[i].Value
		out[key] = m.Content[i].Line + headLine - 1
		if v := m.Content[i+1]; v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				out[key+"."+v.Content[j].Value] = v.Content[j].Line + headLine - 1
			}
		}
	}
	return out
}

// resolveRelative resolves a photo path given relative to the Markdown file.
func resolveRelative(file, src string) (string, error) {
	if strings.Contains(src, "://") || strings.HasPrefix(src, "/") || strings.HasPrefix(src, "\\") || strings.Contains(src, ":") {
		return "", news.Invalid("image.src", "%q must be a path relative to the Markdown file, not a URL or an absolute path", src)
	}
	p := path.Join(path.Dir(file), src)
	if !fs.ValidPath(p) {
		return "", news.Invalid("image.src", "%q points outside the imported folder: only files inside it are imported (import the folder that holds both the story and its photo)", src)
	}
	return p, nil
}

func (im *Importer) limits() media.Limits {
	if im.Limits == (media.Limits{}) {
		return media.DefaultLimits()
	}
	return im.Limits
}

func typeName(t string) string {
	switch t {
	case "image/jpeg":
		return "JPEG"
	case "image/png":
		return "PNG"
	case "image/gif":
		return "GIF"
	case "image/webp":
		return "WebP"
	}
	return t
}

func typeNameOrNone(t string) string {
	if t == "" {
		return "no image type (use .jpg, .png, .gif or .webp)"
	}
	return typeName(t)
}
