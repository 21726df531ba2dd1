package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

// articleForm is the editor's form, as sent or as shown.
type articleForm struct {
	Headline, Slug, Summary, Body       string
	SectionID                           int64
	Tags                                string // comma-separated
	Bylines                             string // one per line, in credit order
	PhotoID                             int64
	PhotoAlt, PhotoCaption, PhotoCredit string
	RemovePhoto                         bool
	SEOTitle, SEODescription            string
	Base                                int  // the revision the writer started from
	Updated                             bool // a substantive update: set the public "updated" time
	PublishAt                           string
	Draft                               string // the editor page's draft token (autosaves)
	upload                              []byte
	uploadName                          string
}

// maxForm bounds an editor post: the largest photo plus the text.
func (a *Admin) maxForm() int64 { return a.limits().MaxBytes + 2<<20 }

func (a *Admin) limits() media.Limits {
	l := a.cfg.Limits
	d := media.DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = d.MaxSide
	}
	return l
}

// autosaveForm bounds an autosave: the editor's text without the photo.
const autosaveForm = 2 << 20

// readArticleForm reads the editor's fields, as the form reader read them
// (form.go), and the photo file if one was chosen (its size checked before
// anything decodes it).
func (a *Admin) readArticleForm(r *http.Request) (*articleForm, error) {
	get := func(k string) string { return r.FormValue(k) }
	f := &articleForm{
		Headline: news.CleanText(get("headline")), Slug: strings.TrimSpace(get("slug")),
		Summary: news.CleanText(get("summary")), Body: strings.ReplaceAll(get("body"), "\r\n", "\n"),
		Tags: get("tags"), Bylines: get("bylines"),
		PhotoAlt: news.CleanText(get("photo_alt")), PhotoCaption: news.CleanText(get("photo_caption")), PhotoCredit: news.CleanText(get("photo_credit")),
		RemovePhoto: get("remove_photo") != "", SEOTitle: news.CleanText(get("seo_title")), SEODescription: news.CleanText(get("seo_description")),
		Updated: get("updated") != "", PublishAt: get("publish_at"), Draft: draftToken(get("draft")),
	}
	f.SectionID, _ = strconv.ParseInt(get("section"), 10, 64)
	f.PhotoID, _ = strconv.ParseInt(get("photo_id"), 10, 64)
	f.Base, _ = strconv.Atoi(get("base"))
	if r.MultipartForm != nil {
		if fh := r.MultipartForm.File["photo"]; len(fh) > 0 && fh[0].Size > 0 {
			data, err := readUpload(fh[0], a.limits().MaxBytes)
			if err != nil {
				return f, err
			}
			f.upload, f.uploadName = data, fh[0].Filename
		}
	}
	return f, nil
}

// readUpload reads an uploaded file, refusing it unread when it is over max.
func readUpload(fh *multipart.FileHeader, max int64) ([]byte, error) {
	if fh.Size > max {
		return nil, news.Invalid("photo", "%q is %d MB; the limit is %d MB", fh.Filename, fh.Size>>20, max>>20)
	}
	file, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, news.Invalid("photo", "%q is larger than %d MB", fh.Filename, max>>20)
	}
	return data, nil
}

// splitList splits a list field at sep, trimming and dropping empties and
// repeats.
func splitList(s, sep string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), sep) {
		p = news.CleanText(p)
		if p == "" || seen[strings.ToLower(p)] {
			continue
		}
		seen[strings.ToLower(p)] = true
		out = append(out, p)
	}
	return out
}

// content is the form's text as a revision holds it.
func (f *articleForm) content() news.RevisionContent {
	return news.RevisionContent{Headline: f.Headline, Slug: f.Slug, Summary: f.Summary, Body: f.Body, SectionID: f.SectionID,
		Tags: splitList(f.Tags, ","), Bylines: splitList(f.Bylines, "\n"), PhotoID: f.PhotoID,
		PhotoAlt: f.PhotoAlt, PhotoCaption: f.PhotoCaption, PhotoCredit: f.PhotoCredit, SEOTitle: f.SEOTitle, SEODescription: f.SEODescription}
}

