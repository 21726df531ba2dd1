package site

import (
	"encoding/json"
	"net/http"
	"time"
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

// showMirrors answers /mirrors.json. "updated" is when the newsroom last
// changed the addresses; when it never has, they all come from the
// server's flags, and it is when this server started with them.
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
