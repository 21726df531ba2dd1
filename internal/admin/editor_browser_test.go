package admin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/store"
)

// openSQLite is a fresh store for the browser tests: what they test is
// the browser's side, and the store's both engines are tested on their own.
func openSQLite(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestEditorWritesMarkdownInChromium is a writer's session with the body
// editor in Chromium: Markdown shortcuts typed as one writes, a switch to
// the Markdown text and back, a photo uploaded through the dialog and one
// pasted, then Save and Publish. The saved body is the Markdown expected,
// and the public page shows it.
func TestEditorWritesMarkdownInChromium(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	e := f.draft(t, "editor", "Harbour reopens after the storm")
	path := "/admin/articles/" + itoa(e.Article.ID)
	bt := f.browse(t, "editor")
	bt.open(path)
	bt.waitFor(`!!document.querySelector('.rich-body') && document.querySelector('#body').hidden`)
	if got := bt.eval(`document.querySelector('#body-counts').textContent`); !strings.HasPrefix(got, "8 words") {
		t.Errorf("word count at the start: %q", got)
	}

	// Type at the end of the body, with Markdown shortcuts.
	bt.eval(`(() => { const v = newsdeskEditor.editor.view; v.focus();
		const S = v.state.selection.constructor; v.dispatch(v.state.tr.setSelection(S.atEnd(v.state.doc))); return "" })()`)
	typeRich(bt, "\n## Back to normal\nTraffic is **normal** again and ~~closed~~ open.\n- one\ntwo\n\n> We will rebuild.\n-- Mara Lindqvist\n")
	bt.waitFor(`!!(document.querySelector('.rich-body h2') && document.querySelector('.rich-body blockquote footer') && document.querySelector('.rich-body strong'))`)

	// Switch to the Markdown text: it holds what was typed, as Markdown.
	bt.do(chromedp.Click(chromedp.CSS(`button[data-mode="markdown"]`)))
	md := bt.eval(`document.querySelector('#body').value`)
	for _, want := range []string{
		"The text of Harbour reopens after the storm.\n\n## Back to normal\n\nTraffic is **normal** again and ~~closed~~ open.\n\n- one\n- two\n\n> We will rebuild.\n>\n> — Mara Lindqvist",
	} {
		if !strings.Contains(md, want) {
			t.Fatalf("the Markdown after typing:\n%s\nwant it to hold:\n%s", md, want)
		}
	}
	if got := bt.eval(`String(document.querySelector('.rich-editor').hidden)`); got != "true" {
		t.Error("the rich editor is still shown in Markdown mode")
	}
	// Edit the Markdown, and switch back: the rich text has it.
	bt.typeInto("#body", "\nAdded in *Markdown*, with a [link](https://example.org/report).")
	bt.do(chromedp.Click(chromedp.CSS(`button[data-mode="rich"]`)))
	bt.waitFor(`!!document.querySelector('.rich-body em') && document.querySelector('.rich-body a[href="https://example.org/report"]') !== null`)

	// A photo through the dialog: upload, then the words asked for.
	photo := filepath.Join(t.TempDir(), "quay.jpg")
	if err := os.WriteFile(photo, testJPEG(t, 320, 200), 0o644); err != nil {
		t.Fatal(err)
	}
	bt.eval(`(() => { const v = newsdeskEditor.editor.view; v.focus();
		const S = v.state.selection.constructor; v.dispatch(v.state.tr.setSelection(S.atEnd(v.state.doc))); return "" })()`)
	bt.do(chromedp.Click(chromedp.CSS(`.rich-toolbar button[data-cmd="photo"]`)))
	bt.waitFor(`document.querySelector('.photo-dialog').open`)
	bt.do(chromedp.SetUploadFiles(chromedp.CSS("#photo-dialog-file"), []string{photo}))
	bt.waitFor(`!document.querySelector('.photo-details').hidden`)
	bt.typeInto("#photo-dialog-alt", "Ferries moored at a quay")
	bt.typeInto("#photo-dialog-caption", "The first ferry leaves")
	bt.typeInto("#photo-dialog-credit", "Jane Doe/Newsdesk")
	bt.do(chromedp.Click(chromedp.CSS(".photo-dialog button[type=submit]")))
	bt.waitFor(`!!document.querySelector('.rich-body figure img[alt="Ferries moored at a quay"]')`)

	// A photo pasted into the text: uploaded, and asked about.
	bt.eval(`(async () => {
		const c = document.createElement('canvas'); c.width = 200; c.height = 120;
		const g = c.getContext('2d'); g.fillStyle = '#3a7'; g.fillRect(0, 0, 200, 120); g.fillStyle = '#fff'; g.fillRect(20, 20, 60, 40);
		const blob = await new Promise(r => c.toBlob(r, 'image/png'));
		const dt = new DataTransfer(); dt.items.add(new File([blob], 'pasted.png', {type: 'image/png'}));
		const v = newsdeskEditor.editor.view; v.focus();
		v.dom.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
		return "";
	})()`, chromedp.EvalAwaitPromise)
	bt.waitFor(`document.querySelector('.photo-dialog').open && !document.querySelector('.photo-details').hidden`)
	bt.typeInto("#photo-dialog-alt", "A green square")
	bt.do(chromedp.Click(chromedp.CSS(".photo-dialog button[type=submit]")))
	bt.waitFor(`document.querySelectorAll('.rich-body figure').length === 2`)

	bt.submit("#editor .actions button[type=submit]")
	if got := bt.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); !strings.Contains(got, "Saved") {
		t.Fatalf("after Save the flash is %q", got)
	}
	saved, err := f.st.Editorial(ctx, e.Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	body := saved.Article.Body
	figure := regexp.MustCompile(`(?m)^!\[Ferries moored at a quay\]\(/media/[0-9a-f]{2}/[0-9a-f]{64}-320\.jpg "The first ferry leaves \| Jane Doe/Newsdesk"\)$`)
	pasted := regexp.MustCompile(`(?m)^!\[A green square\]\(/media/[0-9a-f]{2}/[0-9a-f]{64}-200\.png\)$`)
	for _, want := range []string{"## Back to normal\n", "Traffic is **normal** again and ~~closed~~ open.", "- one\n- two\n", "> We will rebuild.\n>\n> — Mara Lindqvist\n",
		"Added in *Markdown*, with a [link](https://example.org/report)."} {
		if !strings.Contains(body, want) {
			t.Errorf("saved body lacks %q:\n%s", want, body)
		}
	}
	if !figure.MatchString(body) || !pasted.MatchString(body) {
		t.Errorf("saved body lacks the photos as figures:\n%s", body)
	}

	// Published, the public page shows it all.
	bt.submit("#editor .actions button.publish")
	res, err := http.Get(f.srv.URL + "/news/world/" + saved.Article.Slug)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	html := string(page)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("public page: %d", res.StatusCode)
	}
	for _, want := range []string{"<h2>Back to normal</h2>", "<strong>normal</strong>", "<del>closed</del>", "<footer>— Mara Lindqvist</footer>",
		`alt="Ferries moored at a quay"`, "The first ferry leaves", `<small class="credit">Jane Doe/Newsdesk</small>`, `alt="A green square"`} {
		if !strings.Contains(html, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
}

// typeRich types text into the body editor as keystrokes, each "\n" as
// the Enter key. (chromedp's SendKeys sends a new line as a key that also
// carries text, which a browser never sends for Enter, and the editor
// would see the line break twice.)
func typeRich(bt *tab, text string) {
	bt.t.Helper()
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			bt.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
					if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}); err != nil {
						return err
					}
				}
				return nil
			}))
		}
		if line != "" {
			bt.typeInto(".rich-body", line)
		}
	}
}

