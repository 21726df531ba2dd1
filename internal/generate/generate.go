// Package generate writes a synthetic news archive: any number of realistic
// articles (varied lengths, sections and subsections, tags, staff and agency
// bylines, dates spread over years, a lead photo each) for benchmarks, load
// tests and trying the site at scale. The same seed writes the same
// archive.
//
// The text is English-like: real English words of news writing in sentence
// templates, with invented places, people and companies, so that stemming,
// phrases and rare words behave as they do in a real archive.
package generate

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Options say what to generate.
type Options struct {
	// Articles is how many articles to write.
	Articles int
	// Seed selects the archive: the same seed writes the same articles.
	Seed uint64
	// Until is the day of the newest story, which is at the end of that
	// day, or now if that is sooner: no story is published in the future.
	// Zero is today. With a past day set, the archive is the same to the
	// byte, dates included.
	Until time.Time
	// Years is how far back the stories go; zero for 10.
	Years int
	// Progress, if set, is called after each batch with the number of
	// articles written so far.
	Progress func(done int)
}

// Report says what was written.
type Report struct {
	Articles int // all of them
	Drafts   int // of which drafts
	Words    int // in all bodies
	Sections int
	Authors  int
	Tags     int
}

// batchSize is how many articles go in one transaction: large enough that
// commits are few, small enough to hold in memory twice (one batch being
// written while the next is generated).
const batchSize = 2000

