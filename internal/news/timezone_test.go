package news

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestParseTimeZone: an IANA name is the zone; empty is UTC; a name that is
// no zone, or "Local" (whatever the server runs in), is refused naming the
// field and the value.
func TestParseTimeZone(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "UTC"}, {"  ", "UTC"}, {"UTC", "UTC"}, {"Europe/Paris", "Europe/Paris"},
		{" America/Sao_Paulo ", "America/Sao_Paulo"}, {"Asia/Kolkata", "Asia/Kolkata"},
	} {
		loc, err := ParseTimeZone("time_zone", tt.in)
		if err != nil || loc.String() != tt.want {
			t.Errorf("ParseTimeZone(%q) = %v, %v; want %s", tt.in, loc, err, tt.want)
		}
	}
	paris, _ := ParseTimeZone("time_zone", "Europe/Paris")
	if _, off := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC).In(paris).Zone(); off != 2*3600 {
		t.Errorf("Europe/Paris in July is UTC%+d s, want +7200", off)
	}
	for _, bad := range []string{"Mars/Olympus", "Local", "europe paris", "../../etc/passwd", "+02:00", strings.Repeat("A/", 40)} {
		_, err := ParseTimeZone("time_zone", bad)
		var e *Error
		if !errors.As(err, &e) || e.Field != "time_zone" || e.Code != EINVALID {
			t.Errorf("ParseTimeZone(%q): %v; want an invalid time_zone", bad, err)
			continue
		}
		if !strings.Contains(e.Message, "not a time zone") {
			t.Errorf("ParseTimeZone(%q) says %q", bad, e.Message)
		}
	}
}