// The clipboards the paste test pastes: as Word (Microsoft 365, Windows)
// and Google Docs (Chromium) put a formatted article on it, written for
// this test in their shapes: Word's styles, namespaced tags, conditional
// comments and lists made of styled paragraphs; Docs' wrapping <b> and
// spans that say bold and italic by their style.
const wordClipboard = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=Generator content="Microsoft Word 15">
<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;} --></style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]--></head>
<body lang=EN-GB link="#0563C1" vlink="#954F72" style='tab-interval:36.0pt'>
<!--StartFragment-->
<h1 style='margin-top:12.0pt'><span style='font-size:16.0pt;color:#2F5496'>Ferry strike ends<o:p></o:p></span></h1>
<p class=MsoNormal><b><span style='font-family:"Arial",sans-serif'>Port Alder</span></b><span style='font-family:"Arial",sans-serif'> — the ferries run again, with <i>new</i> timetables and a <a href="https://example.org/timetable">full list</a>.<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span>Morning crossings<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span>from six<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span>Evening crossings<o:p></o:p></span></p>
<p class=MsoNormal><span style='color:red;font-size:20.0pt;background:yellow;mso-highlight:yellow'>Fares</span><span> are unchanged.</span><img width=120 height=80 src="file:///C:/Users/ana/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png" alt="logo"></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'>
<tr><td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt'><p class=MsoNormal><b>Route<o:p></o:p></b></p></td><td width=301 valign=top><p class=MsoNormal><b>Status</b></p></td></tr>
<tr><td width=301 valign=top><p class=MsoNormal>Port Alder – Skerry<o:p></o:p></p></td><td width=301 valign=top><p class=MsoNormal>Running</p></td></tr>
</table>
<p class=MsoNormal><a href="javascript:alert(1)">Not a link</a> and <span style='font-family:Wingdings'>text</span>.<o:p></o:p></p>
<!--EndFragment-->
</body></html>`

const docsClipboard = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5b1e2c3d-7fff-1234-abcd-0123456789ab"><h2 dir="ltr" style="line-height:1.38;margin-top:18pt;margin-bottom:6pt;"><span style="font-size:16pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;font-variant:normal;text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">Council votes on the harbour</span></h2><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;font-style:normal;">Decided</span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:normal;"> by </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:italic;">nine votes</span><span style="font-size:11pt;font-weight:400;"> to </span><span style="font-size:11pt;font-weight:400;text-decoration:line-through;">three</span><span style="font-size:11pt;font-weight:400;"> four.</span></p><br><ol style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr" style="list-style-type:decimal;font-size:11pt;" aria-level="1"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;" role="presentation"><span style="font-size:11pt;font-weight:400;">Repair the quay</span></p></li><li dir="ltr" style="list-style-type:decimal;font-size:11pt;" aria-level="1"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;" role="presentation"><span style="font-size:11pt;font-weight:400;">Dredge the channel</span></p></li></ol><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><a href="https://example.org/minutes" style="text-decoration:none;"><span style="font-size:11pt;color:#1155cc;font-weight:400;text-decoration:underline;">The minutes</span></a></p></b><br class="Apple-interchange-newline">`

