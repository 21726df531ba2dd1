package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestNotificationSubjectOfALongHeadlineWithoutSpaces: a notification's
// subject is cut to about 200 bytes, at a space; a headline with no space
// in its last 50 bytes (Japanese, Chinese, a long word) was cut in the
// middle of a character. PostgreSQL refuses such text, so the note (or
// the publication, the sending back) that caused the mail failed with
// it; SQLite stored it and the mail carried a broken character.
func TestNotificationSubjectOfALongHeadlineWithoutSpaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		headline := strings.Repeat("港湾労働者の交渉再開", 9) // 90 characters, 270 bytes, no space
		e := f.draft(t, "contributor", headline)
		path := "/admin/articles/" + itoa(e.Article.ID)
		f.as(t, "contributor").post(path+"/submit", url.Values{})
		c, err := mail.ParseSMTP("smtp://127.0.0.1:1?tls=none", "", "news@example.org")
		if err != nil {
			t.Fatal(err)
		}
		f.adm.cfg.Mail = mail.NewSMTP(c) // nothing is sent: the outbox is read
		if res := f.as(t, "editor").post(path+"/notes", url.Values{"note": {"@contributor one more source."}}); res.status != http.StatusSeeOther {
			t.Fatalf("a note mentioning the writer: %d %s", res.status, res.body)
		}
		list, err := st.MailOutbox(ctx, store.MailPending, 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("outbox: %+v %v", list, err)
		}
		if s := list[0].Subject; !utf8.ValidString(s) || !strings.HasPrefix(s, "The Test Gazette: Mentioned: 港湾") || len(s) > 210 {
			t.Fatalf("subject %q (valid UTF-8: %v, %d bytes)", s, utf8.ValidString(s), len(s))
		}
	})
}
