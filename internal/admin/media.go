package admin

import (
	"net/http"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

type mediaView struct {
	page
	sizeLimits
	Photos []news.Photo
	Next   string
	Prev   string
}

const mediaPage = 48

// listMedia shows the photo library, newest first, and the upload form.
func (a *Admin) listMedia(w http.ResponseWriter, r *http.Request) error {
	return a.renderMedia(w, r, http.StatusOK, nil)
}

func (a *Admin) renderMedia(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	off = max(off, 0)
	list, err := a.store.LibraryPhotos(r.Context(), mediaPage+1, off)
	if err != nil {
		return err
	}
	v := &mediaView{page: a.newPage(r, "Photos"), sizeLimits: a.sizeLimits()}
	if len(list) > mediaPage {
		list = list[:mediaPage]
		v.Next = "/admin/media?offset=" + strconv.Itoa(off+mediaPage)
	}
	if off > 0 {
		v.Prev = "/admin/media?offset=" + strconv.Itoa(max(off-mediaPage, 0))
	}
	v.Photos = list
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "media", v)
}

// uploadMedia adds a photo to the library: checked by its content (not its
// name), its size and pixels checked before it is decoded, and stored
// re-encoded so no EXIF or GPS data reaches the public. The same file twice
// is stored once.
func (a *Admin) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	if r.MultipartForm == nil || len(r.MultipartForm.File["photo"]) == 0 {
		return a.renderMedia(w, r, http.StatusBadRequest, news.Invalid("photo", "choose a file to upload"))
	}
	fh := r.MultipartForm.File["photo"][0]
	data, err := readUpload(fh, a.limits().MaxBytes)
	if err != nil {
		return a.renderMedia(w, r, statusOf(err), err)
	}
	m, err := a.media.Put(fh.Filename, data, a.limits())
	if err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return a.renderMedia(w, r, http.StatusBadRequest, news.Invalid("photo", "%s", news.ErrorMessage(err)))
		}
		return err
	}
	alt, caption, credit := news.CleanText(r.FormValue("alt")), news.CleanText(r.FormValue("caption")), news.CleanText(r.FormValue("credit"))
	dup := false
	err = a.store.InTx(r.Context(), func(tx *store.Store) error {
		if _, err := tx.PhotoByHash(r.Context(), m.Hash); err == nil {
			dup = true
		}
		if err := tx.SaveMedia(r.Context(), &m); err != nil {
			return err
		}
		return tx.FillPhotoDefaults(r.Context(), m.ID, alt, caption, credit)
	})
	if err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return a.renderMedia(w, r, http.StatusBadRequest, err)
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

type mediaItemView struct {
	page
	Photo    news.Photo
	Variants []media.Variant
	Uses     []*news.Editorial
	Markdown string
}

// showMedia shows one photo: its variants, its default words, the Markdown
// that puts it in a body, and the articles that use it.
func (a *Admin) showMedia(w http.ResponseWriter, r *http.Request) error {
	return a.renderMediaItem(w, r, http.StatusOK, nil)
}

func (a *Admin) renderMediaItem(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
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
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "mediaitem", v)
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
