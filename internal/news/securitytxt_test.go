package news

import "testing"

func TestParseSecurityContact(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"  security@example.org ", "mailto:security@example.org"},
		{"mailto:security@example.org", "mailto:security@example.org"},
		{"MAILTO:security@example.org", "mailto:security@example.org"},
		{"https://example.org/security", "https://example.org/security"},
		{"HTTPS://example.org/report?via=txt", "https://example.org/report?via=txt"},
		{"https://xn--exmple-cua.org/s\u00e9curit\u00e9", "https://xn--exmple-cua.org/s%C3%A9curit%C3%A9"},
		{"s\u00e9curit\u00e9@example.org", "mailto:s\u00e9curit\u00e9@example.org"},
	} {
		got, err := ParseSecurityContact("security_contact", tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSecurityContact(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{
		"http://example.org/security",                   // a web contact must be https
		"ftp://example.org/",                            // another scheme
		"tel:+15555550100",                              // not taken here
		"mailto:",                                       // no address
		"mailto:a@example.org?cc=b@example.org",         // a query adds recipients
		"mailto:Security <s@example.org>",               // a display name
		"mailto:s@example.org,t@example.org",            // two addresses
		"s@example.org\nContact: mailto:x@evil.example", // a second line
		"https://example.org/\r\nExpires: 2099-01-01T00:00:00Z",
		"https://user:pw@example.org/", // credentials
		"https:///nohost",
		"security team",
		"javascript:alert(1)",
		"https://example.org/" + string(make([]byte, 600)),
		// Line breaks other than CR and LF: a URI's query keeps them as
		// they are, and many readers split lines there too (Python's
		// splitlines, JavaScript's multiline ^ and $), where they would
		// make a second Contact.
		"https://example.org/?a\u2028Contact: mailto:x@evil.example", // LINE SEPARATOR
		"https://example.org/?a\u2029Contact: mailto:x@evil.example", // PARAGRAPH SEPARATOR
		"https://example.org/?a\u0085Contact: mailto:x@evil.example", // NEXT LINE
		"https://example.org/?a\vContact: mailto:x@evil.example",
		"mailto:a\u2028b@example.org",
		"s@exam\u2029ple.org",
		"https://example.org/?a b",           // a space
		"https://example.org/?a\u00a0b",      // a no-break space
		"https://example.org/?\u202egpj.exe", // a right-to-left override
		"https://example.org/?a\u200bb",      // a zero-width space
		"https://example.org/?a\xffb",        // not UTF-8
		"https://ex\u00e4mple.org/security",  // a host not in its xn-- form: it would be published %-escaped, which is no host
	} {
		if got, err := ParseSecurityContact("security_contact", in); err == nil || ErrorCode(err) != EINVALID || err.(*Error).Field != "security_contact" {
			t.Errorf("ParseSecurityContact(%q) = %q, %v; want refused, naming the field", in, got, err)
		}
	}
}

func TestParseSecurityPolicy(t *testing.T) {
	if got, err := ParseSecurityPolicy("security_policy", " https://example.org/policy "); err != nil || got != "https://example.org/policy" {
		t.Errorf("an https policy: %q, %v", got, err)
	}
	if got, err := ParseSecurityPolicy("security_policy", ""); err != nil || got != "" {
		t.Errorf("no policy: %q, %v", got, err)
	}
	for _, in := range []string{"http://example.org/policy", "mailto:a@example.org", "example.org/policy", "https://example.org/\nPolicy: https://evil.example/",
		"https://example.org/?a\u2028Policy: https://evil.example/", "https://example.org/?a\u0085Policy: https://evil.example/",
		"https://example.org/?a\u2029b", "https://example.org/?a b", "https://ex\u00e4mple.org/policy"} {
		if _, err := ParseSecurityPolicy("security_policy", in); ErrorCode(err) != EINVALID {
			t.Errorf("ParseSecurityPolicy(%q): %v, want refused", in, err)
		}
	}
}
