package admin

import (
	"net/http"
	"strconv"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// invitationMail is the message that carries an invitation link.
func invitationMail(site string, from *news.User, inv *news.Invitation, link string) mail.Message {
	return mail.Message{To: []string{inv.Email}, Subject: "You are invited to the " + site + " newsroom",
		Text: from.Name + " invites you to join the " + site + " newsroom as " + string(inv.Role) + ".\n\n" +
			"To create your account, open this link within " + strconv.Itoa(int(inv.ExpiresAt.Sub(inv.CreatedAt).Hours()/24)) + " days:\n\n" +
			link + "\n\nIt works once. If you did not expect this, ignore this message.\n"}
}

type mailView struct {
	page
	Configured bool
	Counts     map[string]int
	Failed     []*store.OutboxMail
	Recent     []*store.OutboxMail
}

// showMailOutbox lists the outbox for admins: what failed for good (after
// its retries, or refused by the server), and the latest messages.
func (a *Admin) showMailOutbox(w http.ResponseWriter, r *http.Request) error {
	v := &mailView{page: a.newPage(r, "Mail"), Configured: a.cfg.Mail != nil}
	var err error
	if v.Counts, err = a.store.MailCounts(r.Context()); err != nil {
		return err
	}
	if v.Failed, err = a.store.MailOutbox(r.Context(), store.MailFailed, 50); err != nil {
		return err
	}
	if v.Recent, err = a.store.MailOutbox(r.Context(), "", 50); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "mail", v)
}
