package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit/mailserver"
)

// TestServeSendsMail: serve with --smtp, --mail-from and the password in
// NEWSDESK_SMTP_PASSWORD sends a "Forgot password" link through a real SMTP
// server, by its outbox worker; the password is in no log line.
func TestServeSendsMail(t *testing.T) {
	srv := mailserver.Start(t)
	storetest.Engines(t, func(t *testing.T, dsn string) {
		to := "ana-sqlite@example.org"
		if store.IsPostgres(dsn) {
			to = "ana-postgres@example.org"
		}
		vars := map[string]string{"NEWSDESK_DATA": t.TempDir(), "NEWSDESK_DB": dsn, "NEWSDESK_SMTP_PASSWORD": "s3cret-smtp-pw"}
		var out, errOut strings.Builder
		if err := run(context.Background(), []string{"user", "add", "--email", to, "--name", "Ana Ruiz", "--role", "editor", "--password-stdin"},
			env(vars), strings.NewReader("a long enough password\n"), &out, &errOut); err != nil {
			t.Fatalf("user add: %v %s", err, errOut.String())
		}
		smtp := strings.Replace(srv.SMTP, "smtp://", "smtp://newsroom@", 1)
		base, logs := startServeLogged(t, []string{"--smtp", smtp, "--mail-from", "The Gazette <news@example.org>"}, vars)
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("serve's log:\n%s", logs.String())
			}
		})
		res, err := http.PostForm(base+"/admin/forgot", url.Values{"email": {to}})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("forgot: %d", res.StatusCode)
		}
		var got *mailserver.Message
		for _, m := range srv.WaitFor(t, to, 1) {
			if strings.Contains(m.Text, base+"/admin/reset/") {
				got = &m
			}
		}
		if got == nil || got.From.Address != "news@example.org" {
			t.Fatalf("no reset link from news@example.org to %s: %+v", to, got)
		}
		if strings.Contains(logs.String(), "s3cret-smtp-pw") || !strings.Contains(logs.String(), "mail is sent") {
			t.Fatalf("the log:\n%s", logs.String())
		}
	})
}

func TestServeMailFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--mail-from", "news@example.org"}, "--mail-from without --smtp"},
		{[]string{"--smtp", "smtp://mail.example.org"}, "--mail-from is required"},
		{[]string{"--smtp", "http://mail.example.org", "--mail-from", "news@example.org"}, "scheme"},
		{[]string{"--smtp", "smtp://mail.example.org?tls=none", "--mail-from", "news@example.org"}, "loopback"},
	} {
		err := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, tc.args...), env(nil), nil, io.Discard, io.Discard)
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %v: %v, want a usage error with %q", tc.args, err, tc.want)
		}
	}
}
