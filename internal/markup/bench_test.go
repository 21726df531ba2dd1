package markup

import (
	"fmt"
	"strings"
	"testing"
)

// benchSection is about 300 words of an ordinary article: paragraphs with
// links and emphasis, a subhead, a figure, an attributed quote, a list.
const benchSection = `Officials in the regional capital said on Tuesday that talks on the new
grain corridor had stalled again, after a week in which both delegations
traded accusations over the inspection of cargo ships. The ministry's
spokeswoman told [reporters](https://example.org/briefing) that "no date"
had been set for the next round, and that the government would "not accept
conditions written elsewhere".

## Section %d: what the delegations want

The proposal, seen by *Newsdesk*, would let ships leave three ports under
joint inspection -- a compromise first floated in March. Diplomats say the
sticking points are the **insurance guarantees** and the list of goods that
count as agricultural.

![Cargo ships wait at the port entrance](/media/2024/port-%d.jpg "Cargo ships wait at the port entrance on Monday | AFP")

> "We have done everything that was asked of us, and more. Now it is for the
> other side to show it wants an agreement," the deputy minister said.
>
> -- Deputy Foreign Minister, speaking to Interfax

Analysts were divided. Some pointed to the record harvest, which leaves
storage full and farmers short of cash; others to the approaching elections,
which make any concession costly for both governments.

- Exports fell by a third in the first quarter.
- Freight rates have doubled since January.
- Insurers have raised war-risk premiums twice.

The talks are expected to resume after the holiday, according to two people
familiar with the matter, who asked not to be named because they were not
authorised to speak publicly. Read our [earlier report](/news/economy/grain-talks-%d)
for the background, or the [full statement](https://example.org/statement.pdf)
published by the ministry --- in English and in Russian.

`

// benchArticle returns an article of about 1,500 words.
func benchArticle() string {
	var b strings.Builder
	for i := range 6 {
		fmt.Fprintf(&b, benchSection, i+1, i+1, i+1)
	}
	return b.String()
}

func TestBenchArticleLength(t *testing.T) {
	if n := len(strings.Fields(Text(benchArticle()))); n < 1400 || n > 1700 {
		t.Errorf("bench article has %d words, want about 1,500", n)
	}
}

func BenchmarkRender(b *testing.B) {
	src := benchArticle()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Render(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkText(b *testing.B) {
	src := benchArticle()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		_ = Text(src)
	}
}