// formOf fills the form from a revision's content.
func formOf(c news.RevisionContent, base int) *articleForm {
	return &articleForm{Headline: c.Headline, Slug: c.Slug, Summary: c.Summary, Body: c.Body, SectionID: c.SectionID,
		Tags: strings.Join(c.Tags, ", "), Bylines: strings.Join(c.Bylines, "\n"), PhotoID: c.PhotoID,
		PhotoAlt: c.PhotoAlt, PhotoCaption: c.PhotoCaption, PhotoCredit: c.PhotoCredit, SEOTitle: c.SEOTitle, SEODescription: c.SEODescription, Base: base}
}

// editorialFrom builds the article a form or a revision describes, by the
// rules the write API shares (newsroom.EditorialFrom).
func (a *Admin) editorialFrom(ctx context.Context, tx *store.Store, c news.RevisionContent, old *news.Editorial) (*news.Editorial, error) {
	return newsroom.EditorialFrom(ctx, tx, c, old)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// step is what a workflow button does after the text is saved.
type step struct {
	done string // the flash after the redirect
	// move runs in the save's transaction, after the save.
	move func(ctx context.Context, tx *store.Store, u *news.User, e *news.Editorial) error
}

// saveFromEditor saves what the editor sent: the text as a new revision
// (unless it is unchanged), then the step, all in one transaction. A form
// with a mistake is shown again with everything as typed; a save based on
// an old revision is kept as a conflict revision and the writer is shown
// both.
func (a *Admin) saveFromEditor(w http.ResponseWriter, r *http.Request, old *news.Editorial, st step) error {
	u := userOf(r)
	ctx := r.Context()
	f, err := a.readArticleForm(r)
	if err != nil {
		if f == nil || news.ErrorCode(err) != news.EINVALID {
			return err
		}
		return a.renderEditor(w, r, statusOf(err), old, f, err, nil)
	}
	if f.upload != nil {
		// The photo goes into the library first, on its own: if the
		// article then has a mistake, the form shown again already holds
		// the photo, and nobody uploads it twice.
		m, err := a.media.Put(f.uploadName, f.upload, a.limits())
		if err != nil {
			if news.ErrorCode(err) == news.EINVALID {
				err = news.Invalid("photo", "%s", news.ErrorMessage(err))
			}
			return a.renderEditor(w, r, statusOf(err), old, f, err, nil)
		}
		err = a.store.InTx(ctx, func(tx *store.Store) error {
			if err := tx.SaveMedia(ctx, &m); err != nil {
				return err
			}
			return tx.FillPhotoDefaults(ctx, m.ID, f.PhotoAlt, f.PhotoCaption, f.PhotoCredit)
		})
		if err != nil {
			if news.ErrorCode(err) == news.EINVALID {
				return a.renderEditor(w, r, statusOf(err), old, f, err, nil)
			}
			return err
		}
		f.PhotoID = m.ID
	} else if f.RemovePhoto {
		f.PhotoID = 0
	}
	var e *news.Editorial
	var rev *news.Revision
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		var err error
		e, rev, err = newsroom.Save(ctx, tx, newsroom.Actor{User: u}, old, newsroom.Edit{Content: f.content(), Base: f.Base, Updated: f.Updated, At: a.now()})
		if err != nil || rev != nil && rev.Kind == news.ConflictRevision {
			return err
		}
		// The page's autosaves end with the save: one still on its way,
		// or sent as the page unloads, is refused when it arrives.
		if err := tx.CloseAutosave(ctx, u.ID, idOrZero(old), f.Draft, a.now().UTC()); err != nil {
			return err
		}
		if st.move != nil {
			return st.move(ctx, tx, u, e)
		}
		return nil
	})
	if err != nil {
		if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT || c == news.EFORBIDDEN {
			return a.renderEditor(w, r, statusOf(err), old, f, err, nil)
		}
		return err
	}
	a.changed()
	if rev != nil && rev.Kind == news.ConflictRevision {
		cur, err := a.store.Editorial(ctx, e.Article.ID)
		if err != nil {
			return err
		}
		f.Base = cur.Revision
		f.Draft = newDraftToken() // the save closed the old page's token
		return a.renderEditor(w, r, http.StatusConflict, cur, f, nil, &conflictView{Mine: rev.Number, Theirs: cur.Revision, Who: cur.LastEditor})
	}
	done := "saved"
	if old == nil {
		done = "created"
	}
	if st.done != "" {
		done = st.done
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(e.Article.ID, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

func idOrZero(e *news.Editorial) int64 {
	if e == nil {
		return 0
	}
	return e.Article.ID
}

func articleTarget(e *news.Editorial) string { return "article " + strconv.FormatInt(e.Article.ID, 10) }

// loadArticle reads the article of the {id} path value.
func (a *Admin) loadArticle(r *http.Request) (*news.Editorial, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.store.Editorial(r.Context(), id)
}

// mayEdit refuses users who may not change the article's text.
func mayEdit(u *news.User, e *news.Editorial) error { return newsroom.MayEdit(u, e) }

func (a *Admin) newArticle(w http.ResponseWriter, r *http.Request) error {
	f := &articleForm{Draft: newDraftToken(), Bylines: a.writerByline(r.Context(), userOf(r))}
	if tok := draftToken(r.URL.Query().Get("autosave")); tok != "" {
		if as, err := a.store.Autosave(r.Context(), userOf(r).ID, 0, tok); err == nil {
			// The restored text goes on under its own token, so a save
			// of it closes that draft.
			f = formOf(as.Content, 0)
			f.Draft = tok
		}
	}
	return a.renderEditor(w, r, http.StatusOK, nil, f, nil, nil)
}

// writerByline is the byline a writer's new story starts with: the author
// profile that is theirs, the person (not an agency) under their account's
// name. Accounts and author profiles are not linked otherwise; without a
// profile the field starts empty, as a name typed creates one on saving.
func (a *Admin) writerByline(ctx context.Context, u *news.User) string {
	au, err := a.store.AuthorBySlug(ctx, news.Slugify(u.Name))
	if err != nil || au.Agency || !strings.EqualFold(news.CleanText(au.Name), news.CleanText(u.Name)) {
		return ""
	}
	return au.Name
}

// createArticle saves a new story; its "Submit for review" button
// (then=submit) saves and submits it in one step, so a writer need not
// save it first.
func (a *Admin) createArticle(w http.ResponseWriter, r *http.Request) error {
	st := step{}
	if r.PostFormValue("then") == "submit" {
		st = a.moveStep(news.Review, "submit", "submitted", time.Time{})
	}
	return a.saveFromEditor(w, r, nil, st)
}

// editArticle shows the editor; the article's writer sees it read-only once
// it has left their hands, and other contributors not at all.
func (a *Admin) editArticle(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !auth.CanView(u, e) {
		return forbidden("You may open only your own articles.")
	}
	f := formOf(news.ContentOf(e), e.Revision)
	f.Draft = newDraftToken()
	if tok := draftToken(r.URL.Query().Get("autosave")); tok != "" {
		if as, err := a.store.Autosave(r.Context(), u.ID, e.Article.ID, tok); err == nil {
			f = formOf(as.Content, as.Base)
			f.Draft = tok
		}
	}
	return a.renderEditor(w, r, http.StatusOK, e, f, nil, nil)
}

func (a *Admin) saveArticle(w http.ResponseWriter, r *http.Request) error {
	e, err := a.loadArticle(r)
	if err != nil {
		return err
	}
	if err := mayEdit(userOf(r), e); err != nil {
		return err
	}
	return a.saveFromEditor(w, r, e, step{})
}

// autosaveArticle keeps what the editor holds, apart from the article, every
// few seconds while a writer types. With discard set it drops it instead.
func (a *Admin) autosaveArticle(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	var id int64
	if r.PathValue("id") != "new" {
		e, err := a.loadArticle(r)
		if err != nil {
			return err
		}
		if err := mayEdit(u, e); err != nil {
			return err
		}
		id = e.Article.ID
	}
	draft := draftToken(r.FormValue("draft"))
	if draft == "" {
		return news.Invalid("draft", "the autosave names no draft token: reload the editor")
	}
	if r.FormValue("discard") != "" {
		if err := a.store.DeleteAutosave(r.Context(), u.ID, id, draft); err != nil {
			return err
		}
		if wantsJSON(r) {
			return writeJSON(w, http.StatusOK, map[string]string{"discarded": "yes"})
		}
		to := "/admin/articles/new"
		if id != 0 {
			to = "/admin/articles/" + strconv.FormatInt(id, 10)
		}
		http.Redirect(w, r, to+"?done=discarded", http.StatusSeeOther)
		return nil
	}
	f := &articleForm{}
	// The same reading as a save, without the photo file.
	get := r.FormValue
	f.Headline, f.Slug, f.Summary, f.Body = news.CleanText(get("headline")), strings.TrimSpace(get("slug")), news.CleanText(get("summary")), strings.ReplaceAll(get("body"), "\r\n", "\n")
	f.Tags, f.Bylines = get("tags"), get("bylines")
	f.PhotoAlt, f.PhotoCaption, f.PhotoCredit = news.CleanText(get("photo_alt")), news.CleanText(get("photo_caption")), news.CleanText(get("photo_credit"))
	f.SEOTitle, f.SEODescription = news.CleanText(get("seo_title")), news.CleanText(get("seo_description"))
	f.SectionID, _ = strconv.ParseInt(get("section"), 10, 64)
	f.PhotoID, _ = strconv.ParseInt(get("photo_id"), 10, 64)
	f.Base, _ = strconv.Atoi(get("base"))
	seq, _ := strconv.ParseInt(get("seq"), 10, 64)
	if len(f.Body) > news.MaxBody*4 {
		return news.Invalid("body", "is too long")
	}
	as := &news.Autosave{UserID: u.ID, ArticleID: id, Token: draft, Seq: seq, Base: f.Base, Content: f.content(), At: a.now().UTC()}
	if err := a.store.SaveAutosave(r.Context(), as); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"saved_at": as.At.In(a.location(r.Context())).Format("15:04:05")})
}

