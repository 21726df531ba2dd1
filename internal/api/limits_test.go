package api

import "testing"

// The API's limits count a client as the login throttle does: IPv4
// readers that reach the site through a stateless translator (NAT64's
// well-known prefix, SIIT) or a 6to4 or Teredo address are each their own
// IPv4 host, not one /64 that every IPv4 reader of the world shares.
func TestClientKeyCountsTranslatedIPv4Alone(t *testing.T) {
	distinct := [][2]string{
		{"64:ff9b::c000:201", "64:ff9b::c000:202"},                                       // NAT64, 192.0.2.1 and .2
		{"::ffff:0:c000:201", "::ffff:0:c000:202"},                                       // SIIT
		{"2002:c000:201::1", "2002:c000:202::1"},                                         // 6to4
		{"2001:db8:1:1::1", "2001:db8:1:2::1"},                                           // two /64s
		{"192.0.2.1", "192.0.2.2"},                                                       // IPv4
		{"2001:0:4136:e378:8000:63bf:3fff:fdfe", "2001:0:4136:e378:8000:63bf:3fff:fdfd"}, // Teredo
	}
	for _, p := range distinct {
		if a, b := clientKey(p[0]), clientKey(p[1]); a == b {
			t.Errorf("%s and %s are counted as one client (%s)", p[0], p[1], a)
		}
	}
	same := [][2]string{
		{"2001:db8:1:1::1", "2001:db8:1:1:ffff::2"}, // one /64
		{"192.0.2.1", "::ffff:192.0.2.1"},           // IPv4 written two ways
		{"192.0.2.1", "64:ff9b::c000:201"},          // the same host through NAT64
	}
	for _, p := range same {
		if a, b := clientKey(p[0]), clientKey(p[1]); a != b {
			t.Errorf("%s and %s are counted apart (%s, %s)", p[0], p[1], a, b)
		}
	}
}
