package store_test

import (
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestSetSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		at, err := s.SettingsChanged(ctx, "site.mirrors", "site.onion")
		if err != nil || !at.IsZero() {
			t.Fatalf("before any setting: %v, %v; want the zero time", at, err)
		}
		before, err := s.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now().Add(-time.Second)
		err = s.SetSettings(ctx, map[string]string{"site.mirrors": "https://m.example\n", "site.onion": ""})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Settings(ctx)
		if err != nil || got["site.mirrors"] != "https://m.example\n" || got["site.onion"] != "" || len(got) != 2 {
			t.Errorf("settings %q, %v", got, err)
		}
		at, err = s.SettingsChanged(ctx, "site.mirrors", "site.onion")
		if err != nil || at.Before(start) || at.After(time.Now().Add(time.Second)) {
			t.Errorf("changed at %v, %v; want about now", at, err)
		}
		if other, err := s.SettingsChanged(ctx, "site.name"); err != nil || !other.IsZero() {
			t.Errorf("an unset key changed at %v, %v", other, err)
		}
		if after, err := s.LastChange(ctx); err != nil || after <= before {
			t.Errorf("change log %d -> %d, %v: other instances would not learn of it", before, after, err)
		}
	})
}