// conflictView tells a writer their save was not applied.
type conflictView struct {
	Mine   int    // the revision their text was kept as
	Theirs int    // the current revision
	Who    string // who saved it
}

type sectionOption struct {
	ID    int64
	Label string
}

// sizeLimits tells a form that may carry a photo how large it may be, so
// the page's script can refuse to send what the server would refuse whole.
type sizeLimits struct {
	MaxForm, MaxPhoto int64
	MaxPhotoText      string
}

func (a *Admin) sizeLimits() sizeLimits {
	return sizeLimits{MaxForm: a.maxForm(), MaxPhoto: a.limits().MaxBytes, MaxPhotoText: sizeText(a.limits().MaxBytes)}
}

type editorView struct {
	page
	sizeLimits
	E           *news.Editorial // nil for a new article
	F           *articleForm
	Action      string
	Sections    []sectionOption
	Library     []news.Photo
	Photo       *news.Photo // the photo the form names, for its thumbnail
	ReadOnly    bool
	CanSubmit   bool
	CanPublish  bool
	CanCorrect  bool
	Autosave    *news.Autosave // newer than the stored text
	AutosaveURL string
	Conflict    *conflictView
	PublicURL   string
	Presence    *presenceView // who else has the story open (presence.go)
	PublishAt   string        // the scheduled time, for the input
	// ScheduleAt fills the schedule field: the time the article is due,
	// or what was typed; empty otherwise, so nothing is scheduled for a
	// time the writer never chose.
	ScheduleAt string
	Collab     *collabView // notes, embargo, scheduled unpublish and update (notes.go)
}

