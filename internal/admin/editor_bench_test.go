package admin

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// BenchmarkEditorTyping10kWords types into the body editor of a story of
// 10,000 words, in Chromium, on the newsroom's real editor page, a key
// every 40 ms (a fast typist), and reports each key's latency: from the
// keydown to the end of the frame that shows it (a requestAnimationFrame,
// then a task after it, so the paint is counted), and to the end of the
// script's work for it (a task queued at the keydown). It also reports what the
// editor does once the writer pauses: writing the story's Markdown back
// into the form (flush: the whole story, written for the first time;
// flush-after-keys: after a few keys, when what the keys did not change
// was written before) and counting its words, and reading the Markdown
// (parse, as when the page opens).
//
//	go test -run '^$' -bench EditorTyping -benchtime 200x ./internal/admin
//
// With NEWSDESK_EDITOR_TRACE=file.json it then types 100 keys more under a
// DevTools trace, saves it, and prints where the renderer's main thread
// spent them (docs/performance.md, "Typing in the body editor").
func BenchmarkEditorTyping10kWords(b *testing.B) { benchmarkTyping(b, 10000) }

// BenchmarkEditorTyping20Words is the yardstick of the one above: the same
// page, the same keys, a story of 20 words, where the editor has next to
// nothing to do. What a key costs beyond it is what the story's length
// costs; what both pay is the browser's own (the wait for the next frame).
func BenchmarkEditorTyping20Words(b *testing.B) { benchmarkTyping(b, 20) }

func benchmarkTyping(b *testing.B, words int) {
	p := openLongStory(b, words)
	b.ResetTimer()
	for b.Loop() {
		p.key()
		time.Sleep(40 * time.Millisecond)
	}
	b.StopTimer()
	time.Sleep(200 * time.Millisecond)
	lat, work := p.latencies()
	report := func(xs []float64, name string) {
		sort.Float64s(xs)
		pct := func(p float64) float64 { return xs[min(len(xs)-1, int(p*float64(len(xs))))] }
		b.ReportMetric(pct(0.5), "ms-p50-"+name)
		b.ReportMetric(pct(0.95), "ms-p95-"+name)
		b.ReportMetric(xs[len(xs)-1], "ms-max-"+name)
	}
	// frame: the key to the end of the frame that shows it (a frame comes
	// every 16.7 ms, so half of that on average is waiting for it);
	// work: the key to the end of the script's work for it.
	report(lat, "frame")
	report(work, "work")
	b.Logf("%s words, %d keys measured", p.words, len(lat))
	// With NEWSDESK_EDITOR_TRACE=file.json, 100 more keys are typed under
	// a DevTools trace, saved in the file, and where the renderer's main
	// thread spent its time is logged (after the figures above, which the
	// tracing does not slow).
	if path := os.Getenv("NEWSDESK_EDITOR_TRACE"); path != "" {
		events, err := keyTrace(p.ctx, func() error {
			for range 100 {
				p.key()
				time.Sleep(40 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := writeTrace(path, events); err != nil {
			b.Fatal(err)
		}
		sum, err := summarizeTrace(events)
		if err != nil {
			b.Fatal(err)
		}
		// On standard error: a benchmark's log keeps only its first lines.
		fmt.Fprintf(os.Stderr, "trace in %s: %s", path, sum)
	}
	costs, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]float64](`(() => {
			const e = newsdeskEditor, v = e.editor.view;
			const md = e.serializeMarkdown(v.state.doc);
			let t = performance.now(); const doc = e.parseMarkdown(md); const parse = performance.now() - t;
			// The whole story, none of it written before (a document
			// just read): what the first pause costs if it comes
			// before the editor could write the story ahead.
			t = performance.now(); e.serializeMarkdown(doc); const flush = performance.now() - t;
			// The editor's own share of a key: a transaction typed
			// through the view (toolbar state, timers), without the
			// browser's input events, style and layout.
			t = performance.now(); for (let i = 0; i < 50; i++) v.dispatch(v.state.tr.insertText("a").scrollIntoView());
			const dispatch = (performance.now() - t) / 50;
			// What a pause costs after those keys: writing the story
			// back again (the editor keeps what it wrote of the blocks
			// the keys did not change), and counting its words.
			t = performance.now(); e.serializeMarkdown(v.state.doc); const again = performance.now() - t;
			t = performance.now(); e.editor.updateCounts(); const count = performance.now() - t;
			return [flush, parse, dispatch, again, count];
		})()`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(costs[0], "ms-flush")
	b.ReportMetric(costs[1], "ms-parse")
	b.ReportMetric(costs[2], "ms-dispatch/key")
	b.ReportMetric(costs[3], "ms-flush-after-keys")
	b.ReportMetric(costs[4], "ms-count-after-keys")
}

// longStory is the newsroom's editor page open on a draft of the given
// number of words (10,000 for the benchmark) in Chromium, the cursor in the middle of the story, each key's
// latency recorded by the page (see BenchmarkEditorTyping10kWords).
type longStory struct {
	b     testing.TB
	ctx   context.Context // the tab's
	words string
}

func openLongStory(b testing.TB, words int) *longStory {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "newsdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	f := newFixture(b, st)
	body := storyOfWords(b, words)
	sec, err := st.SectionByPath(ctx, "news/world")
	if err != nil {
		b.Fatal(err)
	}
	html, err := markup.Render(body)
	if err != nil {
		b.Fatal(err)
	}
	e := &news.Editorial{Article: &news.Article{Headline: "A long read", Slug: "a-long-read", Section: sec, Body: body, BodyHTML: html, Status: news.Draft},
		CreatedBy: f.users["editor"].ID}
	if err := st.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.SaveEditorial(ctx, e, store.Save{UserID: f.users["editor"].ID})
		return err
	}); err != nil {
		b.Fatal(err)
	}
	p := &longStory{b: b, ctx: testkit.BrowserContext(b)}
	token, hash := auth.NewToken()
	if err := st.CreateSession(ctx, hash, &news.Session{UserID: f.users["editor"].ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	p.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: cookiePlain, Value: token, URL: f.srv.URL + "/admin/", Path: "/admin/"})
		return err
	}))
	p.run(chromedp.Navigate(f.srv.URL+"/admin/articles/"+itoa(e.Article.ID)), chromedp.WaitReady(chromedp.CSS(".rich-body")))
	p.words = p.eval(`document.querySelector('#body-counts').dataset.words`)
	// Put the cursor in the middle of the story, and listen.
	p.eval(`(() => {
		const v = newsdeskEditor.editor.view; v.focus();
		const S = v.state.selection.constructor;
		v.dispatch(v.state.tr.setSelection(S.near(v.state.doc.resolve(v.state.doc.content.size >> 1))).scrollIntoView());
		window.__lat = []; window.__work = [];
		v.dom.addEventListener('keydown', () => {
			const t0 = performance.now();
			setTimeout(() => window.__work.push(performance.now() - t0), 0);
			requestAnimationFrame(() => setTimeout(() => window.__lat.push(performance.now() - t0), 0));
		}, true);
		return "";
	})()`)
	return p
}

