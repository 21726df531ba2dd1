package news

import (
	"crypto/ed25519"
	"strings"
	"testing"
)

func TestParseAddresses(t *testing.T) {
	onion := "http://" + strings.Repeat("a", 50) + "234567.onion"
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	key := FormatPublicKey(pub)

	a, err := ParseAddresses("https://Mirror.example.net/\n\n  https://mirror.example.net\nhttp://second.example.org:8080",
		onion+"/", "https://copy.example.com/news/\n", key)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Lines(a.Mirrors), "https://mirror.example.net\nhttp://second.example.org:8080\n"; got != want {
		t.Errorf("mirrors %q, want %q (lower case, no slash, no duplicates)", got, want)
	}
	if a.Onion == nil || a.Onion.String() != onion {
		t.Errorf("onion %v, want %s", a.Onion, onion)
	}
	if got, want := Lines(a.Snapshots), "https://copy.example.com/news/\n"; got != want {
		t.Errorf("snapshots %q, want %q", got, want)
	}
	if a.SigningKey != key {
		t.Errorf("key %q, want %q", a.SigningKey, key)
	}
	if k, err := ParsePublicKey("k", a.SigningKey); err != nil || !k.Equal(pub) {
		t.Errorf("the key does not read back: %v", err)
	}

	bad := []struct {
		name, mirrors, onion, snapshots, key string
		field, says                          string
	}{
		{"mirror with a path", "https://ok.example\nhttps://x.example/news", "", "", "", "mirrors", "line 2"},
		{"mirror not http", "ftp://x.example", "", "", "", "mirrors", "line 1"},
		{"mirror with user", "https://u:p@x.example", "", "", "", "mirrors", "line 1"},
		{"mirror with query", "https://x.example/?a=1", "", "", "", "mirrors", "line 1"},
		{"onion not onion", "", "https://example.org", "", "", "onion", "onion address"},
		{"onion too short", "", "http://abc.onion", "", "", "onion", "onion address"},
		{"snapshot relative", "", "", "/copy/", "", "snapshots", "line 1"},
		{"key without prefix", "", "", "", "AAAA", "signing_key", "starts with"},
		{"key too short", "", "", "", KeyPrefix + "AAAA", "signing_key", "32 bytes"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAddresses(tt.mirrors, tt.onion, tt.snapshots, tt.key)
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error %v, want a *news.Error", err)
			}
			if e.Code != EINVALID || e.Field != tt.field || !strings.Contains(e.Message, tt.says) {
				t.Errorf("error %s %q: %q, want invalid %q saying %q", e.Code, e.Field, e.Message, tt.field, tt.says)
			}
		})
	}
}