// renderEditor shows the editor with a form's values, and what went wrong.
func (a *Admin) renderEditor(w http.ResponseWriter, r *http.Request, status int, e *news.Editorial, f *articleForm, ferr error, c *conflictView) error {
	ctx := r.Context()
	u := userOf(r)
	title := "New article"
	if e != nil {
		title = "Edit: " + e.Article.Headline
	}
	v := &editorView{page: a.newPage(r, title), sizeLimits: a.sizeLimits(), E: e, F: f, Action: "/admin/articles", Conflict: c, AutosaveURL: "/admin/articles/new/autosave"}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), formField(fieldOf(ferr))
	}
	if f.Draft == "" {
		f.Draft = newDraftToken()
	}
	secs, err := a.store.Sections(ctx)
	if err != nil {
		return err
	}
	v.Sections = sectionOptions(secs)
	if v.Library, err = a.store.LibraryPhotos(ctx, 12, 0); err != nil {
		return err
	}
	if f.PhotoID != 0 {
		if p, err := a.store.LibraryPhoto(ctx, f.PhotoID); err == nil {
			v.Photo = &p
			// The photo in use is always among the choices.
			if !slices.ContainsFunc(v.Library, func(x news.Photo) bool { return x.Media.ID == p.Media.ID }) {
				v.Library = append([]news.Photo{p}, v.Library...)
			}
		}
	}
	// A new story can be submitted as it is saved.
	v.CanSubmit = e == nil && auth.Can(u.Role, auth.WriteArticle)
	if e != nil {
		id := e.Article.ID
		v.Action = "/admin/articles/" + strconv.FormatInt(id, 10)
		v.AutosaveURL = v.Action + "/autosave"
		v.ReadOnly = !auth.CanEdit(u, e)
		st := e.Article.Status
		v.CanSubmit = st == news.Draft && auth.CanMove(u, e, news.Review)
		v.CanPublish = auth.Can(u.Role, auth.PublishArticle)
		v.CanCorrect = auth.Can(u.Role, auth.CorrectArticle) && !e.Article.PublishedAt.IsZero()
		if st == news.Published {
			v.PublicURL = e.Article.URL()
		}
		if !e.PublishAt.IsZero() {
			v.PublishAt = e.PublishAt.In(a.location(r.Context())).Format(news.LocalTimeLayout)
			v.ScheduleAt = v.PublishAt
		}
		if f.PublishAt != "" {
			v.ScheduleAt = f.PublishAt
		}
		if v.Presence, err = a.editingView(r, e); err != nil {
			return err
		}
	}
	v.Autosave, err = a.unsavedAutosave(r, e, f)
	if err != nil {
		return err
	}
	if e != nil {
		if v.Collab, err = a.collabView(r, e); err != nil {
			return err
		}
	}
	return a.render(w, r, status, "editor", v)
}

