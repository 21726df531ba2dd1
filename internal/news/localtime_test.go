package news

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseLocalTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin") // from the embedded zone database when the system has none
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in      string
		want    string // RFC 3339 in UTC; "" for an error
		wantErr string
	}{
		{"2026-07-01T09:30", "2026-07-01T07:30:00Z", ""},
		{"2026-01-15T09:30", "2026-01-15T08:30:00Z", ""},
		// Spring gap: 29 March 2026, 02:00 -> 03:00.
		{"2026-03-29T02:30", "", "does not exist in Europe/Berlin"},
		{"2026-03-29T03:00", "2026-03-29T01:00:00Z", ""},
		// Autumn: 25 October 2026, 02:00-03:00 happens twice; the first
		// (summer time, +02:00) is chosen.
		{"2026-10-25T02:30", "2026-10-25T00:30:00Z", ""},
		{"2026-10-25T03:30", "2026-10-25T02:30:00Z", ""},
		{"tomorrow", "", "give the date and time"},
	}
	for _, tt := range tests {
		got, err := ParseLocalTime("publish_at", tt.in, berlin)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(ErrorMessage(err), tt.wantErr) || !onField(err, "publish_at") {
				t.Errorf("%s: got %v, %v; want an error on publish_at saying %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.UTC().Format(time.RFC3339) != tt.want {
			t.Errorf("%s: got %v, %v; want %s", tt.in, got.UTC(), err, tt.want)
		}
	}
}

func onField(err error, field string) bool {
	var e *Error
	return errors.As(err, &e) && e.Field == field
}
