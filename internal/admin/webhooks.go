package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

// secretOverlap is how long an endpoint's old secret still signs after a
// rotation: a day for its receiver to take the new one.
const secretOverlap = 24 * time.Hour

// webhooksView is the list of endpoints, the form for a new one, and the
// latest deliveries to any.
type webhooksView struct {
	page
	Endpoints  []*news.WebhookEndpoint
	Deliveries deliveryList
	Events     []string
	// F is the new endpoint's form, as sent when it was refused.
	F struct {
		URL    string
		Events []string
	}
	AllowPrivate bool
}

// webhookView is one endpoint: its form, its secret when just made, and
// its deliveries.
type webhookView struct {
	page
	E          *news.WebhookEndpoint
	Events     []string
	Deliveries deliveryList
	// Secret is shown once: right after the endpoint was made or its
	// secret rotated; never read back into a page after.
	Secret string
}

type deliveryRow struct {
	*news.WebhookDelivery
	URL string // its endpoint's
}

// deliveryView is one delivery, with what it sent and what came back.
type deliveryView struct {
	page
	D       *news.WebhookDelivery
	E       *news.WebhookEndpoint
	Payload string // indented, for reading
}

func (a *Admin) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	return a.renderWebhooks(w, r, http.StatusOK, nil)
}

func (a *Admin) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, ferr error) error {
	ctx := r.Context()
	eps, err := a.store.WebhookEndpoints(ctx)
	if err != nil {
		return err
	}
	v := &webhooksView{page: a.newPage(r, "Webhooks"), Endpoints: eps, Events: news.WebhookEvents, AllowPrivate: a.cfg.WebhookAllowPrivate}
	if v.Deliveries, err = a.deliveryRows(r, 0, eps); err != nil {
		return err
	}
	v.F.Events = news.WebhookEvents
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
		v.F.URL, v.F.Events = r.PostFormValue("url"), r.PostForm["events"]
	}
	return a.render(w, r, status, "webhooks", v)
}

// deliveriesPage is how many deliveries a page lists.
const deliveriesPage = 100

// deliveryList is a page of deliveries, newest first, and the links to
// the pages beside it (empty when there is none).
type deliveryList struct {
	Rows         []deliveryRow
	Newer, Older string
}

// deliveryRows reads a page of deliveries (to endpoint id, or to all for
// 0), from ?offset=, with their endpoints' addresses.
func (a *Admin) deliveryRows(r *http.Request, id int64, eps []*news.WebhookEndpoint) (deliveryList, error) {
	var out deliveryList
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(offset, 0)
	list, err := a.store.WebhookDeliveries(r.Context(), id, deliveriesPage+1, offset)
	if err != nil {
		return out, err
	}
	if len(list) > deliveriesPage {
		list = list[:deliveriesPage]
		out.Older = r.URL.Path + "?offset=" + strconv.Itoa(offset+deliveriesPage)
	}
	if offset > 0 {
		out.Newer = r.URL.Path + "?offset=" + strconv.Itoa(max(offset-deliveriesPage, 0))
	}
	rows := make([]deliveryRow, len(list))
	for i, d := range list {
		rows[i].WebhookDelivery = d
		if j := slices.IndexFunc(eps, func(e *news.WebhookEndpoint) bool { return e.ID == d.EndpointID }); j >= 0 {
			rows[i].URL = eps[j].URL
		}
	}
	out.Rows = rows
	return out, nil
}

// endpointForm reads an endpoint's address and events from the form, and
// checks that the address may be sent to.
func (a *Admin) endpointForm(r *http.Request, e *news.WebhookEndpoint) error {
	e.URL, e.Events = r.PostFormValue("url"), r.PostForm["events"]
	if err := e.Validate(); err != nil {
		return err
	}
	return webhook.CheckEndpoint(r.Context(), e.URL, a.cfg.WebhookAllowPrivate)
}

func (a *Admin) createWebhook(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e := &news.WebhookEndpoint{Secret: webhook.NewSecret(), CreatedBy: userOf(r).ID}
	if err := a.endpointForm(r, e); err != nil {
		return a.webhookFormFailed(w, r, err)
	}
	err := a.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.CreateWebhookEndpoint(ctx, e); err != nil {
			return err
		}
		return audit(ctx, tx, userOf(r), "webhook.create", webhookTarget(e.ID), e.URL)
	})
	if err != nil {
		return a.webhookFormFailed(w, r, err)
	}
	// The secret is shown on this answer alone.
	return a.renderWebhook(w, r, e, e.Secret, "Endpoint added. Copy its secret now: it is not shown again.")
}

func (a *Admin) webhookFormFailed(w http.ResponseWriter, r *http.Request, err error) error {
	if c := news.ErrorCode(err); c == news.EINVALID || c == news.ECONFLICT {
		return a.renderWebhooks(w, r, statusOf(err), err)
	}
	return err
}

func (a *Admin) showWebhook(w http.ResponseWriter, r *http.Request) error {
	e, err := a.endpointOf(r)
	if err != nil {
		return err
	}
	return a.renderWebhook(w, r, e, "", "")
}

