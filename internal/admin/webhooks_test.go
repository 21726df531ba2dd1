package admin

import (
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

// TestWebhooksInTheNewsroom: an admin registers an endpoint and sees its
// secret on that answer only; an address on a private network is refused
// without the operator's flag; a new secret is shown once and the old one
// kept signing; a delivery shows its status and answer and is sent again;
// the endpoint is deleted after a confirmation. The form offers every
// event there is. Each page is valid HTML.
func TestWebhooksInTheNewsroom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.as(t, "admin")
		docs := map[string][]byte{} // checked once, on SQLite
		keep := func(name string, res response) response {
			docs[name] = []byte(res.body)
			return res
		}

		res := keep("list with an error", c.post("/admin/webhooks", url.Values{"url": {"http://10.1.2.3/hooks"}, "events": {news.EventArticlePublished}}))
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "--webhook-allow-private") {
			t.Errorf("a private address: %d\n%s", res.status, res.body)
		}
		if list, _ := st.WebhookEndpoints(ctx); len(list) != 0 {
			t.Fatalf("a refused endpoint was stored: %+v", list)
		}
		res = c.post("/admin/webhooks", url.Values{"url": {"https://93.184.215.14/hooks"}})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "at least one event") {
			t.Errorf("no events: %d", res.status)
		}

		res = keep("endpoint with its secret", c.post("/admin/webhooks", url.Values{"url": {"https://93.184.215.14/hooks"},
			"events": {news.EventArticlePublished, news.EventArticleCorrected}}))
		list, _ := st.WebhookEndpoints(ctx)
		if res.status != http.StatusOK || len(list) != 1 {
			t.Fatalf("creating: %d, %d endpoints\n%s", res.status, len(list), res.body)
		}
		e := list[0]
		if !strings.Contains(html.UnescapeString(res.body), e.Secret) || strings.Join(e.Events, " ") != "article.published article.corrected" {
			t.Errorf("the answer to the creation does not show the secret, or the events are %v", e.Events)
		}
		page := "/admin/webhooks/" + itoa(e.ID)
		if res := c.get(page); res.status != http.StatusOK || strings.Contains(html.UnescapeString(res.body), e.Secret) {
			t.Errorf("the endpoint's page: %d; shows the secret: %v", res.status, strings.Contains(res.body, e.Secret))
		}
		listPage := html.UnescapeString(c.get("/admin/webhooks").body)
		if strings.Contains(listPage, e.Secret) || !strings.Contains(listPage, "https://93.184.215.14/hooks") {
			t.Errorf("the list shows the secret, or not the endpoint")
		}
		for _, ev := range news.WebhookEvents {
			if !strings.Contains(listPage, `value="`+ev+`"`) {
				t.Errorf("the form does not offer %s", ev)
			}
		}
		if a, _ := st.AuditLog(ctx, store.AuditFilter{Limit: 1}); len(a) != 1 || a[0].Action != "webhook.create" || strings.Contains(a[0].Detail, e.Secret) {
			t.Errorf("audit: %+v", a)
		}

		// Rotation: asked first; then the new secret shown once, the old
		// one kept for a day.
		if res := keep("confirm", c.post(page+"/rotate", nil)); res.status != http.StatusOK || !strings.Contains(res.body, `name="confirm"`) {
			t.Errorf("rotate without confirming: %d", res.status)
		}
		if again, _ := st.WebhookEndpoint(ctx, e.ID); again.Secret != e.Secret {
			t.Errorf("the secret changed before the confirmation")
		}
		res = c.post(page+"/rotate", url.Values{"confirm": {"yes"}})
		rotated, _ := st.WebhookEndpoint(ctx, e.ID)
		if res.status != http.StatusOK || rotated.Secret == e.Secret || rotated.PreviousSecret != e.Secret || !strings.Contains(html.UnescapeString(res.body), rotated.Secret) {
			t.Errorf("rotated: %d %+v", res.status, rotated)
		}

		// Disabled, then the events changed.
		res = c.post(page, url.Values{"url": {"https://93.184.215.14/other"}, "events": {news.EventPageUpdated}, "disabled": {"yes"}})
		saved, _ := st.WebhookEndpoint(ctx, e.ID)
		if res.status != http.StatusSeeOther || !saved.Disabled || saved.URL != "https://93.184.215.14/other" || !saved.Subscribes(news.EventPageUpdated) || saved.Subscribes(news.EventArticlePublished) {
			t.Errorf("saved: %d %+v", res.status, saved)
		}
		res = c.post(page, url.Values{"url": {"http://127.0.0.1:9/"}, "events": {news.EventPageUpdated}})
		if res.status != http.StatusBadRequest {
			t.Errorf("saving a loopback address: %d", res.status)
		}

		// A delivery, its page, and a resend.
		saved.Disabled, saved.Events = false, []string{news.EventAddressesChanged}
		if err := st.UpdateWebhookEndpoint(ctx, saved); err != nil {
			t.Fatal(err)
		}
		if err := st.SetSetting(ctx, news.SettingOnion, "http://newsroom-test.onion"); err != nil {
			t.Fatal(err)
		}
		ds, _ := st.WebhookDeliveries(ctx, e.ID, 1, 0)
		if len(ds) != 1 {
			t.Fatal("no delivery")
		}
		res = keep("delivery", c.get("/admin/webhooks/deliveries/"+itoa(ds[0].ID)))
		if res.status != http.StatusOK || !strings.Contains(res.body, ds[0].EventID) || !strings.Contains(res.body, "settings.addresses_changed") {
			t.Errorf("the delivery's page: %d\n%s", res.status, res.body)
		}
		if res := c.get(page); !strings.Contains(res.body, "/admin/webhooks/deliveries/"+itoa(ds[0].ID)) {
			t.Errorf("the endpoint's page does not list its delivery")
		}
		res = c.post("/admin/webhooks/deliveries/"+itoa(ds[0].ID)+"/resend", nil)
		if res.status != http.StatusSeeOther {
			t.Errorf("resend: %d", res.status)
		}

		// A hundred more: the list pages.
		for i := range 100 {
			if err := st.SetSetting(ctx, news.SettingOnion, "http://newsroom-test-"+itoa(int64(i))+".onion"); err != nil {
				t.Fatal(err)
			}
		}
		res = keep("endpoint with deliveries", c.get(page))
		if !strings.Contains(res.body, `href="`+page+`?offset=100"`) || strings.Contains(res.body, "/admin/webhooks/deliveries/"+itoa(ds[0].ID)+`"`) {
			t.Errorf("the first page of 101 deliveries: no link to the older, or the oldest on it")
		}
		res = c.get(page + "?offset=100")
		if !strings.Contains(res.body, "/admin/webhooks/deliveries/"+itoa(ds[0].ID)+`"`) || !strings.Contains(res.body, `href="`+page+`?offset=0"`) {
			t.Errorf("the second page: not the oldest delivery, or no link to the newer")
		}

		// Deleted, after asking.
		if res := c.post(page+"/delete", nil); res.status != http.StatusOK || !strings.Contains(res.body, `name="confirm"`) {
			t.Errorf("delete without confirming: %d", res.status)
		}
		if res := c.post(page+"/delete", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
			t.Errorf("delete: %d", res.status)
		}
		if list, _ := st.WebhookEndpoints(ctx); len(list) != 0 {
			t.Errorf("still there: %+v", list)
		}
		keep("list", c.get("/admin/webhooks"))
		if st.Engine() == "sqlite" {
			testkit.ValidateHTMLBatch(t, docs)
		}
	})
}

