package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
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

// The write API: software with a token creates and changes stories through
// the newsroom's own rules (internal/newsroom), so validation, workflow,
// revisions and the audit log are the newsroom's. Each call is one
// transaction: it is done whole or not at all.

// Writes is what the write API needs beyond the reads.
type Writes struct {
	// Media stores uploaded photos; nil refuses uploads.
	Media *media.Store
	// MediaLimits bound an upload; zero fields are media's defaults.
	MediaLimits media.Limits
	// Location is the newsroom's time zone, in which the audit log names
	// a scheduled time; nil for UTC.
	Location func(context.Context) *time.Location
	// Changed is called after every committed write, so the public pages
	// and the API's cached answers are fresh at once (site.Site.Changed);
	// nil falls back to Config.Site.
	Changed func()
	// Limits bound calls per token and per address (limits.go).
	Limits Limits
	// Now is the clock, for tests; nil for time.Now.
	Now func() time.Time
	// Notify tells a story's writer it was published or corrected
	// through the API, as the newsroom does: the zero Notifier in the
	// newsroom only; serve sets Mail when mail is configured (--smtp), so
	// the writer is also sent an email.
	Notify newsroom.Notifier
}

// maxJSON bounds a JSON body: an article's longest body and its fields fit
// well within it.
const maxJSON = 1 << 20

// writeRoutes adds the write API to the API's route table.
func (a *API) writeRoutes(mux *http.ServeMux) {
	mux.Handle("POST /api/v1/articles", a.handleWrite(a.createArticle))
	mux.Handle("PUT /api/v1/articles/{id}", a.handleWrite(a.replaceArticle))
	mux.Handle("PATCH /api/v1/articles/{id}", a.handleWrite(a.patchArticle))
	mux.Handle("POST /api/v1/articles/{id}/submit", a.handleWrite(a.submitArticle))
	mux.Handle("POST /api/v1/articles/{id}/publish", a.handleWrite(a.publishArticle))
	mux.Handle("POST /api/v1/articles/{id}/schedule", a.handleWrite(a.scheduleArticle))
	mux.Handle("POST /api/v1/articles/{id}/unpublish", a.handleWrite(a.unpublishArticle))
	mux.Handle("POST /api/v1/articles/{id}/corrections", a.handleWrite(a.correctArticle))
	mux.Handle("POST /api/v1/media", a.handleWrite(a.uploadMedia))
}

// writeError is a refusal with a status of its own, outside the domain's
// codes: 412, 413, 415, 428.
type writeError struct {
	status  int
	code    string
	field   string
	message string
}

func (e *writeError) Error() string { return e.message }

// handleWrite adapts a write's handler: the refusals of writes (authError,
// writeError) are answered with their own status and code, any other error
// goes to the one error path (fail).
func (a *API) handleWrite(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		var ae *authError
		var we *writeError
		switch {
		case err == nil:
		case errors.As(err, &ae):
			a.refuse(w, r, ae)
		case errors.As(err, &we):
			a.writeJSON(w, r, we.status, errorBody{Error: errorJSON{Code: we.code, Field: we.field, Message: we.message}})
		default:
			a.fail(w, r, err)
		}
	})
}

func (a *API) now() time.Time {
	if a.cfg.Writes.Now != nil {
		return a.cfg.Writes.Now()
	}
	return time.Now()
}

func (a *API) changed() {
	switch {
	case a.cfg.Writes.Changed != nil:
		a.cfg.Writes.Changed()
	case a.cfg.Site != nil:
		a.cfg.Site.Changed()
	}
}

func (a *API) location(ctx context.Context) *time.Location {
	if a.cfg.Writes.Location != nil {
		if loc := a.cfg.Writes.Location(ctx); loc != nil {
			return loc
		}
	}
	return time.UTC
}

