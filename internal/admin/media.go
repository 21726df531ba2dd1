package admin

import (
	"errors"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

type mediaView struct {
	page
	sizeLimits
	Photos []news.Photo
	Next   string
	First  string // the first page, when this is not it
	// The search as typed.
	Caption, Credit, From, To string
	Filtered                  bool
	Uploads                   []uploadLine // what became of each file of a multiple upload
	Uploaded, UploadFailed    int
	MaxUpload                 int64 // the upload form's limit
	MaxFiles                  int
}

// uploadLine is one file of an upload: stored (perhaps a file the library
// had), or refused and why.
type uploadLine struct {
	Name   string
	ID     int64
	Dup    bool
	Reason string
}

const mediaPage = 48

// maxUploadFiles is how many photos one upload takes.
const maxUploadFiles = 20

// maxUpload is the most bytes the library's upload form may hold: as many
// photos as it takes, each of the largest size.
func (a *Admin) maxUpload() int64 { return a.limits().MaxBytes*maxUploadFiles + 2<<20 }

// listMedia shows the photo library, newest first, searchable by caption
// (or alt text), credit and upload date, a page at a time, and the upload
// form.
func (a *Admin) listMedia(w http.ResponseWriter, r *http.Request) error {
	return a.renderMedia(w, r, http.StatusOK, nil)
}

// readMediaQuery reads the library's search: caption, credit, from and to
// (days, YYYY-MM-DD, in the newsroom's time zone, both included) and after
// (the place a "Next" link starts from). Errors name their parameter.
func (a *Admin) readMediaQuery(r *http.Request, v *mediaView) (store.PhotoFilter, url.Values, error) {
	q := r.URL.Query()
	var p news.Problems
	keep := url.Values{}
	f := store.PhotoFilter{Limit: mediaPage + 1}
	v.Caption, v.Credit = strings.TrimSpace(q.Get("caption")), strings.TrimSpace(q.Get("credit"))
	v.From, v.To = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	f.Caption, f.Credit = v.Caption, v.Credit
	for name, val := range map[string]string{"caption": v.Caption, "credit": v.Credit} {
		if val != "" {
			keep.Set(name, val)
		}
		if len([]rune(val)) > news.MaxCaption {
			p.Add(name, "%s: is longer than %d characters", name, news.MaxCaption)
		}
	}
	loc := a.location(r.Context())
	f.From, f.To = dayRange(loc, &p, keep, &v.From, &v.To)
	if s := q.Get("after"); s != "" {
		at, id, ok := strings.Cut(s, ":")
		t, err1 := strconv.ParseInt(at, 10, 64)
		n, err2 := strconv.ParseInt(id, 10, 64)
		if !ok || err1 != nil || err2 != nil || n <= 0 {
			p.Add("after", "after: %q is not a place in the library (it comes from an “Older” link): start from the newest", s)
		} else {
			f.After = store.Cursor{Time: time.UnixMicro(t).UTC(), ID: n}
		}
	}
	v.Filtered = len(keep) > 0
	return f, keep, p.Err()
}

func (a *Admin) renderMedia(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	v := &mediaView{page: a.newPage(r, "Photos"), sizeLimits: a.sizeLimits(), MaxUpload: a.maxUpload(), MaxFiles: maxUploadFiles}
	return a.renderMediaView(w, r, status, ferr, v)
}

func (a *Admin) renderMediaView(w http.ResponseWriter, r *http.Request, status int, ferr error, v *mediaView) error {
	f, keep, err := a.readMediaQuery(r, v)
	if err != nil {
		if ferr == nil {
			ferr, status = err, http.StatusBadRequest
		}
	} else {
		list, err := a.store.SearchPhotos(r.Context(), f)
		if err != nil {
			return err
		}
		if len(list) > mediaPage {
			list = list[:mediaPage]
			last := list[mediaPage-1].Media
			next := url.Values{}
			for k, vs := range keep {
				next[k] = vs
			}
			next.Set("after", strconv.FormatInt(last.CreatedAt.UnixMicro(), 10)+":"+strconv.FormatInt(last.ID, 10))
			v.Next = "/admin/media?" + next.Encode()
		}
		if !f.After.IsZero() {
			v.First = "/admin/media"
			if len(keep) > 0 {
				v.First += "?" + keep.Encode()
			}
		}
		v.Photos = list
	}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "media", v)
}

