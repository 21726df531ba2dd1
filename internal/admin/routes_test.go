package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// Who may use each route, written out by hand: the test fails when a route
// is added without saying here who may use it. "owner" is the contributor
// who wrote the article a route is tried on; "other" is another
// contributor.
const (
	everyone = "anon owner other editor admin"
	staff    = "owner other editor admin"
	writers  = "owner editor admin" // the article's own writer, and editors
	editors  = "editor admin"
	admins   = "admin"
)

var routeAccess = map[string]string{
	"GET /admin/login":                                 everyone,
	"POST /admin/login":                                everyone,
	"GET /admin/setup/{token}":                         everyone,
	"POST /admin/setup/{token}":                        everyone,
	"GET /admin/invite/{token}":                        everyone,
	"POST /admin/invite/{token}":                       everyone,
	"GET /admin/login/code":                            everyone,
	"POST /admin/login/code":                           everyone,
	"GET /admin/forgot":                                everyone,
	"POST /admin/forgot":                               everyone,
	"GET /admin/reset/{token}":                         everyone,
	"POST /admin/reset/{token}":                        everyone,
	"GET /admin/account/email/{token}":                 everyone,
	"POST /admin/account/email/{token}":                everyone,
	"GET /admin/static/{name}":                         everyone,
	"POST /admin/logout":                               staff,
	"GET /admin/{$}":                                   staff,
	"GET /admin/articles":                              staff,
	"GET /admin/search":                                staff,
	"GET /admin/articles/new":                          staff,
	"POST /admin/articles/bulk":                        staff,
	"POST /admin/articles":                             staff,
	"GET /admin/articles/{id}":                         writers,
	"POST /admin/articles/{id}":                        writers,
	"POST /admin/articles/{id}/autosave":               writers,
	"POST /admin/preview":                              staff,
	"POST /admin/articles/{id}/submit":                 writers,
	"POST /admin/articles/{id}/publish":                editors,
	"POST /admin/articles/{id}/schedule":               editors,
	"POST /admin/articles/{id}/unpublish":              editors,
	"POST /admin/articles/{id}/corrections":            editors,
	"POST /admin/articles/{id}/notes":                  writers,
	"POST /admin/articles/{id}/send-back":              editors,
	"POST /admin/articles/{id}/embargo":                editors,
	"POST /admin/articles/{id}/unpublish-at":           editors,
	"POST /admin/articles/{id}/schedule-update":        editors,
	"POST /admin/articles/{id}/cancel-update":          editors,
	"GET /admin/articles/{id}/live":                    writers, // live coverage (live.go)
	"POST /admin/articles/{id}/live/start":             writers,
	"POST /admin/articles/{id}/live/end":               writers,
	"POST /admin/articles/{id}/live":                   writers,
	"POST /admin/articles/{id}/live/{update}":          writers,
	"POST /admin/articles/{id}/live/{update}/pin":      writers,
	"POST /admin/articles/{id}/live/{update}/delete":   writers,
	"GET /admin/notifications":                         staff,
	"POST /admin/notifications/read":                   staff,
	"POST /admin/articles/{id}/presence":               writers,
	"POST /admin/articles/{id}/lock":                   editors,
	"GET /admin/budget":                                staff,
	"POST /admin/budget":                               editors,
	"GET /admin/budget/{id}":                           editors,
	"POST /admin/budget/{id}":                          editors,
	"POST /admin/budget/{id}/delete":                   editors,
	"POST /admin/budget/{id}/take":                     staff, // an unassigned line
	"POST /admin/budget/{id}/start":                    staff,
	"GET /admin/articles/{id}/revisions":               writers,
	"GET /admin/articles/{id}/revisions/{n}":           writers,
	"GET /admin/articles/{id}/diff":                    writers,
	"POST /admin/articles/{id}/revisions/{n}/restore":  writers,
	"GET /admin/articles/{id}/previews":                writers,
	"POST /admin/articles/{id}/previews":               writers,
	"POST /admin/articles/{id}/previews/{link}/revoke": writers,
	"GET /admin/sections":                              editors,
	"POST /admin/sections":                             editors,
	"POST /admin/sections/{id}":                        editors,
	"POST /admin/sections/{id}/move":                   editors,
	"GET /admin/authors":                               editors,
	"POST /admin/authors":                              editors,
	"POST /admin/authors/{id}":                         editors,
	"GET /admin/tags":                                  editors,
	"POST /admin/tags":                                 editors,
	"POST /admin/tags/{id}":                            editors,
	"GET /admin/top":                                   editors,
	"POST /admin/top":                                  editors,
	"GET /admin/pages":                                 editors,
	"GET /admin/pages/new":                             editors,
	"POST /admin/pages":                                editors,
	"GET /admin/pages/{id}":                            editors,
	"POST /admin/pages/{id}":                           editors,
	"POST /admin/pages/{id}/publish":                   editors,
	"POST /admin/pages/{id}/unpublish":                 editors,
	"GET /admin/pages/{id}/revisions":                  editors,
	"GET /admin/pages/{id}/revisions/{n}":              editors,
	"POST /admin/pages/{id}/revisions/{n}/restore":     editors,
	"GET /admin/media":                                 staff,
	"POST /admin/media":                                staff,
	"GET /admin/media/{id}":                            staff,
	"POST /admin/media/{id}":                           editors,
	"POST /admin/media/{id}/framing":                   editors,
	"GET /admin/editor/photos":                         staff,
	"POST /admin/editor/photos":                        staff,
	"POST /admin/editor/photos/{id}/words":             staff,
	"GET /admin/users":                                 admins,
	"POST /admin/users":                                admins,
	"GET /admin/users/{id}":                            admins,
	"POST /admin/users/{id}":                           admins,
	"POST /admin/users/{id}/sessions/end":              admins,
	"POST /admin/users/{id}/two-factor/off":            admins,
	"POST /admin/invitations":                          admins,
	"POST /admin/invitations/{id}/revoke":              admins,
	"GET /admin/tokens":                                admins,
	"POST /admin/tokens":                               admins,
	"POST /admin/tokens/{id}/revoke":                   admins,
	"GET /admin/account":                               staff,
	"POST /admin/account/password":                     staff,
	"POST /admin/account/sessions/{id}/end":            staff,
	"POST /admin/account/email":                        staff,
	"GET /admin/account/two-factor":                    staff,
	"POST /admin/account/two-factor/start":             staff,
	"POST /admin/account/two-factor/confirm":           staff,
	"POST /admin/account/two-factor/off":               staff,
	"POST /admin/account/two-factor/codes":             staff,
	"GET /admin/settings":                              admins,
	"POST /admin/settings":                             admins,
	"POST /admin/settings/two-factor":                  admins,
	"GET /admin/mail":                                  admins,
	"GET /admin/audit":                                 editors,
	"GET /admin/webhooks":                              admins,
	"POST /admin/webhooks":                             admins,
	"GET /admin/webhooks/{id}":                         admins,
	"POST /admin/webhooks/{id}":                        admins,
	"POST /admin/webhooks/{id}/rotate":                 admins,
	"POST /admin/webhooks/{id}/delete":                 admins,
	"GET /admin/webhooks/deliveries/{id}":              admins,
	"POST /admin/webhooks/deliveries/{id}/resend":      admins,
	"/admin/": staff,
}

