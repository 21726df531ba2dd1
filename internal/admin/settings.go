package admin

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// settingsForm is the settings page's form: the publication, and the
// alternate addresses readers find it at when its domain is blocked.
type settingsForm struct {
	Name, Description, Language, Logo, Twitter, SameAs, IDAuthority string
	TimeZone                                                        string
	Mirrors, Onion, Snapshots, SigningKey                           string
	SecurityContact, SecurityPolicy                                 string
}

type settingsView struct {
	page
	F       settingsForm
	Primary string    // the primary address, from the server's flags
	Changed time.Time // when the addresses last changed; zero if never
	// ZoneNow is the stored time zone's name, offset and time now
	// ("Europe/Paris: UTC+01:00, 14:05 now"), so an editor sees at once
	// whether the zone is the one they meant.
	ZoneNow string
	Zones   []string // the common zones the field suggests
	// TwoFactorAdmins: the site requires two-factor authentication of
	// admins (twofactor.go; its own form).
	TwoFactorAdmins bool
}

// commonZones are the time zone field's suggestions: any IANA name is
// taken, these save looking one up.
var commonZones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Brussels", "Europe/Warsaw", "Europe/Athens", "Europe/Helsinki",
	"Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow", "Africa/Lagos", "Africa/Cairo", "Africa/Nairobi",
	"Africa/Johannesburg", "Asia/Dubai", "Asia/Tehran", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka",
	"Asia/Bangkok", "Asia/Jakarta", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Manila",
	"Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Sydney", "Pacific/Auckland",
	"America/St_Johns", "America/Halifax", "America/New_York", "America/Chicago", "America/Denver",
	"America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Mexico_City",
	"America/Bogota", "America/Lima", "America/Caracas", "America/Santiago", "America/Buenos_Aires", "America/Sao_Paulo",
}

// settingKeys pairs each form field with its setting.
func (f *settingsForm) settingKeys() map[string]*string {
	return map[string]*string{
		news.SettingName: &f.Name, news.SettingDescription: &f.Description, news.SettingLanguage: &f.Language,
		news.SettingLogo: &f.Logo, news.SettingTwitter: &f.Twitter, news.SettingSameAs: &f.SameAs,
		news.SettingIDAuthority: &f.IDAuthority, news.SettingTimeZone: &f.TimeZone,
		news.SettingMirrors: &f.Mirrors, news.SettingOnion: &f.Onion, news.SettingSnapshots: &f.Snapshots,
		news.SettingSigningKey:      &f.SigningKey,
		news.SettingSecurityContact: &f.SecurityContact, news.SettingSecurityPolicy: &f.SecurityPolicy,
	}
}

func (a *Admin) showSettings(w http.ResponseWriter, r *http.Request) error {
	m, err := a.store.Settings(r.Context())
	if err != nil {
		return err
	}
	var f settingsForm
	for k, p := range f.settingKeys() {
		*p = m[k]
	}
	return a.renderSettings(w, r, http.StatusOK, &f, nil)
}

func (a *Admin) renderSettings(w http.ResponseWriter, r *http.Request, status int, f *settingsForm, ferr error) error {
	changed, err := a.store.SettingsChanged(r.Context(), news.AddressSettings...)
	if err != nil {
		return err
	}
	v := &settingsView{page: a.newPage(r, "Settings"), F: *f, Changed: changed, Zones: commonZones}
	req, err := a.store.Setting(r.Context(), SettingTwoFactorAdmins)
	if err != nil {
		return err
	}
	v.TwoFactorAdmins = req == "1"
	loc := a.location(r.Context())
	now := a.now().In(loc)
	v.ZoneNow = loc.String() + ": UTC" + now.Format("-07:00") + ", " + now.Format("15:04") + " now"
	if a.cfg.BaseURL != nil {
		v.Primary = a.cfg.BaseURL.String()
	}
	if ferr != nil {
		v.Error, v.Field = news.ErrorMessage(ferr), fieldOf(ferr)
	}
	return a.render(w, r, status, "settings", v)
}