func (p *longStory) run(actions ...chromedp.Action[chromedp.Void]) {
	p.b.Helper()
	c, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		p.b.Fatal(err)
	}
}

func (p *longStory) eval(js string) string {
	p.b.Helper()
	c, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Evaluate[string](js))
	if err != nil {
		p.b.Fatal(err)
	}
	return s
}

// key types the letter a, as a keyboard does: a key down that carries
// the text, then the key up.
func (p *longStory) key() {
	p.b.Helper()
	p.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			k := input.DispatchKeyEventParams{Type: typ, Key: "a", Code: "KeyA", WindowsVirtualKeyCode: 65, NativeVirtualKeyCode: 65}
			if typ == input.DispatchKeyEventTypeKeyDown {
				k.Text, k.UnmodifiedText = "a", "a"
			}
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, k); err != nil {
				return err
			}
		}
		return nil
	}))
}

// latencies takes the keys' latencies the page recorded since the last
// call, to the end of their frame and to the end of their work, in ms.
func (p *longStory) latencies() (frame, work []float64) {
	p.b.Helper()
	c, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	both, err := chromedp.Run(c, chromedp.Evaluate[[][]float64](`(() => {
		const r = [window.__lat, window.__work]; window.__lat = []; window.__work = []; return r; })()`))
	if err != nil {
		p.b.Fatal(err)
	}
	if len(both) != 2 || len(both[0]) == 0 {
		p.b.Fatal("no key was measured")
	}
	return both[0], both[1]
}

// storyOfWords is the sample newsroom's stories, one after the other, to
// just over the given number of words; under 100 words, the first story's
// first paragraph cut to that many words.
func storyOfWords(b testing.TB, words int) string {
	paths, _ := filepath.Glob("../demo/content/*/*/*.md")
	more, _ := filepath.Glob("../demo/content/*/*.md")
	paths = append(paths, more...)
	sort.Strings(paths)
	var sb strings.Builder
	n := 0
	for n < words {
		for _, p := range paths {
			raw, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			md := stripFrontMatter(string(raw))
			if words < 100 {
				para, _, _ := strings.Cut(strings.TrimSpace(md), "\n\n")
				f := strings.Fields(para)
				return strings.Join(f[:min(words, len(f))], " ") + "\n"
			}
			sb.WriteString(md + "\n\n")
			n += len(strings.Fields(md))
			if n >= words {
				break
			}
		}
	}
	return sb.String()
}