// unsavedAutosave is the writer's autosave to offer back on an editor page
// just opened: the newest one of the article (of a new story: of any new
// story) from another page that no save closed, when its text differs
// from what the page shows. A save closes its page's autosaves and
// supersedes older ones, so what is left is text no revision holds.
func (a *Admin) unsavedAutosave(r *http.Request, e *news.Editorial, f *articleForm) (*news.Autosave, error) {
	if r.Method != http.MethodGet || r.URL.Query().Get("autosave") != "" {
		return nil, nil
	}
	as, err := a.store.LatestAutosave(r.Context(), userOf(r).ID, idOrZero(e))
	if news.ErrorCode(err) == news.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	shown := f.content()
	if e != nil {
		shown = news.ContentOf(e)
	}
	if as.Token == f.Draft || sameContent(as.Content, shown) {
		return nil, nil
	}
	return as, nil
}

// sameContent reports whether two texts of an article say the same, as
// far as the editor's form can tell (an empty slug is the headline's).
func sameContent(x, y news.RevisionContent) bool {
	x.SectionPath, y.SectionPath = "", ""
	if x.Slug == "" {
		x.Slug = news.Slugify(x.Headline)
	}
	if y.Slug == "" {
		y.Slug = news.Slugify(y.Headline)
	}
	return reflect.DeepEqual(x, y)
}

// newDraftToken names a new editor page, for its autosaves.
func newDraftToken() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// draftToken is a draft token as sent, or "" when it is not one.
func draftToken(s string) string {
	if len(s) == 0 || len(s) > 64 {
		return ""
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-') {
			return ""
		}
	}
	return s
}

// formField names the editor's input for a field named by the domain's
// validation (which speaks of "title" and "image.alt", as the importer's
// front matter does).
func formField(field string) string {
	switch strings.SplitN(field, ".", 2)[0] {
	case "title":
		return "headline"
	case "image":
		return "photo_alt"
	case "authors":
		return "bylines"
	case "date", "status":
		return ""
	case "lastmod":
		return "updated"
	}
	return field
}

// fieldOf returns the form field an error concerns.
func fieldOf(err error) string {
	var e *news.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