// uploadMedia adds photos to the library, one or several at once: each is
// checked by its content (not its name), its size and pixels checked
// before it is decoded, and stored re-encoded so no EXIF or GPS data
// reaches the public. The same file twice is stored once. Each photo is
// stored whole or not at all (newsroom.PutPhoto), apart from the others:
// of several, those refused are named with the reason, and the rest are
// in the library. One photo alone leads to its page.
func (a *Admin) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	if r.MultipartForm != nil && len(r.MultipartForm.File["photo"]) > 1 {
		return a.uploadPhotos(w, r)
	}
	m, dup, err := a.uploadPhoto(r)
	if err != nil {
		if a.photoStoreAway(w, err) {
			return a.renderMedia(w, r, http.StatusServiceUnavailable, err)
		}
		if status := statusOf(err); status < http.StatusInternalServerError {
			return a.renderMedia(w, r, status, err)
		}
		return err
	}
	done := "uploaded"
	if dup {
		done = "duplicate"
	}
	http.Redirect(w, r, "/admin/media/"+strconv.FormatInt(m.ID, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

// uploadPhotos stores each file of a multiple upload, with the form's
// alt, caption and credit, and shows the library with what became of each.
func (a *Admin) uploadPhotos(w http.ResponseWriter, r *http.Request) error {
	files := r.MultipartForm.File["photo"]
	v := &mediaView{page: a.newPage(r, "Photos"), sizeLimits: a.sizeLimits(), MaxUpload: a.maxUpload(), MaxFiles: maxUploadFiles}
	if len(files) > maxUploadFiles {
		return a.renderMediaView(w, r, http.StatusBadRequest,
			news.Invalid("photo", "%d files chosen: upload at most %d at once", len(files), maxUploadFiles), v)
	}
	for i, fh := range files {
		line := uploadLine{Name: fh.Filename}
		data, err := readUpload(fh, a.limits().MaxBytes)
		var m news.Media
		if err == nil {
			m, line.Dup, err = newsroom.PutPhoto(r.Context(), a.store, a.media, a.limits(), newsroom.Actor{User: userOf(r)},
				newsroom.Photo{Name: fh.Filename, Data: data, Alt: r.FormValue("alt"), Caption: r.FormValue("caption"), Credit: r.FormValue("credit")})
		}
		if err != nil {
			if a.photoStoreAway(w, err) {
				// The rest would fail alike: they are not tried, and
				// the page says why; those above are in the library.
				for _, rest := range files[i:] {
					v.Uploads = append(v.Uploads, uploadLine{Name: rest.Filename, Reason: "not stored: the photo store cannot be reached"})
					v.UploadFailed++
				}
				return a.renderMediaView(w, r, http.StatusServiceUnavailable, err, v)
			}
			if statusOf(err) >= http.StatusInternalServerError {
				return err
			}
			line.Reason = news.ErrorMessage(err)
			v.UploadFailed++
		} else {
			line.ID = m.ID
			v.Uploaded++
		}
		v.Uploads = append(v.Uploads, line)
	}
	status := http.StatusOK
	if v.Uploaded == 0 {
		status = http.StatusBadRequest
	}
	return a.renderMediaView(w, r, status, nil, v)
}

type mediaItemView struct {
	page
	Photo    news.Photo
	Variants []media.Variant
	Uses     []*news.Editorial
	Markdown string
	Framing  framingView
}

// framingView is the focal point and crops form (see saveFraming).
type framingView struct {
	CropJS         string        // crop.js, which lets the editor drag instead of typing
	Stage          media.Variant // the copy the editor frames on, at most 1280 wide
	FocusX, FocusY string        // as typed or stored; "" for the centre
	Crops          []cropView
}

// cropView is one shape's crop on the form.
type cropView struct {
	Aspect     news.Aspect
	Field      string // "crop_16x9": its inputs are Field+"_x" and so on
	Use        string // where it is shown
	X, Y, W, H string // the drawn crop as typed or stored; "" when it follows the focal point
	Suggested  news.Rect
	Preview    media.Variant // the copy of the crop shown now
}

// cropUses says where each shape is shown.
var cropUses = map[news.Aspect]string{
	news.Wide:     "cards, the top story, social previews, search results",
	news.Standard: "cards on phones, search results",
	news.Square:   "search results",
}

// showMedia shows one photo: its variants, its default words, the Markdown
// that puts it in a body, and the articles that use it.
func (a *Admin) showMedia(w http.ResponseWriter, r *http.Request) error {
	return a.renderMediaItem(w, r, http.StatusOK, nil)
}

func (a *Admin) renderMediaItem(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	return a.renderMediaItemTyped(w, r, status, ferr, nil)
}

// renderMediaItemTyped is renderMediaItem with the framing form showing
// what was typed (typed), when it comes back with an error.
func (a *Admin) renderMediaItemTyped(w http.ResponseWriter, r *http.Request, status int, ferr error, typed url.Values) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.store.LibraryPhoto(r.Context(), id)
	if err != nil {
		return err
	}
	uses, err := a.store.PhotoUses(r.Context(), p.Media, auth.ArticleScope(userOf(r)))
	if err != nil {
		return err
	}
	v := &mediaItemView{page: a.newPage(r, "Photo "+strconv.FormatInt(id, 10)), Photo: p, Variants: media.Variants(p.Media), Uses: uses}
	if len(v.Variants) > 0 {
		best := v.Variants[0]
		for _, x := range v.Variants {
			if x.Width <= 1280 {
				best = x
			}
		}
		title := p.Caption
		if p.Credit != "" {
			title += " | " + p.Credit
		}
		v.Markdown = "![" + or(p.Alt, "Describe the photo") + "](/media/" + best.Key + ` "` + title + `")`
	}
	v.Framing = a.framingView(p.Media, typed)
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
		// A crop's error names the crop: the cursor goes to its first
		// input.
		if strings.HasPrefix(v.Field, "crop_") && strings.Count(v.Field, "_") == 1 {
			v.Field += "_x"
		}
	}
	return a.render(w, r, status, "mediaitem", v)
}

