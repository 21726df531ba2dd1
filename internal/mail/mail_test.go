package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/testkit/mailserver"
)

func TestParseSMTP(t *testing.T) {
	from := "Newsroom <news@example.org>"
	for _, tc := range []struct {
		url, env, from string
		want           string // c.String(), or the start of the error
		wantPass       string
		bad            bool
	}{
		{url: "smtp://u:pw-1@mail.example.org:587", from: from, want: "smtp://u@mail.example.org:587 (STARTTLS) from \"Newsroom\" <news@example.org>", wantPass: "pw-1"},
		{url: "smtp://mail.example.org", from: from, want: "smtp://mail.example.org:587 (STARTTLS)"},
		{url: "smtps://u:pw-2@mail.example.org", from: from, want: "smtps://u@mail.example.org:465 (TLS)", wantPass: "pw-2"},
		{url: "smtp://u@mail.example.org:2525", env: "from-env", from: from, want: "smtp://u@mail.example.org:2525", wantPass: "from-env"},
		{url: "smtp://u:in-url@mail.example.org", env: "from-env", from: from, wantPass: "in-url", want: "smtp://u@"},
		{url: "smtp://127.0.0.1:1025?tls=none", from: "news@example.org", want: "smtp://127.0.0.1:1025 (no TLS) from <news@example.org>"},
		{url: "smtp://localhost:1025?tls=none", from: from, want: "smtp://localhost:1025 (no TLS)"},
		{url: "smtp://mail.example.org:25?tls=none", from: from, bad: true, want: "--smtp: tls=none is for a test server on a loopback"},
		{url: "smtps://127.0.0.1?tls=none", from: from, bad: true, want: "--smtp: tls=none with smtps://"},
		{url: "smtp://h?tls=off", from: from, bad: true, want: "--smtp: tls=\"off\""},
		{url: "smtp://h?foo=1", from: from, bad: true, want: "--smtp: unknown parameter"},
		{url: "http://h", from: from, bad: true, want: "--smtp: scheme \"http\""},
		{url: "smtp://:587", from: from, bad: true, want: "--smtp: no host"},
		{url: "smtp://h:99999", from: from, bad: true, want: "--smtp: port"},
		{url: "smtp://u@h", from: from, bad: true, want: "--smtp: a user but no password"},
		{url: "smtp://h", from: "", bad: true, want: "--mail-from is required"},
		{url: "smtp://h", from: "not an address", bad: true, want: "--mail-from \"not an address\""},
		{url: "smtp://u:secret@h:%zz", from: from, bad: true, want: "--smtp:"},
	} {
		c, err := mail.ParseSMTP(tc.url, tc.env, tc.from)
		if tc.bad {
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("ParseSMTP(%q): error %v, want one starting %q", tc.url, err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("ParseSMTP(%q): the error shows the password: %v", tc.url, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSMTP(%q): %v", tc.url, err)
			continue
		}
		if !strings.HasPrefix(c.String(), tc.want) {
			t.Errorf("ParseSMTP(%q) = %s, want it to start %s", tc.url, c, tc.want)
		}
		if c.Password != tc.wantPass {
			t.Errorf("ParseSMTP(%q): password %q, want %q", tc.url, c.Password, tc.wantPass)
		}
		if tc.wantPass != "" && strings.Contains(c.String(), tc.wantPass) {
			t.Errorf("ParseSMTP(%q): String shows the password: %s", tc.url, c)
		}
	}
}

func TestMessageCheck(t *testing.T) {
	ok := mail.Message{To: []string{"a@example.org"}, Subject: "Hi", Text: "Body"}
	if err := ok.Check(); err != nil {
		t.Fatalf("a good message: %v", err)
	}
	for name, tc := range map[string]struct {
		edit func(m *mail.Message)
		want string
	}{
		"no recipient":  {func(m *mail.Message) { m.To = nil }, "no recipient"},
		"bad address":   {func(m *mail.Message) { m.To = []string{"a@example.org", "nobody"} }, "To[1]"},
		"display name":  {func(m *mail.Message) { m.To = []string{"A <a@example.org>"} }, "To[0]"},
		"header break":  {func(m *mail.Message) { m.To = []string{"a@example.org\r\nBcc: x@example.org"} }, "To[0]"},
		"no subject":    {func(m *mail.Message) { m.Subject = " " }, "no Subject"},
		"subject break": {func(m *mail.Message) { m.Subject = "Hi\r\nBcc: x@example.org" }, "one line"},
		"no text body":  {func(m *mail.Message) { m.Text = ""; m.HTML = "<p>x</p>" }, "no plain-text body"},
		"too long":      {func(m *mail.Message) { m.Text = strings.Repeat("x", mail.MaxBody+1) }, "longer than"},
	} {
		m := ok
		m.To = append([]string(nil), ok.To...)
		tc.edit(&m)
		if err := m.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Check = %v, want an error with %q", name, err, tc.want)
		}
	}
}

// TestSMTPDelivers sends through a real SMTP server and reads the message
// back from it: sender, recipients, subject, both bodies.
func TestSMTPDelivers(t *testing.T) {
	srv := mailserver.Start(t)
	c, err := mail.ParseSMTP(srv.SMTP, "", "Newsroom <news@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	s := mail.NewSMTP(c)
	m := mail.Message{To: []string{"ana@example.org", "ben@example.org"}, Subject: "Déjà vu: a test",
		Text: "Hello Ana,\n\nA line with ünïcode.\n", HTML: "<p>Hello <b>Ana</b></p>"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, "ben@example.org", 1)[0]
	if got.Subject != m.Subject || got.From.Address != "news@example.org" || got.From.Name != "Newsroom" {
		t.Errorf("delivered subject %q from %+v", got.Subject, got.From)
	}
	if r := strings.Join(got.Recipients(), ","); r != "ana@example.org,ben@example.org" {
		t.Errorf("delivered to %s", r)
	}
	if !strings.Contains(got.Text, "A line with ünïcode.") || !strings.Contains(got.HTML, "<b>Ana</b>") {
		t.Errorf("delivered text %q, html %q", got.Text, got.HTML)
	}
}

// TestSMTPRequiresTLS: without ?tls=none, a server that offers no
// STARTTLS is refused rather than sent to in clear.
func TestSMTPRequiresTLS(t *testing.T) {
	srv := mailserver.Start(t)
	c, err := mail.ParseSMTP(strings.TrimSuffix(srv.SMTP, "?tls=none"), "", "news@example.org")
	if err != nil {
		t.Fatal(err)
	}
	err = mail.NewSMTP(c).Send(context.Background(), mail.Message{To: []string{"a@example.org"}, Subject: "s", Text: "t"})
	if err == nil {
		t.Fatal("sent in clear to a server without STARTTLS")
	}
	if msgs, _ := srv.Messages(); len(msgs) != 0 {
		t.Fatalf("%d messages delivered", len(msgs))
	}
}

// TestSMTPDown: a server that is not there is a temporary failure, worth
// retrying; a message the sender refuses is permanent.
func TestSMTPDown(t *testing.T) {
	c, err := mail.ParseSMTP("smtp://127.0.0.1:1?tls=none", "", "news@example.org")
	if err != nil {
		t.Fatal(err)
	}
	s := mail.NewSMTP(c)
	err = s.Send(context.Background(), mail.Message{To: []string{"a@example.org"}, Subject: "s", Text: "t"})
	if err == nil || mail.Permanent(err) {
		t.Fatalf("Send to a closed port = %v (permanent %v), want a temporary error", err, mail.Permanent(err))
	}
	err = s.Send(context.Background(), mail.Message{Subject: "s", Text: "t"})
	if err == nil || !mail.Permanent(err) {
		t.Fatalf("Send of a message without recipients = %v, want a permanent error", err)
	}
}
