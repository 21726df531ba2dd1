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

// TestSecurityContactSetting: the settings page edits the security
// contact and the disclosure policy that /.well-known/security.txt
// publishes; an e-mail address is stored as a mailto: URI; anything the
// file could not carry safely (an http: address, a second line, a mailto:
// query that adds recipients) is refused naming the field, and nothing
// is stored; clearing the contact takes the file away.
func TestSecurityContactSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		adm := f.as(t, "admin")
		anon := f.anon(t)
		if res := anon.get("/.well-known/security.txt"); res.status != http.StatusNotFound {
			t.Errorf("security.txt before a contact is set: %d, want 404", res.status)
		}
		page := adm.get("/admin/settings")
		for _, want := range []string{`name="security_contact"`, `name="security_policy"`, `href="/.well-known/security.txt"`} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the settings page has no %s", want)
			}
		}

		res := adm.post("/admin/settings", url.Values{"security_contact": {" security@example.org "}, "security_policy": {"https://news.example.org/security"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("saving a contact: %d\n%.300s", res.status, res.body)
		}
		m, err := st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m[news.SettingSecurityContact] != "mailto:security@example.org" || m[news.SettingSecurityPolicy] != "https://news.example.org/security" {
			t.Errorf("stored %q and %q", m[news.SettingSecurityContact], m[news.SettingSecurityPolicy])
		}
		file := anon.get("/.well-known/security.txt")
		for _, want := range []string{"Contact: mailto:security@example.org\n", "Policy: https://news.example.org/security\n", "Expires: ", "Canonical: http://news.example.org/.well-known/security.txt\n"} {
			if file.status != http.StatusOK || !strings.Contains(file.body, want) {
				t.Errorf("security.txt: %d, no %q in\n%s", file.status, want, file.body)
			}
		}

		for _, bad := range []struct{ field, value string }{
			{"security_contact", "http://news.example.org/security"},
			{"security_contact", "security@example.org\nContact: mailto:x@evil.example"},
			{"security_contact", "mailto:security@example.org?cc=x@evil.example"},
			{"security_policy", "http://news.example.org/policy"},
		} {
			res := adm.post("/admin/settings", url.Values{bad.field: {bad.value}})
			if (res.status != http.StatusBadRequest && res.status != http.StatusUnprocessableEntity) || !strings.Contains(res.body, `data-field="`+bad.field+`"`) {
				t.Errorf("%s = %q: %d, want a form error naming the field\n%.300s", bad.field, bad.value, res.status, res.body)
			}
			if m2, _ := st.Settings(ctx); m2[news.SettingSecurityContact] != m[news.SettingSecurityContact] || m2[news.SettingSecurityPolicy] != m[news.SettingSecurityPolicy] {
				t.Errorf("%s = %q was refused but changed the settings", bad.field, bad.value)
			}
		}

		if res := adm.post("/admin/settings", url.Values{"security_contact": {""}}); res.status != http.StatusSeeOther {
			t.Fatalf("clearing the contact: %d", res.status)
		}
		if res := anon.get("/.well-known/security.txt"); res.status != http.StatusNotFound {
			t.Errorf("security.txt after the contact was cleared: %d, want 404", res.status)
		}
	})
}
