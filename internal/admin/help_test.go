package admin

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/markup"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestQuoteHelpMatchesParser takes the attributed quote the editor's help
// shows as an example, as a writer would copy it, and renders it with the
// public page's code: it must come out as an attributed quote. The help
// once said "ending with a line > — Name", which the parser reads as one
// paragraph and so as a plain quote.
func TestQuoteHelpMatchesParser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		res := f.as(t, "contributor").get("/admin/articles/new")
		m := regexp.MustCompile(`(?s)<pre[^>]*id="quote-example"[^>]*><code>(.*?)</code></pre>`).FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("the editor's help shows no attributed quote example (id=quote-example):\n%s", helpOf(res.body))
		}
		example := html.UnescapeString(m[1])
		out, err := markup.Render(example)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, `<blockquote class="quote">`) || !strings.Contains(out, "<footer>— ") {
			t.Errorf("the help's example %q renders as\n%s\nwhich is not an attributed quote", example, out)
		}
		// The words around it say what the parser takes: the name in its
		// own paragraph (after a line holding only ">"), starting with an
		// em dash or two hyphens.
		help := helpOf(res.body)
		for _, want := range []string{"— ", "-- ", "its own paragraph"} {
			if !strings.Contains(help, want) {
				t.Errorf("the body's help does not say %q:\n%s", want, help)
			}
		}
	})
}

// TestOneParagraphQuoteIsPlain pins the parser's side of the rule the help
// explains: a dash line inside the quote's only paragraph is no attribution.
func TestOneParagraphQuoteIsPlain(t *testing.T) {
	out, err := markup.Render("> We will rebuild.\n> — Mara Lindqvist")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "<footer>") {
		t.Errorf("a one-paragraph quote became attributed: %s", out)
	}
}

// helpOf is the body field's help, for messages.
func helpOf(body string) string {
	i := strings.Index(body, `id="body-help"`)
	if i < 0 {
		return "(no body help)"
	}
	j := strings.Index(body[i:], "</div>")
	if j < 0 {
		j = len(body) - i
	}
	return body[i : i+j]
}