func (a *Admin) renderWebhook(w http.ResponseWriter, r *http.Request, e *news.WebhookEndpoint, secret, flash string) error {
	v := &webhookView{page: a.newPage(r, "Webhook endpoint"), E: e, Events: news.WebhookEvents, Secret: secret}
	if flash != "" {
		v.Flash = flash
	}
	var err error
	if v.Deliveries, err = a.deliveryRows(r, e.ID, []*news.WebhookEndpoint{e}); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "webhook", v)
}

func (a *Admin) endpointOf(r *http.Request) (*news.WebhookEndpoint, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.store.WebhookEndpoint(r.Context(), id)
}

func (a *Admin) saveWebhook(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := a.endpointOf(r)
	if err != nil {
		return err
	}
	wasDisabled := e.Disabled
	e.Disabled = r.PostFormValue("disabled") == "yes"
	if err := a.endpointForm(r, e); err == nil {
		err = a.store.InTx(ctx, func(tx *store.Store) error {
			if err := tx.UpdateWebhookEndpoint(ctx, e); err != nil {
				return err
			}
			detail := e.URL
			switch {
			case e.Disabled:
				detail += " (disabled)"
			case wasDisabled:
				// Its waiting deliveries go out now: the log says who
				// let them.
				detail += " (enabled again)"
			}
			return audit(ctx, tx, userOf(r), "webhook.edit", webhookTarget(e.ID), detail)
		})
	} else if c := news.ErrorCode(err); c == news.EINVALID {
		v := &webhookView{page: a.newPage(r, "Webhook endpoint"), E: e, Events: news.WebhookEvents}
		v.Error, v.Field = news.ErrorMessage(err), fieldOf(err)
		return a.render(w, r, statusOf(err), "webhook", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/webhooks/"+strconv.FormatInt(e.ID, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

func (a *Admin) rotateWebhookSecret(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := a.endpointOf(r)
	if err != nil {
		return err
	}
	back := "/admin/webhooks/" + strconv.FormatInt(e.ID, 10)
	if !confirmed(r) {
		return a.askToConfirm(w, r, confirmView{Heading: "Give this endpoint a new secret?",
			Message: "Deliveries are signed with both the new secret and the current one for the next 24 hours, then with the new one alone: give the new one to the receiver within a day.",
			Action:  back + "/rotate", Button: "Make a new secret", Back: back})
	}
	secret := webhook.NewSecret()
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.RotateWebhookSecret(ctx, e.ID, secret, a.now(), secretOverlap); err != nil {
			return err
		}
		return audit(ctx, tx, userOf(r), "webhook.rotate", webhookTarget(e.ID), e.URL)
	})
	if err != nil {
		return err
	}
	if e, err = a.store.WebhookEndpoint(ctx, e.ID); err != nil {
		return err
	}
	return a.renderWebhook(w, r, e, secret, "New secret made. Copy it now: it is not shown again. The old one signs too until "+
		e.PreviousUntil.In(a.loc()).Format("2 Jan 2006, 15:04")+".")
}

func (a *Admin) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := a.endpointOf(r)
	if err != nil {
		return err
	}
	back := "/admin/webhooks/" + strconv.FormatInt(e.ID, 10)
	if !confirmed(r) {
		return a.askToConfirm(w, r, confirmView{Heading: "Delete this endpoint?",
			Message: e.URL + " is sent nothing more, and its deliveries, sent or waiting, are deleted with it. To pause it instead, disable it.",
			Action:  back + "/delete", Button: "Delete the endpoint", Back: back})
	}
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteWebhookEndpoint(ctx, e.ID); err != nil {
			return err
		}
		return audit(ctx, tx, userOf(r), "webhook.delete", webhookTarget(e.ID), e.URL)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/webhooks?done=saved", http.StatusSeeOther)
	return nil
}

func (a *Admin) showDelivery(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.store.WebhookDelivery(ctx, id)
	if err != nil {
		return err
	}
	e, err := a.store.WebhookEndpoint(ctx, d.EndpointID)
	if err != nil {
		return err
	}
	v := &deliveryView{page: a.newPage(r, "Webhook delivery"), D: d, E: e, Payload: string(d.Payload)}
	var buf bytes.Buffer
	if json.Indent(&buf, d.Payload, "", "  ") == nil {
		v.Payload = buf.String()
	}
	return a.render(w, r, http.StatusOK, "webhookdelivery", v)
}

// resendDelivery sends a delivery again, with its webhook-id, at once: a
// receiver that lost it gets it, one that had it can tell.
func (a *Admin) resendDelivery(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = a.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.ResendWebhookDelivery(ctx, id, a.now()); err != nil {
			return err
		}
		return audit(ctx, tx, userOf(r), "webhook.resend", "webhook delivery "+strconv.FormatInt(id, 10), "")
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/webhooks/deliveries/"+strconv.FormatInt(id, 10)+"?done=resent", http.StatusSeeOther)
	return nil
}

func webhookTarget(id int64) string { return "webhook " + strconv.FormatInt(id, 10) }
