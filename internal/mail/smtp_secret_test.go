package mail_test

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/mail"
)

// TestParseSMTPNeverShowsPartOfThePassword: a password holding / ? # or %
// not percent-encoded (usual in generated passwords) cut the URL in the
// wrong place, and the error quoted what came out as the port, the path
// or a parameter: pieces of the password, on the terminal and in the
// service's log. When "1234" came before the #, the URL was even taken,
// with the host "u" and the rest of the password lost.
func TestParseSMTPNeverShowsPartOfThePassword(t *testing.T) {
	for _, raw := range []string{
		"smtp://u:Pwone#Pwtwo@mail.example.org:587",
		"smtp://u:Pwone/Pwtwo@mail.example.org",
		"smtp://u:Pwone?Pwtwo@mail.example.org",
		"smtp://u:1234?Pwtwo@mail.example.org",
		"smtp://u:1234/Pwtwo@mail.example.org",
		"smtp://u:1234#Pwtwo@mail.example.org",
		"smtp://u:Pwone%zzPwtwo@mail.example.org",
		"smtp://u:Pw%zz@mail.example.org",
	} {
		_, err := mail.ParseSMTP(raw, "", "news@example.org")
		if err == nil {
			t.Errorf("ParseSMTP(%q) took it", raw)
			continue
		}
		for _, part := range []string{"Pwone", "Pwtwo", "1234", "Pw", "%zz"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("ParseSMTP(%q): the error shows part of the password (%s): %v", raw, part, err)
			}
		}
		if !strings.HasPrefix(err.Error(), "--smtp:") || !strings.Contains(err.Error(), "NEWSDESK_SMTP_PASSWORD") {
			t.Errorf("ParseSMTP(%q): the error does not say what to do: %v", raw, err)
		}
	}
	// A percent-encoded password is taken whole.
	c, err := mail.ParseSMTP("smtp://u:Pw%23one%2F%3Ftwo@mail.example.org", "", "news@example.org")
	if err != nil || c.Password != "Pw#one/?two" || c.Host != "mail.example.org" {
		t.Fatalf("an encoded password: %+v %v", c, err)
	}
}
