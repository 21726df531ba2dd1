package site_test

import (
	"crypto/ed25519"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestMirrorsJSON(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		type list struct {
			Name       string    `json:"name"`
			Primary    string    `json:"primary"`
			Mirrors    []string  `json:"mirrors"`
			Onion      string    `json:"onion"`
			Snapshots  []string  `json:"snapshots"`
			SigningKey string    `json:"signing_key"`
			Updated    time.Time `json:"updated"`
		}
		ds := newDistSite(t, s, distOptions{})
		read := func() list {
			t.Helper()
			res, body := ds.fetch(t, "/mirrors.json")
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			if res.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Error("apps on other origins cannot read it: no Access-Control-Allow-Origin: *")
			}
			var l list
			if err := json.Unmarshal(body, &l); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, body)
			}
			return l
		}

		// From flags alone: the primary and the --mirror.
		l := read()
		if l.Primary != distBase || len(l.Mirrors) != 1 || l.Mirrors[0] != "https://mirror.example.net" ||
			l.Onion != "" || len(l.Snapshots) != 0 || l.Updated.IsZero() {
			t.Errorf("from flags: %+v", l)
		}

		// The newsroom adds a mirror, an onion address, a copy and the
		// key; the list (and every page's notice) shows them at once.
		pub, _, err := ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		onion := "http://" + strings.Repeat("c", 56) + ".onion"
		before := time.Now().Add(-time.Second)
		err = s.SetSettings(ctx, map[string]string{
			news.SettingMirrors:    "https://mirror.example.net\nhttps://second.example.org",
			news.SettingOnion:      onion,
			news.SettingSnapshots:  "https://copies.example.com/m24/",
			news.SettingSigningKey: news.FormatPublicKey(pub),
		})
		if err != nil {
			t.Fatal(err)
		}
		ds.site.Changed()
		l = read()
		if strings.Join(l.Mirrors, " ") != "https://mirror.example.net https://second.example.org" {
			t.Errorf("mirrors %q: want the flag's and the newsroom's, once each", l.Mirrors)
		}
		if l.Onion != onion || len(l.Snapshots) != 1 || l.Snapshots[0] != "https://copies.example.com/m24/" ||
			l.SigningKey != news.FormatPublicKey(pub) {
			t.Errorf("after the newsroom's change: %+v", l)
		}
		if l.Updated.Before(before.Truncate(time.Second)) {
			t.Errorf("updated %v, want the time of the change (after %v)", l.Updated, before)
		}
		home := string(ds.get(t, "/"))
		mustContain(t, "home", home, "second.example.org", strings.Repeat("c", 56)+".onion")

		// On a mirror, the notice names the primary and the other
		// mirrors, not the address the reader is already on.
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = "second.example.org"
		rec := httptest.NewRecorder()
		ds.site.Handler().ServeHTTP(rec, req)
		notice := rec.Body.String()
		if i := strings.Index(notice, `class="mirrors"`); i >= 0 {
			notice = notice[i:]
		} else {
			t.Fatalf("no mirror notice on the mirror's home page")
		}
		mustContain(t, "the notice on a mirror", notice, `href="`+distBase+`/"`, `href="https://mirror.example.net/"`)
		mustNotContain(t, "the notice on a mirror", notice, `href="https://second.example.org/"`)
	})
}

func TestRecordFlagAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cfg, err := site.NewConfig(distBase, []string{"https://mirror.example.net"}, "Meridian 24")
		if err != nil {
			t.Fatal(err)
		}
		if err := site.RecordFlagAddresses(ctx, s, cfg); err != nil {
			t.Fatal(err)
		}
		first, err := s.SettingsChanged(ctx, news.AddressSettings...)
		if err != nil || first.IsZero() {
			t.Fatalf("the flags' addresses were not dated: %v, %v", first, err)
		}
		last, _ := s.LastChange(ctx)
		// The same flags again (a restart): nothing changes, the date stays.
		if err := site.RecordFlagAddresses(ctx, s, cfg); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.LastChange(ctx); again != last {
			t.Errorf("a restart with the same flags recorded a change (%d -> %d)", last, again)
		}
		// A new primary after a seizure: recorded.
		moved, err := site.NewConfig("https://meridian24.example.net", []string{"https://mirror.example.net"}, "Meridian 24")
		if err != nil {
			t.Fatal(err)
		}
		if err := site.RecordFlagAddresses(ctx, s, moved); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.LastChange(ctx); again == last {
			t.Error("a new primary address was not recorded")
		}
	})
}
