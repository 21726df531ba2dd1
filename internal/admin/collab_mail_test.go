package admin

import (
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/mail/outbox"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit/mailserver"
)

// TestNotificationsByEmail: with mail configured, a mention and a story
// sent back reach the writer by email through a real SMTP server
// (Mailpit), written to the outbox with the change and sent by the
// outbox's worker; each links to the story in the newsroom. Without mail
// configured, nothing is put in the outbox.
func TestNotificationsByEmail(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Port strike talks resume")
		path := "/admin/articles/" + itoa(e.Article.ID)
		writer, editor := f.as(t, "contributor"), f.as(t, "editor")
		writer.post(path+"/submit", url.Values{})
		// Not configured: the note is in the newsroom only.
		editor.post(path+"/notes", url.Values{"note": {"@Contributor first note."}})
		if list, err := st.MailOutbox(ctx, store.MailPending, 10); err != nil || len(list) != 0 {
			t.Fatalf("without mail configured the outbox holds %+v, %v", list, err)
		}
		c, err := mail.ParseSMTP(srv.SMTP, "", "Newsroom <news@example.org>")
		if err != nil {
			t.Fatal(err)
		}
		sender := mail.NewSMTP(c)
		f.adm.cfg.Mail = sender
		editor.post(path+"/notes", url.Values{"note": {"@contributor the headline is long."}})
		editor.post(path+"/send-back", url.Values{"note": {"Two sources, please."}})
		w := outbox.New(st, sender, outbox.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if n := w.SendDue(ctx); n != 2 {
			t.Fatalf("the worker sent %d messages, want 2", n)
		}
		// Each engine's writer has the same address: the server is shared,
		// so its messages are told apart by the story's id in the link.
		got := srv.WaitFor(t, f.users["contributor"].Email, 2*storeRuns(st))
		link := "http://news.example.org/admin/articles/" + itoa(e.Article.ID)
		var subjects []string
		for _, m := range got {
			if strings.Contains(m.Text, link) && strings.Contains(m.Subject, "Port strike talks resume") {
				subjects = append(subjects, m.Subject)
			}
		}
		joined := strings.Join(subjects, "\n")
		if !strings.Contains(joined, "The Test Gazette: Mentioned: Port strike talks resume") || !strings.Contains(joined, "The Test Gazette: Sent back: Port strike talks resume") {
			t.Errorf("delivered subjects:\n%s", joined)
		}
		if n, _ := st.UnreadNotifications(ctx, f.users["contributor"].ID); n != 3 {
			t.Errorf("in the newsroom: %d unread, want 3 (the emails are in addition)", n)
		}
	})
}

// storeRuns is how many engines' runs have delivered to the shared server
// by the end of this one: 1 on SQLite (first), 2 on PostgreSQL.
func storeRuns(st *store.Store) int {
	if st.Engine() == "postgres" {
		return 2
	}
	return 1
}
