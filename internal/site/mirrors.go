package site

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

// mirrorList is /mirrors.json: every address the publication can be read
// at, so an app or a reader who kept it finds the site again when an
// address dies. Field names are part of the public interface: add, never
// rename.
type mirrorList struct {
	Name       string    `json:"name"`
	Primary    string    `json:"primary"`
	Mirrors    []string  `json:"mirrors"`
	Onion      string    `json:"onion,omitempty"`
	Snapshots  []string  `json:"snapshots"`
	SigningKey string    `json:"signing_key,omitempty"`
	Updated    time.Time `json:"updated"`
}

// showMirrors answers /mirrors.json. "updated" is when the addresses last
// changed, in the newsroom or in the flags a server was started with (see
// RecordFlagAddresses); when neither was ever recorded, when this Site was
// made.
func (s *Site) showMirrors(w http.ResponseWriter, r *http.Request) error {
	st := s.settings(r.Context())
	a := st.Addresses
	m := mirrorList{Name: st.Name, Primary: s.cfg.BaseURL.String(), Mirrors: []string{}, Snapshots: []string{},
		SigningKey: a.SigningKey, Updated: st.AddressesChanged}
	for _, u := range a.Mirrors {
		m.Mirrors = append(m.Mirrors, u.String())
	}
	if a.Onion != nil {
		m.Onion = a.Onion.String()
	}
	for _, u := range a.Snapshots {
		m.Snapshots = append(m.Snapshots, u.String())
	}
	if m.Updated.IsZero() {
		m.Updated = s.started
	}
	m.Updated = m.Updated.UTC().Truncate(time.Second)
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	// Any site or app may read it: it is the way back to us.
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "public, max-age=300")
	if r.Method != http.MethodHead {
		w.Write(append(body, '\n'))
	}
	return nil
}

// RecordFlagAddresses stores the addresses a server was started with, when
// they differ from those stored last, so /mirrors.json can say when the
// list changed even when it changed by flags. Servers sharing a database
// should be started with the same flags; if they are not, each start
// records its own list, and the date is that of the latest start.
func RecordFlagAddresses(ctx context.Context, st *store.Store, cfg Config) error {
	list := append([]*url.URL{cfg.BaseURL}, cfg.Mirrors...)
	if cfg.Onion != nil {
		list = append(list, cfg.Onion)
	}
	v := news.Lines(list)
	m, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	if m[news.SettingFlagAddresses] == v {
		return nil
	}
	return st.SetSetting(ctx, news.SettingFlagAddresses, v)
}
