package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
)

// The body editor's photo endpoints (web/editor/src/photos.js): the
// library searched from a dialog, and a photo uploaded from the editor
// (picked, pasted or dropped) answered with what the body's Markdown needs.
// The upload goes through the same checks as the library's own form.

// editorPhoto is a library photo as the editor's dialog uses it.
type editorPhoto struct {
	ID      int64        `json:"id"`
	Src     string       `json:"src"` // the variant a body's figure names: "/media/ab/abcd…-1280.jpg"
	Width   int          `json:"width"`
	Height  int          `json:"height"`
	Alt     string       `json:"alt"`
	Caption string       `json:"caption"`
	Credit  string       `json:"credit"`
	Name    string       `json:"name"`
	Thumb   *editorThumb `json:"thumb,omitempty"`
}

type editorThumb struct {
	Src    string `json:"src"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

func newEditorPhoto(p news.Photo) (editorPhoto, bool) {
	v, ok := media.BodyVariant(p.Media)
	if !ok {
		return editorPhoto{}, false
	}
	ep := editorPhoto{ID: p.Media.ID, Src: "/media/" + v.Key, Width: v.Width, Height: v.Height,
		Alt: p.Alt, Caption: p.Caption, Credit: p.Credit, Name: p.Media.Name}
	t := media.Variants(p.Media)[0]
	ep.Thumb = &editorThumb{Src: "/media/" + t.Key, Width: t.Width, Height: t.Height}
	return ep, true
}

const (
	// editorPhotoPage is how many photos one answer of the search holds.
	editorPhotoPage = 24
	// editorPhotoScan is how many of the newest photos a search reads:
	// the library has no index of its words yet, and a writer looks for
	// a recent photo far more often than an old one.
	editorPhotoScan = 5000
)

// listEditorPhotos answers the editor's library dialog: the newest photos,
// or those whose alt text, caption, credit or file name hold every word of
// q, editorPhotoPage at a time from offset.
func (a *Admin) listEditorPhotos(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(offset, 0)
	words := strings.Fields(fold(q.Get("q")))
	var out []editorPhoto
	next := 0
	matched := 0
	const batch = 500
	for scanned := 0; scanned < editorPhotoScan && next == 0; scanned += batch {
		list, err := a.store.LibraryPhotos(r.Context(), batch, scanned)
		if err != nil {
			return err
		}
		for _, p := range list {
			if !photoMatches(p, words) {
				continue
			}
			ep, ok := newEditorPhoto(p)
			if !ok {
				continue
			}
			matched++
			if matched <= offset {
				continue
			}
			if len(out) == editorPhotoPage {
				next = offset + editorPhotoPage
				break
			}
			out = append(out, ep)
		}
		if len(list) < batch {
			break
		}
	}
	if out == nil {
		out = []editorPhoto{}
	}
	resp := map[string]any{"photos": out}
	if next > 0 {
		resp["next"] = next
	}
	return writeJSON(w, http.StatusOK, resp)
}

func photoMatches(p news.Photo, words []string) bool {
	if len(words) == 0 {
		return true
	}
	text := fold(p.Alt + " " + p.Caption + " " + p.Credit + " " + p.Media.Name)
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// fold is s for matching: lower case.
func fold(s string) string { return strings.ToLower(s) }

// uploadEditorPhoto adds a photo to the library from the editor and
// answers it as JSON, with the library's words if the same file was
// already there: uploadPhoto, answered for a script.
func (a *Admin) uploadEditorPhoto(w http.ResponseWriter, r *http.Request) error {
	m, dup, err := a.uploadPhoto(r)
	if a.photoStoreAway(w, err) {
		return writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": news.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	p, err := a.store.LibraryPhoto(r.Context(), m.ID)
	if err != nil {
		return err
	}
	ep, ok := newEditorPhoto(p)
	if !ok {
		return news.Invalid("photo", "the photo was stored but has no public copy to show")
	}
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	return writeJSON(w, status, map[string]any{"photo": ep, "duplicate": dup})
}

// fillEditorPhotoWords gives a library photo the alt text, caption and
// credit a writer typed for it in the editor, where it has none of its
// own: the library's words are never replaced from here (that takes an
// editor, on the photo's page), only filled in.
func (a *Admin) fillEditorPhotoWords(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	alt, caption, credit := news.CleanText(r.PostFormValue("alt")), news.CleanText(r.PostFormValue("caption")), news.CleanText(r.PostFormValue("credit"))
	if err := a.store.FillPhotoDefaults(r.Context(), id, alt, caption, credit); err != nil {
		return err
	}
	p, err := a.store.LibraryPhoto(r.Context(), id)
	if err != nil {
		return err
	}
	ep, _ := newEditorPhoto(p)
	return writeJSON(w, http.StatusOK, map[string]any{"photo": ep})
}