// framingView fills the framing form from m's framing, or from what was
// typed when a form comes back with an error.
func (a *Admin) framingView(m news.Media, typed url.Values) framingView {
	fv := framingView{CropJS: a.cropJS}
	for _, x := range media.Variants(m) {
		if x.Width <= 1280 || fv.Stage.Key == "" {
			fv.Stage = x
		}
	}
	f := m.Framing
	if f.HasFocus {
		fv.FocusX = strconv.FormatFloat(f.Focus.X, 'f', -1, 64)
		fv.FocusY = strconv.FormatFloat(f.Focus.Y, 'f', -1, 64)
	}
	if typed != nil {
		fv.FocusX, fv.FocusY = typed.Get("focus_x"), typed.Get("focus_y")
	}
	for _, shape := range news.Aspects {
		c := cropView{Aspect: shape, Field: news.CropField(shape), Use: cropUses[shape],
			Suggested: news.SuggestCrop(shape, m.Width, m.Height, f.FocusPoint())}
		if r, ok := f.Explicit(shape); ok {
			c.X, c.Y, c.W, c.H = strconv.Itoa(r.X), strconv.Itoa(r.Y), strconv.Itoa(r.W), strconv.Itoa(r.H)
		}
		if typed != nil {
			c.X, c.Y, c.W, c.H = typed.Get(c.Field+"_x"), typed.Get(c.Field+"_y"), typed.Get(c.Field+"_w"), typed.Get(c.Field+"_h")
		}
		for _, x := range media.CropVariants(m, shape) {
			if x.Width <= 640 || c.Preview.Key == "" {
				c.Preview = x
			}
		}
		fv.Crops = append(fv.Crops, c)
	}
	return fv
}

// saveFraming sets a photo's focal point and crops (news.Framing). Each is
// typed as numbers, or, with crop.js, set by dragging on the photo. A crop
// whose four fields are empty follows the focal point. The public copies
// of the new crops are made before the framing is stored, so no page
// names a copy that is not there yet; their addresses are new, so no
// cache shows the old crop.
func (a *Admin) saveFraming(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.store.LibraryPhoto(r.Context(), id)
	if err != nil {
		return err
	}
	bad := func(err error) error {
		return a.renderMediaItemTyped(w, r, http.StatusBadRequest, err, r.PostForm)
	}
	f, err := parseFraming(r.PostForm)
	if err != nil {
		return bad(err)
	}
	if err := f.Check(p.Media.Width, p.Media.Height); err != nil {
		return bad(err)
	}
	m := p.Media
	m.Framing = f
	if err := a.media.PutCrops(m); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// The media folder lost the original (a damaged copy, a
			// restore without media/): say so rather than "went wrong".
			return bad(news.Invalid("framing", "the photo's original is missing from the media folder, so no crop can be cut from it; upload the photo again"))
		}
		if a.photoStoreAway(w, err) {
			// The framing is not saved: no page names a crop not stored.
			return a.renderMediaItemTyped(w, r, http.StatusServiceUnavailable, err, r.PostForm)
		}
		return err
	}
	if err := a.store.SetPhotoFraming(r.Context(), id, f); err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return bad(err)
		}
		return err
	}
	a.changed()
	http.Redirect(w, r, "/admin/media/"+strconv.FormatInt(id, 10)+"?done=saved#framing-title", http.StatusSeeOther)
	return nil
}