// articleInput is an article as a write sends it. A pointer left nil is a
// field not sent: PATCH keeps its value, POST and PUT leave it empty.
type articleInput struct {
	Headline       *string   `json:"headline"`
	Slug           *string   `json:"slug"`
	Summary        *string   `json:"summary"`
	Body           *string   `json:"body"`
	Section        *string   `json:"section"` // the section's path: "news/europe"
	Tags           *[]string `json:"tags"`
	Bylines        *[]string `json:"bylines"`
	PhotoID        *int64    `json:"photo_id"` // a photo of the library (POST /api/v1/media); 0 for none
	PhotoAlt       *string   `json:"photo_alt"`
	PhotoCaption   *string   `json:"photo_caption"`
	PhotoCredit    *string   `json:"photo_credit"`
	SEOTitle       *string   `json:"seo_title"`
	SEODescription *string   `json:"seo_description"`
	// Updated marks a change to a published story as substantive: its
	// public "updated" time is set.
	Updated bool `json:"updated"`
}

// content applies the input onto c, the article's text as it is (zero for
// a new article or a replacement), cleaned as the newsroom's form cleans
// it. The section path is resolved against the store.
func (in *articleInput) content(ctx context.Context, tx *store.Store, c news.RevisionContent) (news.RevisionContent, error) {
	set := func(dst *string, v *string, clean bool) {
		if v != nil {
			*dst = *v
			if clean {
				*dst = news.CleanText(*v)
			}
		}
	}
	set(&c.Headline, in.Headline, true)
	set(&c.Summary, in.Summary, true)
	set(&c.PhotoAlt, in.PhotoAlt, true)
	set(&c.PhotoCaption, in.PhotoCaption, true)
	set(&c.PhotoCredit, in.PhotoCredit, true)
	set(&c.SEOTitle, in.SEOTitle, true)
	set(&c.SEODescription, in.SEODescription, true)
	if in.Slug != nil {
		c.Slug = strings.TrimSpace(*in.Slug)
	}
	if in.Body != nil {
		c.Body = strings.ReplaceAll(*in.Body, "\r\n", "\n")
	}
	if in.Tags != nil {
		c.Tags = cleanList(*in.Tags)
	}
	if in.Bylines != nil {
		c.Bylines = cleanList(*in.Bylines)
	}
	if in.PhotoID != nil {
		c.PhotoID = *in.PhotoID
	}
	if in.Section != nil {
		p := strings.Trim(strings.TrimSpace(*in.Section), "/")
		sec, err := tx.SectionByPath(ctx, p)
		if news.ErrorCode(err) == news.ENOTFOUND {
			return c, news.Invalid("section", "there is no section %q", strings.ToValidUTF8(p, "?"))
		} else if err != nil {
			return c, err
		}
		c.SectionID, c.SectionPath = sec.ID, sec.Path
	}
	return c, nil
}

// cleanList trims a list's items and drops empties and repeats, as the
// newsroom's form does.
func cleanList(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		x = news.CleanText(x)
		if x == "" || seen[strings.ToLower(x)] {
			continue
		}
		seen[strings.ToLower(x)] = true
		out = append(out, x)
	}
	return out
}

// readJSON decodes a JSON body of at most maxJSON bytes into v, refusing
// fields v does not have and anything after the one value; every refusal
// names the field, or "body" for the body as a whole.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return &writeError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", field: "body",
				message: "send the body as application/json"}
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSON))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = errors.New("after the object")
			if tooLarge(err2) {
				err = err2
			}
		}
	}
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case tooLarge(err):
		return &writeError{status: http.StatusRequestEntityTooLarge, code: "too_large", field: "body",
			message: "the body is larger than " + strconv.Itoa(maxJSON>>20) + " MiB"}
	case errors.Is(err, io.EOF):
		return news.Invalid("body", "is empty: send a JSON object")
	case errors.As(err, &syn):
		return news.Invalid("body", "is not JSON: %s at byte %d", strings.TrimPrefix(syn.Error(), "json: "), syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return news.Invalid(field, "must be a %s, not a JSON %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return news.Invalid(f, "is not a field of this call")
	case err.Error() == "after the object":
		return news.Invalid("body", "holds more than one JSON value")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return news.Invalid("body", "ends in the middle of the JSON")
	}
	return news.Invalid("body", "cannot be read: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

// jsonKind names a Go kind the way the JSON of a call says it.
func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "slice":
		return "list"
	case "struct", "map":
		return "object"
	}
	return k
}

