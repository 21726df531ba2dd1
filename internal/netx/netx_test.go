package netx

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestParseProxies(t *testing.T) {
	ps, err := ParseProxies([]string{" 10.0.0.0/8 ", "", "::1", "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(ps), 3; got != want {
		t.Errorf("ParseProxies: got %d prefixes, want %d", got, want)
	}
	for _, bad := range []string{"not-an-ip", "proxy.example.org", "10.0.0.0/99"} {
		if _, err := ParseProxies([]string{bad}); err == nil {
			t.Errorf("ParseProxies(%q): got no error, want one", bad)
		}
	}
}

func TestForwardingHeaders(t *testing.T) {
	proxies, err := ParseProxies([]string{"10.0.0.0/8", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		ps        Proxies
		remote    string
		tls       bool
		xff       string
		proto     string
		xfh       string
		wantAddr  string
		wantHTTPS bool
		wantHost  string
	}{
		{"no proxy configured ignores headers", nil, "192.0.2.1:5000", false, "203.0.113.9", "https", "evil.example", "192.0.2.1", false, "news.example.org"},
		{"untrusted peer ignores headers", proxies, "192.0.2.1:5000", false, "203.0.113.9", "https", "evil.example", "192.0.2.1", false, "news.example.org"},
		{"trusted proxy", proxies, "10.1.2.3:5000", false, "203.0.113.9", "https", "mirror.example.net", "203.0.113.9", true, "mirror.example.net"},
		{"spoofed left part ignored", proxies, "10.1.2.3:5000", false, "6.6.6.6, 203.0.113.9, 10.9.9.9", "", "", "203.0.113.9", false, "news.example.org"},
		{"rightmost forwarded host and proto", proxies, "10.1.2.3:5000", false, "", "http, https", "evil.example, mirror.example.net", "10.1.2.3", true, "mirror.example.net"},
		{"only proxies", proxies, "[::1]:80", false, "10.0.0.2", "", "", "10.0.0.2", false, "news.example.org"},
		{"garbage header", proxies, "10.1.2.3:5000", false, "nonsense", "", "", "10.1.2.3", false, "news.example.org"},
		{"TLS connection", nil, "192.0.2.1:5000", true, "", "http", "", "192.0.2.1", true, "news.example.org"},
		{"IPv4 in IPv6 peer", proxies, "[::ffff:10.1.2.3]:5000", false, "203.0.113.9", "HTTPS", "", "203.0.113.9", true, "news.example.org"},
		// Proxies that write the client's port too (Azure Application
		// Gateway writes 203.0.113.9:51234): read as the client, not as
		// garbage that leaves every client the proxy's address.
		{"a port after the address", proxies, "10.1.2.3:5000", false, "203.0.113.9:51234", "", "", "203.0.113.9", false, "news.example.org"},
		{"IPv6 with a port", proxies, "10.1.2.3:5000", false, "[2001:db8::7]:51234", "", "", "2001:db8::7", false, "news.example.org"},
		{"IPv6 in brackets", proxies, "10.1.2.3:5000", false, "[2001:db8::7]", "", "", "2001:db8::7", false, "news.example.org"},
		{"ports through two proxies", proxies, "10.1.2.3:5000", false, "6.6.6.6:1, 203.0.113.9:443, 10.0.0.5:8080", "", "", "203.0.113.9", false, "news.example.org"},
		{"a port alone", proxies, "10.1.2.3:5000", false, ":51234", "", "", "10.1.2.3", false, "news.example.org"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "http://news.example.org/", nil)
		r.RemoteAddr = tt.remote
		if tt.tls {
			r.TLS = &tls.ConnectionState{}
		}
		for h, v := range map[string]string{"X-Forwarded-For": tt.xff, "X-Forwarded-Proto": tt.proto, "X-Forwarded-Host": tt.xfh} {
			if v != "" {
				r.Header.Set(h, v)
			}
		}
		if got := tt.ps.ClientAddr(r); got != tt.wantAddr {
			t.Errorf("%s: ClientAddr = %q, want %q", tt.name, got, tt.wantAddr)
		}
		if got := tt.ps.HTTPS(r); got != tt.wantHTTPS {
			t.Errorf("%s: HTTPS = %v, want %v", tt.name, got, tt.wantHTTPS)
		}
		if got := tt.ps.Host(r); got != tt.wantHost {
			t.Errorf("%s: Host = %q, want %q", tt.name, got, tt.wantHost)
		}
	}
}