// pasteCases: what each clipboard must come out as, exactly.
var pasteCases = []struct {
	name, html, want string
}{
	{"word", wordClipboard, "## Ferry strike ends\n\n" +
		"**Port Alder** — the ferries run again, with *new* timetables and a [full list](https://example.org/timetable).\n\n" +
		"- Morning crossings\n  - from six\n- Evening crossings\n\n" +
		"Fares are unchanged.\n\n" +
		"| **Route** | **Status** |\n| --- | --- |\n| Port Alder – Skerry | Running |\n\n" +
		"Not a link and text.\n"},
	{"docs", docsClipboard, "## Council votes on the harbour\n\n" +
		"**Decided** by *nine votes* to ~~three~~ four.\n\n" +
		"1. Repair the quay\n2. Dredge the channel\n\n" +
		"[The minutes](https://example.org/minutes)\n"},
	{"web page", `<article><h1 class="title">A web page</h1><p style="font-family:Georgia">Body with <u>underline</u>, <font color=red>font</font>, <sup>sup</sup> and an <img src="https://tracker.example/x.gif"> image.</p><script>alert(1)</script><iframe src="https://example.org"></iframe><h5>Small heading</h5><blockquote><p>Quoted</p><footer>Someone</footer></blockquote><pre><code>code
  kept</code></pre><hr><figure><img src="/media/ab/abc-640.jpg" alt="Local"><figcaption>A caption <small class="credit">AFP</small></figcaption></figure></article>`,
		"## A web page\n\nBody with underline, font, sup and an image.\n\n#### Small heading\n\n> Quoted\n>\n> — Someone\n\n```\ncode\n  kept\n```\n\n---\n\n![Local](/media/ab/abc-640.jpg \"A caption | AFP\")\n"},
}