// precondition is what If-Match asks of the article's revision: to be one
// of revs, or anything at all (none named: the header was "*" or not sent).
type precondition struct {
	revs []int
}

// check refuses cur, as stale, when If-Match names revisions and cur is
// not one of them.
func (p precondition) check(cur int) error {
	if len(p.revs) == 0 || slices.Contains(p.revs, cur) {
		return nil
	}
	return stale(p.revs, cur)
}

// ifMatch reads the revisions a change may be based on from If-Match, as
// RFC 9110 writes it: a quoted revision number, as the ETag of a write's
// answer gives it, or a list of them (the change is made when one is the
// current revision), or "*" (any, where If-Match is optional). A weak tag
// (W/"3") is read as its revision: a proxy that compresses answers may
// have weakened the ETag the client holds, and a revision number names
// one text exactly. Without the header, or with "*", the change is
// refused with 428 or 400 when required: a change must say what it is
// based on, or it overwrites what its writer has not seen.
func ifMatch(r *http.Request, required bool) (precondition, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		if required {
			return precondition{}, &writeError{status: http.StatusPreconditionRequired, code: "precondition_required", field: "If-Match",
				message: `name the revision the change is based on: If-Match: "<revision>" (the ETag of the article's last write answer)`}
		}
		return precondition{}, nil
	}
	if h == "*" {
		if required {
			return precondition{}, news.Invalid("If-Match", `* names no revision: name the one the change is based on, such as "3" (the ETag of the article's last write answer), so that a change saved meanwhile is not overwritten`)
		}
		return precondition{}, nil
	}
	var p precondition
	for _, t := range strings.Split(h, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue // empty list elements are allowed (RFC 9110 5.6.1)
		}
		s := strings.TrimPrefix(t, "W/")
		n, err := strconv.Atoi(strings.Trim(s, `"`))
		if err != nil || n < 1 || len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' || len(p.revs) == 100 {
			p.revs = nil
			break
		}
		p.revs = append(p.revs, n)
	}
	if len(p.revs) == 0 {
		return precondition{}, news.Invalid("If-Match", "%q is not a revision in quotes, such as \"3\" (or a list of at most 100)", strings.ToValidUTF8(h, "?"))
	}
	return p, nil
}

// stillAt refuses, as stale, a step checked against revision rev when the
// article is at another one once the step's write holds its row. On
// PostgreSQL (read committed) the step's first read does not wait for a
// save on its way, its write does: a save of another revision committed
// meanwhile would otherwise have the correction added to words that
// changed, or a text published that nobody approved. The error rolls the
// step back. SQLite runs one writer at a time, and finds the same revision.
func stillAt(ctx context.Context, tx *store.Store, id int64, rev int) error {
	now, err := tx.Editorial(ctx, id)
	if err != nil {
		return err
	}
	if now.Revision != rev {
		return stale([]int{rev}, now.Revision)
	}
	return nil
}

// stale is the refusal of a change based on revisions none of which is
// the current one.
func stale(based []int, cur int) error {
	names := make([]string, len(based))
	for i, n := range based {
		names[i] = strconv.Itoa(n)
	}
	return &writeError{status: http.StatusPreconditionFailed, code: "precondition_failed", field: "If-Match",
		message: "the article is at revision " + strconv.Itoa(cur) + ", not " + strings.Join(names, " or ") + ": read it again, then send the change"}
}

