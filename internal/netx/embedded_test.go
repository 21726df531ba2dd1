package netx

import (
	"errors"
	"testing"
)

// TestCheckDialEmbeddedIPv4: IPv6 forms that carry an IPv4 address (the
// deprecated IPv4-compatible ::a.b.c.d, 6to4's 2002:aabb:ccdd::) and the
// deprecated site-local fec0::/10 are refused when what they carry or
// reach is not public.
func TestCheckDialEmbeddedIPv4(t *testing.T) {
	for _, a := range []string{"[::7f00:1]:80", "[::a00:1]:80", "[2002:7f00:1::1]:80", "[2002:a9fe:a9fe::]:80", "[2002:c0a8:101::1]:443", "[fec0::1]:80"} {
		if err := checkDial(a, false); !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("checkDial(%s) = %v, want refused", a, err)
		}
	}
	for _, a := range []string{"[2002:808:808::1]:80", "[2606:4700::1111]:443"} {
		if err := checkDial(a, false); err != nil {
			t.Errorf("checkDial(%s) = %v, want allowed", a, err)
		}
	}
}