// parseFraming reads the framing form: focus_x and focus_y (both empty:
// the centre), and for each shape crop_16x9_x, _y, _w and _h (all empty:
// the crop follows the focal point). Errors name the input.
func parseFraming(form url.Values) (news.Framing, error) {
	var f news.Framing
	var p news.Problems
	fx, fy := strings.TrimSpace(form.Get("focus_x")), strings.TrimSpace(form.Get("focus_y"))
	if fx != "" || fy != "" {
		var pt news.Point
		for _, c := range []struct {
			name string
			text string
			dst  *float64
		}{{"focus_x", fx, &pt.X}, {"focus_y", fy, &pt.Y}} {
			v, err := strconv.ParseFloat(c.text, 64)
			if err != nil || math.IsInf(v, 0) {
				p.Add(c.name, "%q is not a number between 0 and 1", c.text)
				continue
			}
			*c.dst = v
		}
		f.SetFocus(pt)
	}
	for _, shape := range news.Aspects {
		field := news.CropField(shape)
		var texts [4]string
		empty := true
		for i, part := range []string{"_x", "_y", "_w", "_h"} {
			texts[i] = strings.TrimSpace(form.Get(field + part))
			empty = empty && texts[i] == ""
		}
		if empty {
			continue
		}
		var n [4]int
		ok := true
		for i, part := range []string{"_x", "_y", "_w", "_h"} {
			v, err := strconv.Atoi(texts[i])
			if err != nil {
				p.Add(field+part, "the %s crop's %s: %q is not a whole number of pixels (leave all four empty to follow the focal point)",
					shape, map[string]string{"_x": "left edge", "_y": "top edge", "_w": "width", "_h": "height"}[part], texts[i])
				ok = false
				break
			}
			n[i] = v
		}
		if ok {
			r := news.Rect{X: n[0], Y: n[1], W: n[2], H: n[3]}
			if r == (news.Rect{}) {
				// All zero would read as "not drawn": it is an empty crop.
				p.Add(field, "the %s crop is empty (0 x 0 pixels)", shape)
				continue
			}
			f.SetCrop(shape, r)
		}
	}
	return f, p.Err()
}

// saveMedia changes a photo's default alt text, caption and credit.
func (a *Admin) saveMedia(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.store.LibraryPhoto(r.Context(), id)
	if err != nil {
		return err
	}
	// A field the form does not carry keeps its words; the page sends all
	// three (empty to clear one).
	for name, dst := range map[string]*string{"alt": &p.Alt, "caption": &p.Caption, "credit": &p.Credit} {
		if r.PostForm.Has(name) {
			*dst = news.CleanText(r.PostForm.Get(name))
		}
	}
	err = a.store.SetPhotoDefaults(r.Context(), id, p.Alt, p.Caption, p.Credit)
	if news.ErrorCode(err) == news.EINVALID {
		return a.renderMediaItem(w, r, http.StatusBadRequest, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/media/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

// photoStoreAway reports whether err is the photo store's being out of
// reach (an object store that is down or cut off), and if so logs the
// cause and asks the client to come back later. The upload's answer then
// says so in the store's words, which name the store and say that nothing
// was saved (see media.ErrUnavailable), rather than the generic "something
// went wrong" of a 5xx: the editor can do something about this one, wait
// and try again. Nothing is half-written: the photo is stored before its
// library entry, and an article takes it only after both.
func (a *Admin) photoStoreAway(w http.ResponseWriter, err error) bool {
	if !errors.Is(err, media.ErrUnavailable) {
		return false
	}
	a.log.Warn("a photo upload was refused: the photo store cannot be reached", "err", err)
	w.Header().Set("Retry-After", "30")
	return true
}

// uploadPhoto stores the form's "photo" file, checked by its content (not
// its name), its size and pixels checked before it is decoded, re-encoded so
// no EXIF or GPS data reaches the public, and records it in the library,
// where the form's alt, caption and credit fill the photo's empty words.
// dup says the library had the same file already. The library's upload and
// the editor's both use it.
func (a *Admin) uploadPhoto(r *http.Request) (m news.Media, dup bool, err error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["photo"]) == 0 {
		return m, false, news.Invalid("photo", "choose a photo to upload")
	}
	fh := r.MultipartForm.File["photo"][0]
	data, err := readUpload(fh, a.limits().MaxBytes)
	if err != nil {
		return m, false, err
	}
	return newsroom.PutPhoto(r.Context(), a.store, a.media, a.limits(), newsroom.Actor{User: userOf(r)},
		newsroom.Photo{Name: fh.Filename, Data: data, Alt: r.FormValue("alt"), Caption: r.FormValue("caption"), Credit: r.FormValue("credit")})
}
