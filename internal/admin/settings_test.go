package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		adm := f.as(t, "admin")
		onion := "http://" + strings.Repeat("b", 56) + ".onion"
		form := url.Values{
			"name":     {"The Test Gazette"},
			"language": {"en-GB"},
			"twitter":  {"https://x.com/testgazette"},
			"mirrors":  {"https://Mirror-One.example.net/\r\n\r\nhttps://mirror-one.example.net\r\nhttps://mirror-two.example.net"},
			"onion":    {onion},
		}
		res := adm.post("/admin/settings", form)
		if res.status != http.StatusSeeOther || res.location() != "/admin/settings?done=saved" {
			t.Fatalf("save: %d %q: %.300s", res.status, res.location(), res.body)
		}
		m, err := st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			news.SettingMirrors:  "https://mirror-one.example.net\nhttps://mirror-two.example.net",
			news.SettingOnion:    onion,
			news.SettingTwitter:  "@testgazette",
			news.SettingLanguage: "en-GB",
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("setting %s = %q, want %q (normalized)", k, m[k], v)
			}
		}

		// The public site shows the new addresses at once, on every page.
		home := f.anon(t).get("/")
		for _, s := range []string{"mirror-one.example.net", "mirror-two.example.net"} {
			if !strings.Contains(home.body, s) {
				t.Errorf("the home page does not list %s", s)
			}
		}
		if !strings.Contains(home.body, `lang="en-GB"`) {
			t.Error("the home page's language is not the new one")
		}

		// A bad line is named, with its field and line, and nothing is
		// stored: the old addresses stay.
		bad := []struct{ field, value, says string }{
			{"mirrors", "https://ok.example.net\nhttps://x.example.net/path", "line 2"},
			{"onion", "http://short.onion", "onion address"},
			{"signing_key", "ssh-ed25519 AAAA", "starts with"},
			{"language", "english please", "language tag"},
			{"twitter", "not a handle!", "handle"},
			{"id_authority", "Not A Host", "host name"},
		}
		for _, b := range bad {
			bf := url.Values{}
			for k, v := range form {
				bf[k] = v
			}
			bf.Set(b.field, b.value)
			res := adm.post("/admin/settings", bf)
			if res.status != http.StatusBadRequest && res.status != http.StatusUnprocessableEntity {
				t.Errorf("%s %q: status %d, want a form error", b.field, b.value, res.status)
			}
			if !strings.Contains(res.body, `data-field="`+b.field+`"`) || !strings.Contains(res.body, b.says) {
				t.Errorf("%s %q: the error does not name the field and say %q", b.field, b.value, b.says)
			}
			kept := "mirror-two.example.net"
			if b.field == "mirrors" {
				kept = "testgazette"
			}
			if !strings.Contains(res.body, kept) {
				t.Errorf("%s: the form lost what was typed in the other fields", b.field)
			}
		}
		after, _ := st.Settings(ctx)
		if after[news.SettingMirrors] != want[news.SettingMirrors] || after[news.SettingOnion] != onion {
			t.Errorf("a refused form changed the stored addresses: %q", after)
		}

		entries, err := st.AuditLog(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			found = found || (e.Action == "settings" && strings.Contains(e.Detail, news.SettingMirrors))
		}
		if !found {
			t.Error("no audit entry names the changed settings")
		}
	})
}