// TestGoneEndpointInTheNewsroom: an endpoint whose receiver answered 410
// Gone is shown disabled, with why and since when, on the list and on its
// page (valid HTML); an admin enables it again with the form, which the
// audit log records, and its waiting delivery then goes out.
func TestGoneEndpointInTheNewsroom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.adm.cfg.WebhookAllowPrivate = true // the receiver is on 127.0.0.1
		c := f.as(t, "admin")
		var status atomic.Int32
		status.Store(http.StatusGone)
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(int(status.Load()))
		}))
		t.Cleanup(rcv.Close)
		e := &news.WebhookEndpoint{URL: rcv.URL + "/hooks", Events: []string{news.EventAddressesChanged}, Secret: webhook.NewSecret()}
		if err := st.CreateWebhookEndpoint(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := st.SetSetting(ctx, news.SettingOnion, "http://newsroom-gone.onion"); err != nil {
			t.Fatal(err)
		}
		quiet := slog.New(slog.DiscardHandler)
		sender := webhook.New(st, webhook.Options{AllowLoopback: true, Backoff: func(int) time.Duration { return time.Hour }}, quiet)
		if n := sender.SendDue(ctx); n != 1 {
			t.Fatalf("sent %d, want 1", n)
		}
		page := "/admin/webhooks/" + itoa(e.ID)
		docs := map[string][]byte{}
		for _, p := range []string{"/admin/webhooks", page} {
			res := c.get(p)
			docs[p] = []byte(res.body)
			body := html.UnescapeString(res.body)
			if res.status != http.StatusOK || !strings.Contains(body, "disabled") || !strings.Contains(body, "answered 410 Gone") {
				t.Errorf("%s does not say the endpoint was disabled for its 410:\n%s", p, res.body)
			}
		}
		if st.Engine() == "sqlite" {
			testkit.ValidateHTMLBatch(t, docs)
		}

		status.Store(http.StatusNoContent)
		res := c.post(page, url.Values{"url": {e.URL}, "events": {news.EventAddressesChanged}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("enabling: %d\n%s", res.status, res.body)
		}
		if again, _ := st.WebhookEndpoint(ctx, e.ID); again.Disabled || again.DisabledReason != "" {
			t.Errorf("enabled: %+v", again)
		}
		if res := c.get(page); strings.Contains(res.body, "410 Gone") {
			t.Errorf("the page still shows the reason once enabled")
		}
		if a, _ := st.AuditLog(ctx, store.AuditFilter{Target: "webhook " + itoa(e.ID)}); len(a) != 2 || a[0].Action != "webhook.edit" ||
			!strings.Contains(a[0].Detail, "enabled again") || a[1].Action != "webhook.disable" {
			t.Errorf("audit: %+v", a)
		}
		// Its retry was due an hour on.
		webhook.New(st, webhook.Options{AllowLoopback: true, Now: func() time.Time { return time.Now().Add(2 * time.Hour) }}, quiet).SendDue(ctx)
		if d, _ := st.WebhookDeliveries(ctx, e.ID, 1, 0); len(d) != 1 || d[0].Status != news.DeliveryDelivered {
			t.Errorf("the waiting delivery after enabling: %+v", d)
		}
	})
}
