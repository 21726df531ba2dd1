package markup_test

import (
	"fmt"

	"github.com/newsdesk/newsdesk/internal/markup"
)

func ExampleRender() {
	html, err := markup.Render(`## Reaction

![Rescuers at the site](/media/rescue.jpg "Rescuers on Monday | AFP")

> "We will rebuild," she said.
>
> -- Anna Petrova, mayor`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(html)
	// Output:
	// <h2>Reaction</h2>
	// <figure><img src="/media/rescue.jpg" alt="Rescuers at the site" loading="lazy"><figcaption>Rescuers on Monday <small class="credit">AFP</small></figcaption></figure>
	// <blockquote class="quote">
	// <p>“We will rebuild,” she said.</p>
	// <footer>— Anna Petrova, mayor</footer>
	// </blockquote>
}

func ExampleExcerpt() {
	body := "The **ministry** said on Tuesday that talks had stalled again."
	fmt.Println(markup.Excerpt(body, 30))
	// Output:
	// The ministry said on Tuesday…
}
