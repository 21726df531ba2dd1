package demo

import (
	"bytes"
	"image/jpeg"
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/newsdesk/newsdesk/internal/news"
	"go.yaml.in/yaml/v3"
)

// frontMatter is the exact set of keys an article may carry; decoding with
// KnownFields rejects any other.
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

type article struct {
	path string
	fm   frontMatter
	body string
}

// split separates the front matter between the opening and closing "---"
// lines from the body.
func split(t *testing.T, name string, data []byte) (front, body string) {
	t.Helper()
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		t.Fatalf("%s: does not start with a --- line", name)
	}
	end := strings.Index(s[4:], "\n---\n")
	if end < 0 {
		t.Fatalf("%s: front matter has no closing --- line", name)
	}
	return s[4 : 4+end+1], s[4+end+5:]
}

func loadArticles(t *testing.T) []article {
	t.Helper()
	var out []article
	err := fs.WalkDir(Content, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch {
		case strings.HasSuffix(p, ".md"):
		case strings.HasPrefix(p, "content/images/") && strings.HasSuffix(p, ".jpg"):
			return nil
		default:
			t.Errorf("%s: unexpected file: content holds only articles (.md) and images/*.jpg", p)
			return nil
		}
		data, err := fs.ReadFile(Content, p)
		if err != nil {
			return err
		}
		front, body := split(t, p, data)
		var fm frontMatter
		dec := yaml.NewDecoder(strings.NewReader(front))
		dec.KnownFields(true)
		if err := dec.Decode(&fm); err != nil {
			t.Fatalf("%s: front matter: %v", p, err)
		}
		out = append(out, article{path: p, fm: fm, body: body})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func words(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

func TestContent(t *testing.T) {
	arts := loadArticles(t)
	if len(arts) < 40 {
		t.Errorf("%d articles, want at least 40", len(arts))
	}

	subs := map[string]map[string]bool{} // top section -> its subsections
	var corrected, updated, drafts int
	var staff, agency bool
	tags := map[string]bool{}
	usedImages := map[string]bool{}
	urls := map[string]string{}

	for _, a := range arts {
		fm, p := a.fm, a.path
		for field, v := range map[string]string{"title": fm.Title, "date": fm.Date, "section": fm.Section, "summary": fm.Summary} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is missing", p, field)
			}
		}
		date, err := time.Parse(time.RFC3339, fm.Date)
		if err != nil {
			t.Errorf("%s: date %q is not RFC 3339: %v", p, fm.Date, err)
		}
		if fm.Lastmod != "" {
			lm, err := time.Parse(time.RFC3339, fm.Lastmod)
			switch {
			case err != nil:
				t.Errorf("%s: lastmod %q is not RFC 3339: %v", p, fm.Lastmod, err)
			case !lm.After(date):
				t.Errorf("%s: lastmod %s is not after date %s", p, fm.Lastmod, fm.Date)
			default:
				updated++
			}
		}
		lo, hi := time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
		if err == nil && (date.Before(lo) || !date.Before(hi)) {
			t.Errorf("%s: date %s is outside the demo's six weeks", p, fm.Date)
		}

		parts := strings.Split(fm.Section, "/")
		for _, s := range parts {
			if !news.ValidSlug(s) {
				t.Errorf("%s: section %q: %q is not a slug", p, fm.Section, s)
			}
		}
		if len(parts) >= 2 {
			if subs[parts[0]] == nil {
				subs[parts[0]] = map[string]bool{}
			}
			subs[parts[0]][parts[1]] = true
		}
		if dir := path.Dir(strings.TrimPrefix(p, "content/")); dir != fm.Section {
			t.Errorf("%s: section %q does not match the folder %q", p, fm.Section, dir)
		}
		slug := fm.Slug
		if slug == "" {
			slug = strings.TrimSuffix(path.Base(p), ".md")
		}
		if !news.ValidSlug(slug) {
			t.Errorf("%s: slug %q is not valid", p, slug)
		}
		url := fm.Section + "/" + slug
		if other, ok := urls[url]; ok {
			t.Errorf("%s and %s both make /%s", p, other, url)
		}
		urls[url] = p

		if len(fm.Authors) == 0 {
			t.Errorf("%s: authors is empty", p)
		}
		for _, au := range fm.Authors {
			if strings.TrimSpace(au) == "" {
				t.Errorf("%s: empty author name", p)
			} else if news.IsAgency(au) {
				agency = true
			} else {
				staff = true
			}
		}
		if len(fm.Tags) == 0 {
			t.Errorf("%s: tags is empty", p)
		}
		for _, tg := range fm.Tags {
			tags[tg] = true
		}
		if fm.Draft {
			drafts++
		}

		if im := fm.Image; im == nil {
			t.Errorf("%s: image is missing", p)
		} else {
			for field, v := range map[string]string{"src": im.Src, "alt": im.Alt, "caption": im.Caption, "credit": im.Credit} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s: image.%s is missing", p, field)
				}
			}
			src := path.Join(path.Dir(p), im.Src)
			usedImages[src] = true
			if _, err := fs.Stat(Content, src); err != nil {
				t.Errorf("%s: image %q (%s): %v", p, im.Src, src, err)
			}
		}

		if len(fm.Corrections) > 0 {
			corrected++
		}
		for _, c := range fm.Corrections {
			at, err := time.Parse(time.RFC3339, c.Date)
			if err != nil {
				t.Errorf("%s: correction date %q is not RFC 3339", p, c.Date)
			} else if at.Before(date) {
				t.Errorf("%s: correction dated %s is before the article's date", p, c.Date)
			}
			if strings.TrimSpace(c.Text) == "" {
				t.Errorf("%s: correction without text", p)
			}
		}

		if n := words(a.body); n < 250 {
			t.Errorf("%s: body has %d words, want at least 250", p, n)
		}
	}

	if len(subs) < 4 {
		t.Errorf("%d top sections with subsections, want at least 4: %v", len(subs), subs)
	}
	if corrected == 0 {
		t.Error("no article has corrections")
	}
	if updated == 0 {
		t.Error("no article has a lastmod later than its date")
	}
	if drafts == 0 {
		t.Error("no draft article")
	}
	if !staff || !agency {
		t.Errorf("want both staff and agency authors; staff %v, agency %v", staff, agency)
	}
	if len(tags) < 20 || len(tags) > 30 {
		t.Errorf("%d distinct tags, want 20 to 30", len(tags))
	}

	// Every picture is used, decodes as a 1600x900 JPEG and is small.
	imgs, err := fs.ReadDir(Content, "content/images")
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, e := range imgs {
		p := "content/images/" + e.Name()
		if !usedImages[p] {
			t.Errorf("%s is not used by any article", p)
		}
		data, err := fs.ReadFile(Content, p)
		if err != nil {
			t.Fatal(err)
		}
		total += int64(len(data))
		if len(data) > 150_000 {
			t.Errorf("%s is %d bytes, want at most 150 kB", p, len(data))
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", p, err)
		} else if cfg.Width != 1600 || cfg.Height != 900 {
			t.Errorf("%s is %dx%d, want 1600x900", p, cfg.Width, cfg.Height)
		}
	}
	if total > 4<<20 {
		t.Errorf("images total %d bytes, want at most 4 MB", total)
	}
}

func TestFiles(t *testing.T) {
	if _, err := fs.Stat(Files(), "images"); err != nil {
		t.Errorf("Files() has no images folder: %v", err)
	}
}