// TestEveryRouteEveryRole tries every route of the newsroom as every role
// and as nobody, on a fresh target each time, and checks that exactly the
// roles listed above get through.
func TestEveryRouteEveryRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		routes := f.adm.routes()
		var patterns []string
		for _, rt := range routes {
			patterns = append(patterns, rt.pattern)
			if _, ok := routeAccess[rt.pattern]; !ok {
				t.Errorf("route %q is not in routeAccess: say who may use it", rt.pattern)
			}
		}
		for p := range routeAccess {
			if !slices.Contains(patterns, p) {
				t.Errorf("routeAccess lists %q, which is not a route", p)
			}
		}
		sec, _ := st.SectionByPath(ctx, "news/world")
		author, _ := st.EnsureAuthor(ctx, "Test Author")
		tag, _ := st.EnsureTag(ctx, "Test tag")
		m := news.Media{Hash: strings.Repeat("ab", 32), Type: "image/jpeg", Size: 1, Width: 640, Height: 480}
		if err := st.SaveMedia(ctx, &m); err != nil {
			t.Fatal(err)
		}
		pg := &news.Page{Slug: "route-test", Title: "Route test", Status: news.Draft}
		if err := st.SavePage(ctx, pg, ""); err != nil {
			t.Fatal(err)
		}
		// A delivery, to an endpoint no try deletes.
		kept := &news.WebhookEndpoint{URL: "https://hooks.example.com/kept", Events: []string{news.EventAddressesChanged}, Secret: "whsec_a2VwdA=="}
		if err := st.CreateWebhookEndpoint(ctx, kept); err != nil {
			t.Fatal(err)
		}
		if err := st.SetSetting(ctx, news.SettingOnion, "http://route-test.onion"); err != nil {
			t.Fatal(err)
		}
		deliveries, err := st.WebhookDeliveries(ctx, kept.ID, 1, 0)
		if err != nil || len(deliveries) != 1 {
			t.Fatal(deliveries, err)
		}
		var cssName string
		for name := range f.adm.assets {
			cssName = name
		}
		for _, rt := range routes {
			method, path, ok := strings.Cut(rt.pattern, " ")
			if !ok {
				method, path = "GET", rt.pattern+"nothing-here"
			}
			for _, who := range strings.Fields(everyone) {
				c := f.as(t, map[string]string{"anon": "", "owner": "contributor", "other": "other", "editor": "editor", "admin": "admin"}[who])
				// Each try gets its own targets, so one role's change does
				// not decide the next role's answer.
				art := f.draft(t, "contributor", "Story for "+who+" "+strings.ReplaceAll(rt.pattern, "/", " "))
				inv := &news.Invitation{Role: news.Contributor, ExpiresAt: time.Now().Add(time.Hour)}
				_, h := auth.NewToken()
				st.CreateInvitation(ctx, h, inv)
				sessions, _ := st.Sessions(ctx, f.users["other"].ID)
				sessID := int64(1)
				if len(sessions) > 0 {
					sessID = sessions[0].ID
				}
				hook := &news.WebhookEndpoint{URL: "https://hooks.example.com/" + who, Events: []string{news.EventArticlePublished}, Secret: "whsec_aG9vaw=="}
				if err := st.CreateWebhookEndpoint(ctx, hook); err != nil {
					t.Fatal(err)
				}
				tok := &news.APIToken{Name: "route " + who, Scopes: []news.Scope{news.ScopeReadDrafts}, CreatedBy: f.users["admin"].ID}
				if _, h := auth.NewAPIToken(); st.CreateAPIToken(ctx, h, tok) != nil {
					t.Fatal("a token to revoke")
				}
				line := &news.BudgetLine{SlugLine: "Budget " + who + " " + strings.ReplaceAll(rt.pattern, "/", " "), SectionID: sec.ID,
					DueAt: time.Now().Add(time.Hour), Stored: news.BudgetPlanned}
				if err := st.CreateBudgetLine(ctx, line); err != nil {
					t.Fatal(err)
				}
				id := map[string]int64{"budget": line.ID, "tokens": tok.ID, "webhooks": hook.ID, "articles": art.Article.ID, "sections": sec.ID, "authors": author.ID, "tags": tag.ID,
					"media": m.ID, "users": f.users["other"].ID, "invitations": inv.ID, "account": sessID, "pages": pg.ID}
				p := path
				if strings.HasPrefix(p, "/admin/webhooks/deliveries/") {
					p = strings.Replace(p, "{id}", itoa(deliveries[0].ID), 1)
				}
				for prefix, v := range id {
					if strings.HasPrefix(p, "/admin/"+prefix+"/") {
						p = strings.Replace(p, "{id}", itoa(v), 1)
					}
				}
				p = strings.NewReplacer("{n}", "1", "{token}", "not-a-token", "{name}", cssName, "{$}", "").Replace(p)
				if strings.HasSuffix(p, "/diff") {
					p += "?from=1"
				}
				form := url.Values{}
				if rt.pattern == "POST /admin/login" {
					form = url.Values{"email": {"contributor@example.org"}, "password": {password}}
				}
				var res response
				if method == "GET" {
					res = c.get(p)
				} else {
					res = c.post(p, form)
				}
				// The guard sends people without a session to the login page
				// with where they were going; logging out goes there without.
				toLogin := res.status == http.StatusSeeOther && strings.HasPrefix(res.location(), "/admin/login?next=")
				denied := res.status == http.StatusUnauthorized || res.status == http.StatusForbidden || toLogin
				want := slices.Contains(strings.Fields(routeAccess[rt.pattern]), who)
				if denied == want {
					t.Errorf("%s %s as %s: status %d (location %q); want allowed=%v", method, p, who, res.status, res.location(), want)
				}
				if res.status >= 500 {
					t.Errorf("%s %s as %s: status %d\n%s", method, p, who, res.status, res.body)
				}
			}
		}
	})
}