// saveSettings checks every field and stores them all in one transaction,
// with an audit entry, so every instance shows the new addresses together.
func (a *Admin) saveSettings(w http.ResponseWriter, r *http.Request) error {
	old, err := a.store.Settings(r.Context())
	if err != nil {
		return err
	}
	// A field the form does not carry keeps its value: the page always
	// sends every field (empty to clear it), so only a broken or partial
	// form leaves one out, and that must not blank the site's name or its
	// mirrors.
	f := &settingsForm{}
	for k, p := range f.settingKeys() {
		*p = old[k]
	}
	field := func(name string, dst *string, clean func(string) string) {
		if r.PostForm.Has(name) {
			*dst = clean(r.PostForm.Get(name))
		}
	}
	lines := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	lower := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	field("name", &f.Name, news.CleanText)
	field("description", &f.Description, news.CleanText)
	field("language", &f.Language, strings.TrimSpace)
	field("logo", &f.Logo, strings.TrimSpace)
	field("twitter", &f.Twitter, strings.TrimSpace)
	field("same_as", &f.SameAs, lines)
	field("id_authority", &f.IDAuthority, lower)
	field("time_zone", &f.TimeZone, strings.TrimSpace)
	field("mirrors", &f.Mirrors, lines)
	field("onion", &f.Onion, strings.TrimSpace)
	field("snapshots", &f.Snapshots, lines)
	field("signing_key", &f.SigningKey, strings.TrimSpace)
	field("security_contact", &f.SecurityContact, strings.TrimSpace)
	field("security_policy", &f.SecurityPolicy, strings.TrimSpace)
	if err := f.check(); err != nil {
		return a.renderSettings(w, r, statusOf(err), f, err)
	}
	values := map[string]string{}
	var names []string
	for k, p := range f.settingKeys() {
		if old[k] != *p {
			values[k] = *p
			names = append(names, k)
		}
	}
	if len(values) > 0 {
		u := userOf(r)
		err = a.store.InTx(r.Context(), func(tx *store.Store) error {
			if err := tx.SetSettings(r.Context(), values); err != nil {
				return err
			}
			return audit(r.Context(), tx, u, "settings", "site settings", strings.Join(slices.Sorted(slices.Values(names)), ", "))
		})
		if err != nil {
			return err
		}
		a.changed()
	}
	http.Redirect(w, r, "/admin/settings?done=saved", http.StatusSeeOther)
	return nil
}

// check refuses what the site could not use, naming the field; the
// addresses are normalized (one origin a line, lower case, no duplicates).
func (f *settingsForm) check() error {
	if len(f.Name) > 200 {
		return news.Invalid("name", "the name is longer than 200 characters")
	}
	if len(f.Description) > 500 {
		return news.Invalid("description", "the description is longer than 500 characters")
	}
	if f.Language != "" && !news.ValidLanguage(f.Language) {
		return news.Invalid("language", "%q is not a language tag such as en or pt-BR", f.Language)
	}
	if f.Logo != "" && !strings.HasPrefix(f.Logo, "/") {
		if _, err := news.ParseWebURL("logo", f.Logo); err != nil {
			return news.Invalid("logo", "give a path on the site (/media/…) or an https:// address")
		}
	}
	if f.Twitter != "" {
		h, ok := news.TwitterHandle(f.Twitter)
		if !ok {
			return news.Invalid("twitter", "%q is not a handle such as @meridian24", f.Twitter)
		}
		f.Twitter = h
	}
	for i, line := range strings.Split(f.SameAs, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if _, err := news.ParseWebURL("same_as", line); err != nil {
			return news.Invalid("same_as", "line %d: %q is not an address such as https://example.social/@meridian24", i+1, line)
		}
	}
	if f.IDAuthority != "" && !news.ValidHostName(f.IDAuthority) {
		return news.Invalid("id_authority", "%q is not a host name such as news.example.org", f.IDAuthority)
	}
	if _, err := news.ParseTimeZone("time_zone", f.TimeZone); err != nil {
		return err
	}
	addr, err := news.ParseAddresses(f.Mirrors, f.Onion, f.Snapshots, f.SigningKey)
	if err != nil {
		return err
	}
	f.Mirrors = strings.TrimSpace(news.Lines(addr.Mirrors))
	f.Snapshots = strings.TrimSpace(news.Lines(addr.Snapshots))
	f.Onion = ""
	if addr.Onion != nil {
		f.Onion = addr.Onion.String()
	}
	f.SigningKey = addr.SigningKey
	if f.SecurityContact, err = news.ParseSecurityContact("security_contact", f.SecurityContact); err != nil {
		return err
	}
	if f.SecurityPolicy, err = news.ParseSecurityPolicy("security_policy", f.SecurityPolicy); err != nil {
		return err
	}
	return nil
}