// TestEditorPasteInChromium pastes Word's, Google Docs' and a web page's
// HTML into an empty body: what comes out is what the body allows, and
// nothing else (no fonts, colours, classes, scripts, foreign images).
func TestEditorPasteInChromium(t *testing.T) {
	ctx := editorPage(t)
	for _, c := range pasteCases {
		t.Run(c.name, func(t *testing.T) {
			js := `(() => {
				const e = newsdeskEditor.editor, v = e.view;
				v.updateState(e.newState(""));
				v.focus();
				const dt = new DataTransfer();
				dt.setData('text/html', ` + jsString(c.html) + `);
				dt.setData('text/plain', 'plain text fallback');
				v.dom.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
				return newsdeskEditor.serializeMarkdown(v.state.doc);
			})()`
			c2, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			got, err := chromedp.Run(c2, chromedp.Evaluate[string](js))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("pasted as:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestEditorToolbarFollowsTheCursorInChromium: the toolbar's buttons say
// what the cursor is in (bold, a subhead) after keys typed, after a
// shortcut, and after the cursor moves by the arrow keys and by a click,
// as a writer does it. The editor skips the toolbar's work for a key that
// leaves the cursor's context as it was (main.js, sameToolbarContext):
// whatever it skips must never leave a button saying the wrong thing.
func TestEditorToolbarFollowsTheCursorInChromium(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	e := f.draft(t, "editor", "Harbour toolbar")
	bt := f.browse(t, "editor")
	// A laptop's window: in the browser's small default one, the sticky
	// toolbar and the form's sticky actions cover most of the text.
	bt.do(chromedp.EmulateViewport(1280, 800))
	bt.open("/admin/articles/" + itoa(e.Article.ID))
	bt.waitFor(`!!document.querySelector('.rich-body') && document.querySelector('#body').hidden`)
	bt.eval(`(() => { const v = newsdeskEditor.editor.view; v.focus();
		const S = v.state.selection.constructor; v.dispatch(v.state.tr.setSelection(S.atEnd(v.state.doc))); return "" })()`)
	key := func(k, code string, vk int64, mods int64) {
		bt.t.Helper()
		bt.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
				if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: k, Code: code,
					WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk, Modifiers: mods}); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	// pressed waits for the toolbar's pressed buttons to be want (their
	// data-cmd, in the toolbar's order), and the undo button to be on:
	// every step below changed the text first.
	pressed := func(after, want string) {
		t.Helper()
		js := `[...document.querySelectorAll('.rich-toolbar button[aria-pressed=true]')].map(b => b.dataset.cmd).join(' ') +
			(document.querySelector('.rich-toolbar button[data-cmd=undo]').disabled ? ' (undo off)' : '')`
		var got string
		if !eventually(t, 5*time.Second, func() bool { got = bt.eval(js); return got == want }) {
			t.Fatalf("after %s, the toolbar's pressed buttons are %q, want %q", after, got, want)
		}
	}
	typeRich(bt, " More.")
	pressed("typing in the first paragraph", "")
	typeRich(bt, "\n## Subhead")
	pressed("## typed on a new line", "h2")
	typeRich(bt, " words")
	pressed("typing in the subhead", "h2")
	typeRich(bt, "\n")
	pressed("Enter at the end of the subhead", "")
	const ctrl = 2 // the protocol's modifier bit
	key("b", "KeyB", 66, ctrl)
	typeRich(bt, "strong")
	pressed("Ctrl+B and typing", "bold")
	key("b", "KeyB", 66, ctrl)
	typeRich(bt, " weak")
	pressed("Ctrl+B again and typing", "")
	for range 8 {
		key("ArrowLeft", "ArrowLeft", 37, 0)
	}
	pressed("moving back into the bold word", "bold")
	key("ArrowUp", "ArrowUp", 38, 0)
	pressed("moving up into the subhead", "h2")
	typeRich(bt, "s")
	pressed("typing in the subhead again", "h2")
	// A click on the first paragraph's third letter, scrolled to just
	// under the sticky toolbar (the form's actions stick to the bottom of
	// a small window).
	var at []float64
	bt.within(func(ctx context.Context) (err error) {
		at, err = chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
			const p = document.querySelector('.rich-body p');
			scrollBy(0, p.getBoundingClientRect().top - document.querySelector('.editor-head').getBoundingClientRect().bottom - 16);
			const r = document.createRange(); r.setStart(p.firstChild, 2); r.setEnd(p.firstChild, 3);
			const b = r.getBoundingClientRect(), x = b.left + b.width / 2, y = b.top + b.height / 2;
			return p.contains(document.elementFromPoint(x, y)) ? [x, y] : []; })()`))
		return err
	})
	if len(at) != 2 {
		t.Fatal("the first paragraph's text cannot be clicked: something covers it")
	}
	bt.do(chromedp.MouseClickXY(at[0], at[1]))
	pressed("a click in the first paragraph", "")
	typeRich(bt, "x")
	pressed("typing there", "")
	md := bt.eval(`newsdeskEditor.editor.markdown()`)
	if !regexp.MustCompile(`(?m)^## .+ words$`).MatchString(md) || !strings.Contains(md, "\n\n**strong** weak\n") {
		t.Errorf("the Markdown after the keys:\n%s", md)
	}
}

// TestEditorTypesIntoNewBlocksInChromium types, at a writer's speed and
// without a pause, a subhead made by "## " and a paragraph made by Enter,
// twenty times over: every key lands where it was typed. The body's
// blocks are rendered only near the screen (admin.css), and Chromium put
// the keys typed at once into a block ProseMirror had just made in the
// wrong place about one time in three ("ubhead words" with the S at the
// end of the next paragraph), until the blocks the cursor is in were
// always rendered (web/editor/src/cursorblock.js).
func TestEditorTypesIntoNewBlocksInChromium(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	e := f.draft(t, "editor", "Many subheads")
	bt := f.browse(t, "editor")
	bt.open("/admin/articles/" + itoa(e.Article.ID))
	bt.waitFor(`!!document.querySelector('.rich-body') && document.querySelector('#body').hidden`)
	bt.eval(`(() => { const v = newsdeskEditor.editor.view; v.focus();
		const S = v.state.selection.constructor; v.dispatch(v.state.tr.setSelection(S.atEnd(v.state.doc))); return "" })()`)
	for i := range 20 {
		typeRich(bt, "\n## Subhead words\nA paragraph here.")
		got := bt.eval(`(() => { const d = newsdeskEditor.editor.view.state.doc;
			return d.child(d.childCount - 2).type.name + ": " + d.child(d.childCount - 2).textContent + " | " + d.child(d.childCount - 1).textContent })()`)
		if want := "heading: Subhead words | A paragraph here."; got != want {
			t.Fatalf("round %d: the last two blocks are %q, want %q", i, got, want)
		}
	}
}
