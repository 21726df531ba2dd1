package news

import (
	"time"
	_ "time/tzdata" // the zone database in the binary: local times work on a machine without /usr/share/zoneinfo
)

// LocalTimeLayout is how a datetime-local field sends a time: the wall
// clock in the site's time zone, without an offset.
const LocalTimeLayout = "2006-01-02T15:04"

// ParseLocalTime reads a wall-clock time in loc, as a datetime-local field
// sends it, for field (the form field, for the error).
//
// Around a daylight-saving change a wall-clock time may not exist or may
// exist twice. One that does not exist (in the spring gap, when the clocks
// go forward) is refused with a message saying so: scheduling a story for
// a time that never comes would publish it at some other time unasked.
// One that exists twice (in the autumn, when the clocks go back) is read
// as the first of the two, the earlier instant, so a story is never late.
func ParseLocalTime(field, s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(LocalTimeLayout, s, loc)
	if err != nil {
		return time.Time{}, Invalid(field, "give the date and time (in %s)", loc)
	}
	// The instants near t that read as the same wall clock in loc; zone
	// changes are whole quarter hours, at most a few hours a year.
	var first time.Time
	for k := -12; k <= 12; k++ {
		c := t.Add(time.Duration(k) * 15 * time.Minute)
		if c.In(loc).Format(LocalTimeLayout) == s && (first.IsZero() || c.Before(first)) {
			first = c
		}
	}
	if first.IsZero() {
		return time.Time{}, Invalid(field, "%s does not exist in %s: the clocks go forward then, so that hour is skipped; choose a time outside it",
			t.Format("2 Jan 2006 at 15:04"), loc)
	}
	return first, nil
}