// Generate writes an archive into an empty database. It refuses a database
// that has articles already: an archive is for measuring, and mixing it into
// real content would make a mess of both.
func Generate(ctx context.Context, st *store.Store, ms *media.Store, o Options) (Report, error) {
	var rep Report
	if o.Articles <= 0 {
		return rep, news.Invalid("articles", "give a number of articles above 0")
	}
	counts, err := st.CountArticles(ctx)
	if err != nil {
		return rep, err
	}
	if n := total(counts); n > 0 {
		return rep, news.Errorf(news.ECONFLICT, "the database has %d articles already: generate fills an empty database (give another --data or --db)", n)
	}
	if o.Years <= 0 {
		o.Years = 10
	}
	now := time.Now().UTC().Truncate(time.Minute)
	until := o.Until
	if until.IsZero() {
		until = now
	}
	until = until.UTC().Truncate(24 * time.Hour).Add(24*time.Hour - time.Minute)
	if until.After(now) {
		// A story published later today would stay above every story
		// published now, as no newsroom's archive does.
		until = now
	}

	fix, err := setUp(ctx, st, ms)
	if err != nil {
		return rep, err
	}
	rep.Sections, rep.Authors, rep.Tags = len(fix.sections), len(fix.staff)+len(fix.agencies), len(fix.tags)

	// One goroutine writes the stories while this one stores the previous
	// batch: the two cores each have a job. Only the writer draws random
	// numbers, in article order, so the archive depends on the seed alone.
	type batch struct {
		list  []*news.Article
		words int
	}
	batches := make(chan batch, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		w := newWriter(o.Seed, fix, until, o.Years, o.Articles)
		for start := 0; start < o.Articles; start += batchSize {
			b := batch{list: make([]*news.Article, 0, batchSize)}
			for i := start; i < min(start+batchSize, o.Articles); i++ {
				a, words := w.article(i)
				b.list = append(b.list, a)
				b.words += words
			}
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	for b := range batches {
		if err := st.InTx(ctx, func(tx *store.Store) error { return tx.InsertArticles(ctx, b.list) }); err != nil {
			return rep, err
		}
		for _, a := range b.list {
			rep.Articles++
			if a.Status == news.Draft {
				rep.Drafts++
			}
		}
		rep.Words += b.words
		if o.Progress != nil {
			o.Progress(rep.Articles)
		}
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	return rep, st.OptimizeSearch(ctx)
}

func total(counts map[news.Status]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// fixtures are what articles refer to, made before the first article.
type fixtures struct {
	sections []news.Section // in sectionTree order: each top, then its subsections
	topics   map[int64]string
	tops     []int // index in sections of each top section
	staff    []news.Author
	agencies []news.Author
	tags     map[string]news.Tag // by name
	photos   []news.Media
}

// setUp makes the sections, authors, tags and photos, in one transaction.
func setUp(ctx context.Context, st *store.Store, ms *media.Store) (*fixtures, error) {
	fix := &fixtures{topics: map[int64]string{}, tags: map[string]news.Tag{}}
	for i, c := range []color.RGBA{{40, 70, 110, 255}, {120, 60, 40, 255}, {50, 100, 60, 255}} {
		m, err := ms.Put(fmt.Sprintf("archive-photo-%d.jpg", i+1), photo(c), media.DefaultLimits())
		if err != nil {
			return nil, err
		}
		fix.photos = append(fix.photos, m)
	}
	r := rand.New(rand.NewPCG(7, 7)) // the staff is the same in every archive
	err := st.InTx(ctx, func(tx *store.Store) error {
		for i := range fix.photos {
			if err := tx.SaveMedia(ctx, &fix.photos[i]); err != nil {
				return err
			}
		}
		for _, t := range sectionTree {
			sec, err := tx.EnsureSectionPath(ctx, t.top)
			if err != nil {
				return err
			}
			fix.tops = append(fix.tops, len(fix.sections))
			fix.sections = append(fix.sections, sec)
			fix.topics[sec.ID] = t.topic
			for _, sub := range t.subs {
				sec, err := tx.EnsureSectionPath(ctx, t.top+"/"+sub)
				if err != nil {
					return err
				}
				fix.sections = append(fix.sections, sec)
				fix.topics[sec.ID] = t.topic
			}
		}
		seen := map[string]bool{}
		for len(fix.staff) < 80 {
			name := firstNames[r.IntN(len(firstNames))] + " " + surnames[r.IntN(len(surnames))]
			if seen[name] {
				continue
			}
			seen[name] = true
			a, err := tx.EnsureAuthor(ctx, name)
			if err != nil {
				return err
			}
			fix.staff = append(fix.staff, a)
		}
		for _, name := range agencies {
			a, err := tx.EnsureAuthor(ctx, name)
			if err != nil {
				return err
			}
			fix.agencies = append(fix.agencies, a)
		}
		for _, name := range append(append([]string{}, tagTopics...), countries...) {
			t, err := tx.EnsureTag(ctx, strings.ReplaceAll(name, "-", " "))
			if err != nil {
				return err
			}
			fix.tags[name] = t
		}
		return nil
	})
	return fix, err
}

// photo is a 1200 × 675 JPEG: a gradient of c, as a stand-in for a news
// photo (a real photo's size, a fraction of its bytes).
func photo(c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 675))
	for y := range 675 {
		for x := range 1200 {
			f := float64(x+y) / (1200 + 675)
			img.SetRGBA(x, y, color.RGBA{uint8(float64(c.R) * (0.5 + f)), uint8(float64(c.G) * (0.5 + f)), uint8(float64(c.B) * (0.5 + f)), 255})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70})
	return buf.Bytes()
}

// writer writes the archive's articles in order.
type writer struct {
	r      *rand.Rand
	lx     *lexicon
	fix    *fixtures
	start  time.Time
	step   time.Duration // between two articles' dates
	topics []string
	weight []int // cumulative top-section weights
}

func newWriter(seed uint64, fix *fixtures, until time.Time, years, n int) *writer {
	r := rand.New(rand.NewPCG(seed, 0x61726368697665))
	w := &writer{r: r, lx: newLexicon(r), fix: fix}
	w.start = until.AddDate(-years, 0, 0)
	w.step = until.Sub(w.start) / time.Duration(n)
	sum := 0
	for _, t := range sectionTree {
		sum += t.weight
		w.weight = append(w.weight, sum)
	}
	return w
}

// topicTags are the tags that fit each topic.
var topicTags = map[string][]string{
	"politics": {"Elections", "Parliament", "Diplomacy", "Protests", "Corruption", "Migration", "Courts", "Security", "Budget", "Taxes", "Pensions", "Press-freedom"},
	"business": {"Inflation", "Banking", "Trade", "Energy", "Oil", "Shipping", "Technology", "Startups", "Jobs", "Housing", "Agriculture", "Tourism", "Cybersecurity"},
	"sport":    {"Football", "Tennis", "Athletics", "Olympics", "Transfers"},
	"science":  {"Climate", "Space", "Health", "Vaccines", "Wildlife", "Oceans", "Floods", "Wildfires", "Earthquakes", "Drought", "Water"},
	"culture":  {"Film", "Music", "Books", "Museums", "Festivals", "Theatre", "Media"},
	"opinion":  {"Press-freedom", "Education", "Transport", "Railways", "Aviation", "Elections-2026", "Media"},
}

// article writes article i of the archive, and counts its body's words.
func (w *writer) article(i int) (*news.Article, int) {
	r := w.r
	// The section: a top section by weight, mostly one of its subsections.
	pick, top := r.IntN(w.weight[len(w.weight)-1]), 0
	for pick >= w.weight[top] {
		top++
	}
	secIdx := w.fix.tops[top]
	if subs := len(sectionTree[top].subs); r.Float64() < 0.85 {
		secIdx += 1 + r.IntN(subs)
	}
	sec := w.fix.sections[secIdx]
	topic := w.fix.topics[sec.ID]

	// Dates rise with i, so ids follow publication order as in a real
	// archive; each is jittered within its step.
	date := w.start.Add(w.step*time.Duration(i) + time.Duration(r.Int64N(int64(w.step)+1))).Truncate(time.Second)
	st := newStory(r, w.lx, topic, date)

	a := &news.Article{Section: sec, Status: news.Published, PublishedAt: date, CreatedAt: date.Add(-time.Hour)}
	a.Headline = st.headline()
	a.Slug = slugFor(a.Headline, i)
	a.Summary = st.summary()
	// Lengths from 200 to 1,500 words, most stories short, some long reads.
	words := 200 + int(1300*math.Pow(r.Float64(), 1.6))
	a.Body, a.BodyHTML, words = st.body(words)
	if r.Float64() < 0.01 {
		a.Status, a.PublishedAt = news.Draft, time.Time{}
	} else if r.Float64() < 0.15 {
		a.UpdatedAt = date.Add(time.Duration(1+r.IntN(30)) * time.Hour)
	}

	switch x := r.Float64(); {
	case x < 0.60:
		a.Bylines = []news.Author{w.fix.staff[r.IntN(len(w.fix.staff))]}
	case x < 0.80:
		a.Bylines = []news.Author{w.fix.staff[r.IntN(len(w.fix.staff))], w.fix.agencies[r.IntN(len(w.fix.agencies))]}
	case x < 0.95:
		a.Bylines = []news.Author{w.fix.agencies[r.IntN(len(w.fix.agencies))]}
	default:
		one, two := r.IntN(len(w.fix.staff)), r.IntN(len(w.fix.staff)-1)
		if two >= one {
			two++
		}
		a.Bylines = []news.Author{w.fix.staff[one], w.fix.staff[two]}
	}

	tags := []string{st.country}
	fit := topicTags[topic]
	for range 1 + r.IntN(3) {
		t := fit[r.IntN(len(fit))]
		if !contains(tags, t) {
			tags = append(tags, t)
		}
	}
	for _, t := range tags {
		a.Tags = append(a.Tags, w.fix.tags[t])
	}

	credit := "Newsdesk"
	for _, b := range a.Bylines {
		if b.Agency {
			credit = b.Name
		}
	}
	a.Photo = &news.Photo{
		Media:   w.fix.photos[r.IntN(len(w.fix.photos))],
		Alt:     capital(st.nouns()) + " in " + st.city,
		Caption: "In this file photo taken on " + date.AddDate(0, 0, -r.IntN(400)).Format("January 2, 2006") + ", " + st.nouns() + " " + st.past() + " in " + st.city + ".",
		Credit:  credit,
	}
	return a, words
}

// slugFor makes an article's slug from its headline and number, which keeps
// slugs unique however often a headline repeats.
func slugFor(headline string, i int) string {
	s := news.Slugify(headline)
	if len(s) > 60 {
		s = s[:60]
		if cut := strings.LastIndexByte(s, '-'); cut > 0 {
			s = s[:cut]
		}
		s = strings.TrimRight(s, "-")
	}
	return s + "-" + strconv.FormatInt(int64(i+1), 36)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
