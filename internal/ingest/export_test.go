package ingest

// SetRender makes im render Markdown through f, so a test can count the
// renders an import costs.
func SetRender(im *Importer, f func(string) (string, error)) { im.render = f }