// editorialJSON is an article as the write API answers it: its text as the
// newsroom holds it, its status and revision. The revision is also the
// answer's ETag, for the next change's If-Match.
type editorialJSON struct {
	ID             int64        `json:"id"`
	Revision       int          `json:"revision"`
	Status         news.Status  `json:"status"`
	Headline       string       `json:"headline"`
	Slug           string       `json:"slug"`
	Summary        string       `json:"summary"`
	Body           string       `json:"body"`
	Section        string       `json:"section"`
	Tags           []string     `json:"tags"`
	Bylines        []string     `json:"bylines"`
	PhotoID        int64        `json:"photo_id"`
	PhotoAlt       string       `json:"photo_alt"`
	PhotoCaption   string       `json:"photo_caption"`
	PhotoCredit    string       `json:"photo_credit"`
	SEOTitle       string       `json:"seo_title"`
	SEODescription string       `json:"seo_description"`
	PublishAt      *time.Time   `json:"publish_at"`
	PublishedAt    *time.Time   `json:"published_at"`
	UpdatedAt      *time.Time   `json:"updated_at"`
	Corrections    []correction `json:"corrections"`
	URL            string       `json:"url,omitempty"` // when published
}

type correction struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// answerEditorial answers the article as stored now, with its revision as
// the ETag.
func (a *API) answerEditorial(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	e, err := a.store.Editorial(r.Context(), id)
	if err != nil {
		return err
	}
	c := news.ContentOf(e)
	art := e.Article
	v := editorialJSON{ID: art.ID, Revision: e.Revision, Status: art.Status, Headline: c.Headline, Slug: c.Slug, Summary: c.Summary,
		Body: c.Body, Section: c.SectionPath, Tags: nonNil(c.Tags), Bylines: nonNil(c.Bylines), PhotoID: c.PhotoID,
		PhotoAlt: c.PhotoAlt, PhotoCaption: c.PhotoCaption, PhotoCredit: c.PhotoCredit, SEOTitle: c.SEOTitle, SEODescription: c.SEODescription,
		PublishAt: timePtr(e.PublishAt), PublishedAt: timePtr(art.PublishedAt), Corrections: []correction{}}
	if art.Updated() {
		v.UpdatedAt = timePtr(art.UpdatedAt)
	}
	for _, x := range art.Corrections {
		v.Corrections = append(v.Corrections, correction{At: x.At, Text: x.Text})
	}
	if art.Status == news.Published {
		v.URL = a.abs(r.Context(), art.URL())
	}
	w.Header().Set("ETag", `"`+strconv.Itoa(e.Revision)+`"`)
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/articles/"+strconv.FormatInt(art.ID, 10))
	}
	a.writeJSON(w, r, status, v)
	return nil
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// writeID reads the {id} of a write's path.
func writeID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, news.NotFound("no article %q", strings.ToValidUTF8(r.PathValue("id"), "?"))
	}
	return id, nil
}

// createArticle answers POST /api/v1/articles: a new draft, created for
// the token's account.
func (a *API) createArticle(w http.ResponseWriter, r *http.Request) error {
	c, err := need(r, news.ScopeWriteArticles, auth.WriteArticle)
	if err != nil {
		return err
	}
	var in articleInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Updated {
		return news.Invalid("updated", "a new article cannot be a substantive update")
	}
	ctx := r.Context()
	var e *news.Editorial
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		content, err := in.content(ctx, tx, news.RevisionContent{})
		if err != nil {
			return err
		}
		e, _, err = newsroom.Save(ctx, tx, c.actor(), nil, newsroom.Edit{Content: content, At: a.now()})
		return err
	})
	if err != nil {
		return err
	}
	return a.answerEditorial(w, r, http.StatusCreated, e.Article.ID)
}

// replaceArticle answers PUT /api/v1/articles/{id}: the text replaced
// whole (a field left out is emptied).
func (a *API) replaceArticle(w http.ResponseWriter, r *http.Request) error {
	return a.changeArticle(w, r, true)
}

// patchArticle answers PATCH /api/v1/articles/{id}: the fields sent are
// changed, the others kept.
func (a *API) patchArticle(w http.ResponseWriter, r *http.Request) error {
	return a.changeArticle(w, r, false)
}

