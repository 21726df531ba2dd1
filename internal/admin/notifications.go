package admin

import (
	"net/http"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/store"
)

// What concerns me: the bell in the newsroom's header counts the unread
// notifications; this page lists them and marks them read. Notifications
// are written by the newsroom service (newsroom.Notifier) in the
// transaction of the change they tell of.

// notifier is how the newsroom tells people: in the newsroom, and by
// email when mail is configured.
func (a *Admin) notifier() newsroom.Notifier {
	n := newsroom.Notifier{SiteName: a.cfg.SiteName, Mail: a.mailOn()}
	if a.cfg.BaseURL != nil {
		n.BaseURL = a.cfg.BaseURL.String()
	}
	return n
}

// Notify tells account userID of something that concerns it (a story
// assigned to them, ...), in tx: in the newsroom, and by email when mail
// is configured. For the newsroom's other parts, such as the story
// budget.
func (a *Admin) Notify(r *http.Request, tx *store.Store, userID int64, kind news.NotificationKind, articleID int64, text string) error {
	return a.notifier().Notify(r.Context(), tx, userID, kind, articleID, text)
}

type notificationsView struct {
	page
	Notifications []news.Notification
}

// showNotifications lists what concerns the signed-in account, newest
// first.
func (a *Admin) showNotifications(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	v := &notificationsView{page: a.newPage(r, "Notifications")}
	var err error
	if v.Notifications, err = a.store.Notifications(r.Context(), u.ID, 100); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "notifications", v)
}

// markNotificationsRead marks one notification read (id), or all.
func (a *Admin) markNotificationsRead(w http.ResponseWriter, r *http.Request) error {
	var id int64
	if s := r.PostFormValue("id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return news.Invalid("id", "%q is not a notification", s)
		}
		id = n
	}
	if err := a.store.MarkNotificationsRead(r.Context(), userOf(r).ID, id, a.now().UTC()); err != nil {
		return err
	}
	to := "/admin/notifications?done=read"
	if next := r.PostFormValue("next"); id != 0 && next != "" {
		if n, err := strconv.ParseInt(next, 10, 64); err == nil && n > 0 {
			to = "/admin/articles/" + strconv.FormatInt(n, 10)
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// mailOn reports whether mail is configured (serve --smtp).
func (a *Admin) mailOn() bool { return a.cfg.Mail != nil }
