package feed

import "io"

// WriteAtom writes f as Atom 1.0 (RFC 4287). The feed's id is its own
// address; each entry's id is the item's tag: URI. The publication is the
// feed's author, so an entry without a byline is still valid; the lead
// photo is a link rel="enclosure", and the WebSub hub a link rel="hub".
func WriteAtom(w io.Writer, f *Feed) error {
	x := newXMLWriter(w)
	x.open("feed", "xmlns", nsAtom, "xml:lang", f.Language)
	x.text("id", f.FeedURL)
	x.text("title", f.Title, "type", "text")
	x.text("subtitle", f.Description, "type", "text")
	x.text("updated", rfc3339(f.updated()))
	x.empty("link", "rel", "alternate", "type", "text/html", "href", f.HomeURL)
	x.empty("link", "rel", "self", "type", "application/atom+xml", "href", f.FeedURL)
	if f.Hub != "" {
		x.empty("link", "rel", "hub", "href", f.Hub)
	}
	if f.Publisher.Name != "" {
		writeAtomPerson(x, "author", f.Publisher)
	}
	x.text("generator", Generator)
	x.text("logo", f.Logo)
	for i := range f.Items {
		it := &f.Items[i]
		x.open("entry")
		x.text("id", it.ID)
		x.text("title", it.Title, "type", "text")
		x.empty("link", "rel", "alternate", "type", "text/html", "href", it.URL)
		if im := it.Image; im != nil {
			x.empty("link", "rel", "enclosure", "type", im.Type, "length", itoa64OrEmpty(im.Length), "title", im.Alt, "href", im.URL)
		}
		x.text("published", rfc3339(it.Published))
		x.text("updated", rfc3339(it.updatedOrPublished()))
		for _, a := range it.Authors {
			writeAtomPerson(x, "author", a)
		}
		for _, c := range it.Categories {
			x.empty("category", "term", c)
		}
		x.text("summary", it.Summary, "type", "text")
		x.text("content", it.ContentHTML, "type", "html")
		x.close("entry")
	}
	x.close("feed")
	return x.flush()
}

func writeAtomPerson(x *xmlWriter, elem string, p Person) {
	x.open(elem)
	x.text("name", p.Name)
	x.text("uri", p.URL)
	x.close(elem)
}