// changeArticle saves a change of an article's text, based on the revision
// If-Match names: a stale one is refused with 412 and changes nothing.
// Changing a story readers can see (published) takes the publish scope
// as well, since the change is public at once.
func (a *API) changeArticle(w http.ResponseWriter, r *http.Request, replace bool) error {
	c, err := need(r, news.ScopeWriteArticles, auth.WriteArticle)
	if err != nil {
		return err
	}
	id, err := writeID(r)
	if err != nil {
		return err
	}
	pre, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	var in articleInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		old, err := tx.Editorial(ctx, id)
		if err != nil {
			return err
		}
		if old.Article.Status == news.Published {
			if _, err := need(r, news.ScopePublish, auth.PublishArticle); err != nil {
				return err
			}
		}
		if err := newsroom.MayEdit(c.user, old); err != nil {
			return err
		}
		if err := mayRead(r, c, old); err != nil {
			return err
		}
		if err := pre.check(old.Revision); err != nil {
			return err
		}
		base := old.Revision
		start := news.ContentOf(old)
		if replace {
			start = news.RevisionContent{}
		}
		content, err := in.content(ctx, tx, start)
		if err != nil {
			return err
		}
		_, rev, err := newsroom.Save(ctx, tx, c.actor(), old, newsroom.Edit{Content: content, Base: base, Updated: in.Updated, At: a.now()})
		if err != nil {
			return err
		}
		if rev != nil && rev.Kind == news.ConflictRevision {
			// Another save came in between: nothing of this one is kept.
			return stale([]int{base}, rev.Base)
		}
		if rev != nil {
			// The checks above read the status before the save took the
			// article's row: on PostgreSQL an editor may have published
			// (or moved) the story meanwhile, and the save then landed on
			// it as it is now. Now that the row is held, a status that
			// moved refuses the change, so a token without publish never
			// changes a public story and nothing of this save is kept.
			now, err := tx.Editorial(ctx, id)
			if err != nil {
				return err
			}
			if now.Article.Status != old.Article.Status {
				return news.Errorf(news.ECONFLICT, "the article became %s while this change was on its way: read it again, then send the change",
					strings.ToLower(now.Article.Status.Label()))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.changed()
	return a.answerEditorial(w, r, http.StatusOK, id)
}

// mayRead refuses, as a 404 like GET's, a change to a story the caller
// may not read: one not public, to a token without read:drafts whose
// creator did not start it. A write's answer (and a 412's revision
// number) would otherwise show a draft to a token that cannot GET it.
func mayRead(r *http.Request, c *caller, e *news.Editorial) error {
	if e.Article.Status == news.Published || canReadDraftsToken(r) || (e.CreatedBy != 0 && e.CreatedBy == c.user.ID) {
		return nil
	}
	return news.NotFound("no article %d", e.Article.ID)
}

// move runs one workflow step on the article of the path, in one
// transaction, honouring If-Match when it is sent.
func (a *API) move(w http.ResponseWriter, r *http.Request, c *caller, to news.Status, action func(news.Status) (string, error), publishAt time.Time) error {
	id, err := writeID(r)
	if err != nil {
		return err
	}
	pre, err := ifMatch(r, false)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		cur, err := tx.Editorial(ctx, id)
		if err != nil {
			return err
		}
		// One who may not touch it is told so (403, as the newsroom's
		// rules say); one who may, but cannot read it, finds nothing.
		if err := newsroom.MayEdit(c.user, cur); err != nil {
			return err
		}
		if err := mayRead(r, c, cur); err != nil {
			return err
		}
		if err := pre.check(cur.Revision); err != nil {
			return err
		}
		act, err := action(cur.Article.Status)
		if err != nil {
			return err
		}
		if err := newsroom.MoveArticle(ctx, tx, c.actor(), id, newsroom.Move{To: to, Action: act, At: a.now(), PublishAt: publishAt, Loc: a.location(ctx), Notify: a.cfg.Writes.Notify}); err != nil {
			return err
		}
		if len(pre.revs) > 0 {
			return stillAt(ctx, tx, id, cur.Revision)
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.changed()
	return a.answerEditorial(w, r, http.StatusOK, id)
}

func always(s string) func(news.Status) (string, error) {
	return func(news.Status) (string, error) { return s, nil }
}

// readNoBody refuses a body on a call that takes none, so a field sent by
// mistake is not silently ignored.
func readNoBody(w http.ResponseWriter, r *http.Request) error {
	var v struct{}
	err := readJSON(w, r, &v)
	if we, ok := err.(*news.Error); ok && we.Field == "body" && strings.HasPrefix(we.Message, "is empty") {
		return nil
	}
	return err
}

// submitArticle answers POST /api/v1/articles/{id}/submit: a draft filed
// for review.
func (a *API) submitArticle(w http.ResponseWriter, r *http.Request) error {
	c, err := need(r, news.ScopeWriteArticles, auth.WriteArticle)
	if err != nil {
		return err
	}
	if err := readNoBody(w, r); err != nil {
		return err
	}
	return a.move(w, r, c, news.Review, always("submit"), time.Time{})
}

// publishArticle answers POST /api/v1/articles/{id}/publish.
func (a *API) publishArticle(w http.ResponseWriter, r *http.Request) error {
	c, err := need(r, news.ScopePublish, auth.PublishArticle)
	if err != nil {
		return err
	}
	if err := readNoBody(w, r); err != nil {
		return err
	}
	return a.move(w, r, c, news.Published, always("publish"), time.Time{})
}

// scheduleArticle answers POST /api/v1/articles/{id}/schedule with
// {"publish_at": "2026-12-01T09:00:00Z"}, a time in the future.
func (a *API) scheduleArticle(w http.ResponseWriter, r *http.Request) error {
	c, err := need(r, news.ScopePublish, auth.PublishArticle)
	if err != nil {
		return err
	}
	var in struct {
		PublishAt *time.Time `json:"publish_at"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.PublishAt == nil {
		return news.Invalid("publish_at", "give the time to publish at, as RFC 3339 (2026-12-01T09:00:00Z)")
	}
	if !in.PublishAt.After(a.now()) {
		return news.Invalid("publish_at", "%s has passed: give a time in the future, or publish now", in.PublishAt.Format(time.RFC3339))
	}
	return a.move(w, r, c, news.Scheduled, always("schedule"), in.PublishAt.UTC())
}

// unpublishArticle answers POST /api/v1/articles/{id}/unpublish: the
// article back to draft, off the site, off the schedule, or back from
// review.
func (a *API) unpublishArticle(w http.ResponseWriter, r *http.Request) error {
	c, err := need(r, news.ScopePublish, auth.PublishArticle)
	if err != nil {
		return err
	}
	if err := readNoBody(w, r); err != nil {
		return err
	}
	return a.move(w, r, c, news.Draft, newsroom.TakeBack, time.Time{})
}

// correctArticle answers POST /api/v1/articles/{id}/corrections with
// {"text": "..."}: a public correction appended, stamped now. It is public
// at once, so it takes the publish scope. If-Match is honoured when sent,
// as by the workflow's steps: a correction written against a revision that
// has since changed (the sentence it corrects reworded, or gone) is
// refused with 412 and adds nothing.
func (a *API) correctArticle(w http.ResponseWriter, r *http.Request) error {
	c, err := need(r, news.ScopePublish, auth.CorrectArticle)
	if err != nil {
		return err
	}
	id, err := writeID(r)
	if err != nil {
		return err
	}
	pre, err := ifMatch(r, false)
	if err != nil {
		return err
	}
	var in struct {
		Text *string `json:"text"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Text == nil {
		return news.Invalid("text", "write the correction")
	}
	text := strings.TrimSpace(strings.ReplaceAll(*in.Text, "\r\n", "\n"))
	ctx := r.Context()
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		e, err := tx.Editorial(ctx, id)
		if err != nil {
			return err
		}
		// A story the token cannot read is not found, before the
		// revision is compared, so a 412 tells nothing of it.
		if err := mayRead(r, c, e); err != nil {
			return err
		}
		if err := pre.check(e.Revision); err != nil {
			return err
		}
		if err := newsroom.Correct(ctx, tx, c.actor(), e, text, a.now(), a.cfg.Writes.Notify); news.ErrorCode(err) == news.EINVALID {
			return news.Invalid("text", "%s", strings.TrimPrefix(news.ErrorMessage(err), "correction: "))
		} else if err != nil {
			return err
		}
		if len(pre.revs) > 0 {
			return stillAt(ctx, tx, id, e.Revision)
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.changed()
	return a.answerEditorial(w, r, http.StatusCreated, id)
}

// mediaJSON is a photo of the library, as an upload answers it: its ID,
// for an article's photo_id, and the variants the site serves of it.
type mediaJSON struct {
	ID        int64         `json:"id"`
	Width     int           `json:"width"`
	Height    int           `json:"height"`
	Type      string        `json:"type"`
	Duplicate bool          `json:"duplicate"` // the library had the same file already
	Variants  []variantJSON `json:"variants"`
}

// uploadMedia answers POST /api/v1/media: a photo added to the library,
// sent as multipart/form-data with the file in "photo" and optional
// "alt", "caption" and "credit". The same file twice is stored once.
func (a *API) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	c, err := need(r, news.ScopeUploadMedia, auth.UploadMedia)
	if err != nil {
		return err
	}
	if a.cfg.Writes.Media == nil {
		return news.Errorf(news.EUNAVAILABLE, "this server takes no uploads")
	}
	lim := a.cfg.Writes.MediaLimits
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = media.DefaultLimits().MaxBytes
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return &writeError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", field: "body",
			message: "send the photo as multipart/form-data, the file in the field \"photo\""}
	}
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return news.Invalid("body", "is not multipart/form-data: %v", err)
	}
	var p newsroom.Photo
	got := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if tooLarge(err) {
				return photoTooLarge(lim.MaxBytes)
			}
			return news.Invalid("body", "cannot be read as multipart/form-data: %v", err)
		}
		name := part.FormName()
		switch name {
		case "photo":
			if got {
				return news.Invalid("photo", "send one photo a call")
			}
			data, err := io.ReadAll(io.LimitReader(part, lim.MaxBytes+1))
			if tooLarge(err) || int64(len(data)) > lim.MaxBytes {
				return photoTooLarge(lim.MaxBytes)
			} else if err != nil {
				return news.Invalid("photo", "cannot be read: %v", err)
			}
			p.Name, p.Data, got = part.FileName(), data, true
		case "alt", "caption", "credit":
			b, err := io.ReadAll(io.LimitReader(part, 4<<10))
			if err != nil {
				return news.Invalid(name, "cannot be read: %v", err)
			}
			switch name {
			case "alt":
				p.Alt = string(b)
			case "caption":
				p.Caption = string(b)
			default:
				p.Credit = string(b)
			}
		default:
			return news.Invalid(name, "is not a field of this call (photo, alt, caption, credit)")
		}
	}
	if !got || len(p.Data) == 0 {
		return news.Invalid("photo", "send the photo's file in the field \"photo\"")
	}
	m, dup, err := newsroom.PutPhoto(r.Context(), a.store, a.cfg.Writes.Media, lim, c.actor(), p)
	if err != nil {
		return err
	}
	a.changed()
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	v := mediaJSON{ID: m.ID, Width: m.Width, Height: m.Height, Type: m.Type, Duplicate: dup, Variants: []variantJSON{}}
	for _, x := range media.Variants(m) {
		v.Variants = append(v.Variants, variantJSON{URL: a.abs(r.Context(), "/media/"+x.Key), Width: x.Width, Height: x.Height, Type: x.Type})
	}
	a.writeJSON(w, r, status, v)
	return nil
}

func photoTooLarge(max int64) error {
	return &writeError{status: http.StatusRequestEntityTooLarge, code: "too_large", field: "photo",
		message: "the photo is larger than " + strconv.FormatInt(max>>20, 10) + " MB"}
}
