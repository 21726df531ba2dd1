package site

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestWatcherKeepsSettingsOverOtherChanges: through the change watcher's
// path, a change that names no settings (a new section) keeps the
// settings read (no query for them), while a setting changed in the store
// is read at once; too many changes to look through read them again.
func TestWatcherKeepsSettingsOverOtherChanges(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, dsn string) {
		st, err := store.OpenWith(ctx, dsn, store.Options{CountQueries: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		cfg, err := NewConfig("https://news.example.org", nil, "Meridian 24")
		if err != nil {
			t.Fatal(err)
		}
		cfg.PollInterval = time.Hour
		s, err := New(cfg, st, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		last := func() int64 {
			t.Helper()
			id, err := st.LastChange(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		// settingsAfter runs change and the watcher's reaction to it,
		// then reads the settings: their name and the queries that cost.
		settingsAfter := func(change func()) (string, int64) {
			t.Helper()
			from := last()
			change()
			s.contentChanged(ctx, from, last())
			before := st.Queries()
			name := s.settings(ctx).Name
			return name, st.Queries() - before
		}
		n := 0
		section := func() {
			t.Helper()
			n++
			if err := st.CreateSection(ctx, &news.Section{Slug: "s" + strconv.Itoa(n), Name: "S"}); err != nil {
				t.Fatal(err)
			}
		}
		setName := func(name string) func() {
			return func() {
				if err := st.SetSetting(ctx, SettingName, name); err != nil {
					t.Fatal(err)
				}
			}
		}

		if name, q := settingsAfter(setName("Meridian Daily")); name != "Meridian Daily" || q == 0 {
			t.Errorf("after a setting: name %q in %d queries; want the new name, read", name, q)
		}
		if name, q := settingsAfter(section); name != "Meridian Daily" || q != 0 {
			t.Errorf("after a section: name %q in %d queries; want the name kept, no query", name, q)
		}
		if name, q := settingsAfter(setName("Meridian Weekly")); name != "Meridian Weekly" || q == 0 {
			t.Errorf("after a setting again: name %q in %d queries; want the new name, read", name, q)
		}
		// A setting among many other changes is found only by reading.
		if name, q := settingsAfter(func() {
			setName("Meridian Monthly")()
			for range settingsScan {
				section()
			}
		}); name != "Meridian Monthly" || q == 0 {
			t.Errorf("after %d changes: name %q in %d queries; want the new name, read", settingsScan+1, name, q)
		}
		// Changed (the newsroom's path) says nothing of what changed: the
		// settings are read again.
		s.Changed()
		if before := st.Queries(); s.settings(ctx).Name != "Meridian Monthly" || st.Queries() == before {
			t.Errorf("after Changed: the settings cost no query; want them read again")
		}
	})
}
