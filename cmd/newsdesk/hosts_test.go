package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// testOnion is a made-up version 3 onion address (56 base32 characters).
var testOnion = "http://meridian" + strings.Repeat("x", 48) + ".onion"

// TestServeHostFlagsUsage: a bad --onion or --trusted-proxy, on the command
// line or in the environment, is a usage error (exit status 2) that names
// the flag, reported before anything starts.
func TestServeHostFlagsUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		vars map[string]string
		want string
	}{
		{"onion not onion", []string{"--onion", "https://news.example.org"}, nil, "--onion"},
		{"onion v2 length", []string{"--onion", "http://abcdefghijklmnop.onion"}, nil, "--onion"},
		{"onion with a path", []string{"--onion", testOnion + "/news/"}, nil, "--onion"},
		{"onion without scheme", []string{"--onion", strings.TrimPrefix(testOnion, "http://")}, nil, "--onion"},
		{"onion from the environment", nil, map[string]string{"NEWSDESK_ONION": "http://nope.onion"}, "--onion"},
		{"no page cache", []string{"--cache-mb", "0"}, nil, "--cache-mb"},
		{"poll too often", []string{"--poll-interval", "1ms"}, nil, "--poll-interval"},
		{"poll interval from the environment", nil, map[string]string{"NEWSDESK_POLL_INTERVAL": "2h"}, "--poll-interval"},
		{"strict hosts not a bool", []string{"--strict-hosts=maybe"}, nil, "strict-hosts"},
		{"trusted proxy a name", []string{"--trusted-proxy", "proxy.example.org"}, nil, "--trusted-proxy"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, tt.args...)
		err := run(context.Background(), args, env(tt.vars), nil, &out, &errOut)
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error()+errOut.String(), tt.want) {
			t.Errorf("%s: err %v, exit %d, stderr %q; want a usage error naming %s", tt.name, err, exitCode(err), errOut.String(), tt.want)
		}
		if strings.Contains(out.String(), "serving") {
			t.Errorf("%s: the server started: %q", tt.name, out.String())
		}
	}
}

// TestServeHosts runs the real program with every host flag, behind this
// test as its trusted proxy, and asks as a reader on each address would.
func TestServeHosts(t *testing.T) {
	base := startServe(t, []string{"--data", t.TempDir(), "--base-url", "https://news.example.org",
		"--mirror", "https://mirror.example.net", "--onion", testOnion, "--strict-hosts", "--trusted-proxy", "127.0.0.1/32"}, nil)
	tests := []struct {
		name       string
		host       string
		header     map[string]string
		status     int
		robotsHost string // the host robots.txt's Sitemap lines name
		onion      bool
	}{
		{"primary through the proxy over HTTPS", "news.example.org", map[string]string{"X-Forwarded-Proto": "https"}, 200, "https://news.example.org", true},
		{"mirror named by the proxy", "backend:8080", map[string]string{"X-Forwarded-Host": "mirror.example.net", "X-Forwarded-Proto": "https"}, 200, "https://mirror.example.net", true},
		{"onion", strings.TrimPrefix(testOnion, "http://"), nil, 200, testOnion, false},
		{"primary over plain HTTP", "news.example.org", nil, 200, "https://news.example.org", false},
		{"unknown host", "evil.example", map[string]string{"X-Forwarded-Proto": "https"}, 421, "", false},
		{"the listening address itself", "", nil, 421, "", false},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("GET", base+"/robots.txt", nil)
		if err != nil {
			t.Fatal(err)
		}
		if tt.host != "" {
			req.Host = tt.host
		}
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d\n%s", tt.name, res.StatusCode, tt.status, body)
			continue
		}
		if got := res.Header.Get("Onion-Location"); (got == testOnion+"/robots.txt") != tt.onion {
			t.Errorf("%s: Onion-Location %q, want it: %v", tt.name, got, tt.onion)
		}
		if tt.status == 200 && !strings.Contains(string(body), "Sitemap: "+tt.robotsHost+"/sitemap.xml") {
			t.Errorf("%s: robots.txt\n%s\nwant its sitemap on %s", tt.name, body, tt.robotsHost)
		}
		if strings.Contains(string(body), "evil.example") {
			t.Errorf("%s: the answer names the unknown host", tt.name)
		}
	}
}

// TestServeAPIHosts: the API answers on the site's addresses as the site
// does, and its links keep an app on the address it came through.
func TestServeAPIHosts(t *testing.T) {
	base := startServe(t, []string{"--data", t.TempDir(), "--demo", "--base-url", "https://news.example.org",
		"--mirror", "https://mirror.example.net", "--strict-hosts"}, nil)
	tests := []struct {
		host   string
		status int
		want   string // the address every link must be on
		not    string
	}{
		{"mirror.example.net", 200, "https://mirror.example.net/", "news.example.org"},
		{"news.example.org", 200, "https://news.example.org/", "mirror.example.net"},
		{"evil.example", 421, "", ""},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("GET", base+"/api/v1/search?q=glacier&per_page=1", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d\n%s", tt.host, res.StatusCode, tt.status, body)
			continue
		}
		if tt.status != 200 {
			continue
		}
		if !strings.Contains(string(body), `"url":"`+tt.want) && !strings.Contains(string(body), `"url": "`+tt.want) {
			t.Errorf("%s: no link on %s in\n%s", tt.host, tt.want, body)
		}
		if strings.Contains(string(body), tt.not) {
			t.Errorf("%s: the answer names %s:\n%s", tt.host, tt.not, body)
		}
	}
}
