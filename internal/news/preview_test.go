package news

import (
	"strings"
	"testing"
	"time"
)

func TestPreviewDays(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{{"", DefaultPreviewDays, true}, {" 1 ", 1, true}, {"30", 30, true}, {"0", 0, false}, {"31", 0, false}, {"-2", 0, false}, {"7.5", 0, false}, {"week", 0, false}} {
		got, err := PreviewDays(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("PreviewDays(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "days")) {
			t.Errorf("PreviewDays(%q): %v, want an invalid-input error naming the days", c.in, err)
		}
	}
	if _, err := CheckPreviewNote(strings.Repeat("é", MaxPreviewNote+1)); ErrorCode(err) != EINVALID {
		t.Errorf("a note too long: %v", err)
	}
	if got, err := CheckPreviewNote(" for\x07 the lawyer "); err != nil || got != "for the lawyer" {
		t.Errorf("a note cleaned: %q, %v", got, err)
	}
}

func TestPreviewLinkState(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	l := &PreviewLink{ExpiresAt: now.Add(time.Second)}
	if got := l.State(now); got != PreviewOpen {
		t.Errorf("before its end: %s", got)
	}
	if got := l.State(now.Add(time.Second)); got != PreviewExpired {
		t.Errorf("at its end: %s, want expired", got)
	}
	l.RevokedAt = now.Add(-time.Hour)
	if got := l.State(now.Add(time.Hour)); got != PreviewRevoked {
		t.Errorf("revoked, then past its end: %s, want revoked", got)
	}
	a := &Article{Status: Draft}
	if PreviewWithdrawn(a) {
		t.Error("a draft never published is withdrawn")
	}
	a.PublishedAt = now
	if !PreviewWithdrawn(a) {
		t.Error("a story published, then taken back to draft, is not withdrawn")
	}
	a.Status = Published
	if PreviewWithdrawn(a) {
		t.Error("a published story is withdrawn")
	}
}
