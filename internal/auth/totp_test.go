package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
)

// TestTOTPSkew: a code of the step before or after now is taken; two
// steps away is not.
func TestTOTPSkew(t *testing.T) {
	secret, uri, err := auth.NewTOTP("The Gazette", "ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+secret) || !strings.Contains(uri, "issuer=The") {
		t.Fatalf("uri %s", uri)
	}
	if again, _ := auth.TOTPURI("The Gazette", "ana@example.org", secret); again != uri {
		t.Fatalf("TOTPURI = %s, want %s", again, uri)
	}
	now := time.Date(2026, 12, 8, 10, 0, 15, 0, time.UTC)
	cur := auth.TOTPStep(now)
	for _, tc := range []struct {
		offset int64
		ok     bool
	}{{-2, false}, {-1, true}, {0, true}, {1, true}, {2, false}} {
		code, _ := auth.TOTPCode(secret, cur+tc.offset)
		step, ok, err := auth.CheckTOTP(secret, code, now, 0)
		if err != nil || ok != tc.ok || (ok && step != cur+tc.offset) {
			t.Errorf("code of step now%+d: step %d ok %v err %v, want ok %v", tc.offset, step, ok, err, tc.ok)
		}
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef", "12 34 5x"} {
		if _, ok, _ := auth.CheckTOTP(secret, bad, now, 0); ok {
			t.Errorf("%q taken", bad)
		}
	}
	// Spaces as apps show them ("123 456") are fine.
	code, _ := auth.TOTPCode(secret, cur)
	if _, ok, _ := auth.CheckTOTP(secret, code[:3]+" "+code[3:], now, 0); !ok {
		t.Error("a code with a space refused")
	}
}

// TestTOTPReuse: once a step's code is accepted, it and the codes of the
// steps before are refused, as used.
func TestTOTPReuse(t *testing.T) {
	secret, _, _ := auth.NewTOTP("G", "a@example.org")
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	cur := auth.TOTPStep(now)
	code, _ := auth.TOTPCode(secret, cur)
	step, ok, err := auth.CheckTOTP(secret, code, now, 0)
	if !ok || err != nil {
		t.Fatal("first use refused")
	}
	if _, ok, err := auth.CheckTOTP(secret, code, now, step); ok || !errors.Is(err, auth.ErrCodeUsed) {
		t.Fatalf("second use: ok %v err %v, want ErrCodeUsed", ok, err)
	}
	prev, _ := auth.TOTPCode(secret, cur-1)
	if _, ok, err := auth.CheckTOTP(secret, prev, now, step); ok || !errors.Is(err, auth.ErrCodeUsed) {
		t.Fatalf("an older step's code after a newer one: ok %v err %v", ok, err)
	}
	next, _ := auth.TOTPCode(secret, cur+1)
	if s, ok, _ := auth.CheckTOTP(secret, next, now, step); !ok || s != cur+1 {
		t.Fatal("the next step's code refused")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes := auth.NewRecoveryCodes()
	if len(codes) != auth.RecoveryCodes || len(hashes) != auth.RecoveryCodes {
		t.Fatalf("%d codes, %d hashes", len(codes), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if len(c) != 11 || c[5] != '-' || !auth.LooksLikeRecoveryCode(c) || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
		if auth.RecoveryHash(strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != hashes[i] {
			t.Errorf("%q typed in capitals with a space hashes differently", c)
		}
	}
	if auth.LooksLikeRecoveryCode("123456") {
		t.Error("a six-digit code looks like a recovery code")
	}
}
