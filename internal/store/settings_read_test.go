package store_test

import (
	"maps"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestSettingsAt: one query says what Settings and SettingsChanged say.
func TestSettingsAt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		values, times, err := s.SettingsAt(ctx)
		if err != nil || len(values) != 0 || len(times) != 0 {
			t.Fatalf("before any setting: %q, %v, %v; want none", values, times, err)
		}
		if err := s.SetSettings(ctx, map[string]string{"site.name": "Meridian 24", "site.onion": ""}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctx, "site.mirrors", "https://m.example\n"); err != nil {
			t.Fatal(err)
		}
		values, times, err = s.SettingsAt(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(values, want) {
			t.Errorf("values %q, want %q", values, want)
		}
		for _, keys := range [][]string{{"site.name"}, {"site.mirrors", "site.onion"}, {"site.onion"}} {
			wantAt, err := s.SettingsChanged(ctx, keys...)
			if err != nil {
				t.Fatal(err)
			}
			var got = times[keys[0]]
			for _, k := range keys[1:] {
				if times[k].After(got) {
					got = times[k]
				}
			}
			if !got.Equal(wantAt) || got.IsZero() {
				t.Errorf("%v changed at %v, want %v (and not zero)", keys, got, wantAt)
			}
		}
	})
}

// TestSetting: one setting, as stored (the site's time zone), and "" for
// one never stored.
func TestSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if v, err := s.Setting(ctx, "site.time_zone"); err != nil || v != "" {
			t.Fatalf("before any setting: %q, %v; want \"\"", v, err)
		}
		if err := s.SetSettings(ctx, map[string]string{"site.time_zone": "Europe/Paris", "site.name": "Meridian 24"}); err != nil {
			t.Fatal(err)
		}
		if v, err := s.Setting(ctx, "site.time_zone"); err != nil || v != "Europe/Paris" {
			t.Errorf("time zone %q, %v; want Europe/Paris", v, err)
		}
		if err := s.SetSetting(ctx, "site.time_zone", "America/Sao_Paulo"); err != nil {
			t.Fatal(err)
		}
		if v, err := s.Setting(ctx, "site.time_zone"); err != nil || v != "America/Sao_Paulo" {
			t.Errorf("time zone after a change %q, %v; want America/Sao_Paulo", v, err)
		}
	})
}
