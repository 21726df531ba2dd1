package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Two-factor authentication with time-based one-time codes (RFC 6238):
// six digits from a secret shared with the user's authenticator app, a
// new code every TOTPPeriod.
const (
	TOTPPeriod = 30 * time.Second
	// TOTPSkew is how many steps before and after now a code is taken
	// from: one either way, for a phone's clock that is a little off.
	TOTPSkew = 1
	// RecoveryCodes is how many recovery codes an account is given.
	RecoveryCodes = 10
	// LoginCodeLifetime is how long the code step of a login may wait
	// after the password.
	LoginCodeLifetime = 10 * time.Minute
	// ResetLifetime is how long a "forgot password" link lasts, and
	// EmailLifetime a link that confirms a new address.
	ResetLifetime = time.Hour
	EmailLifetime = 24 * time.Hour
)

var totpOpts = totp.ValidateOpts{Period: uint(TOTPPeriod / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTP makes a new secret for account at issuer, and the otpauth://
// URI that authenticator apps read (from a QR code or typed in).
func NewTOTP(issuer, account string) (secret, uri string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpOpts.Period,
		Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// TOTPURI is the otpauth:// URI of an existing secret.
func TOTPURI(issuer, account, secret string) (string, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		return "", err
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpOpts.Period,
		Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm, Secret: raw})
	if err != nil {
		return "", err
	}
	return k.URL(), nil
}

// TOTPStep is the number of the time step t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// TOTPCode is the code of secret at step: for tests, and for nothing else.
func TOTPCode(secret string, step int64) (string, error) {
	return totp.GenerateCodeCustom(secret, time.Unix(step*int64(TOTPPeriod/time.Second), 0), totpOpts)
}

// ErrCodeUsed is CheckTOTP's answer to a code good for a step at or
// before the last one accepted: a code works once.
var ErrCodeUsed = errors.New("auth: this code was used already")

// CheckTOTP reports the step whose code code is, from now's step less
// TOTPSkew to now's plus TOTPSkew. A code of a step at or before lastStep
// (the last one accepted) is refused with ErrCodeUsed, so a code seen over
// a shoulder or in a log cannot be played again. ok is false for a wrong
// code.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool, err error) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return 0, false, nil
	}
	cur := TOTPStep(now)
	used := false
	for s := cur - TOTPSkew; s <= cur+TOTPSkew; s++ {
		want, err := TOTPCode(secret, s)
		if err != nil {
			return 0, false, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			if s <= lastStep {
				used = true
				continue
			}
			return s, true, nil
		}
	}
	if used {
		return 0, false, ErrCodeUsed
	}
	return 0, false, nil
}

// recoveryAlphabet leaves out letters read as others (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes makes RecoveryCodes codes, "xxxxx-xxxxx" (about 49
// bits each), and the hashes under which they are kept.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodes {
		b := make([]byte, 10)
		for i := range b {
			b[i] = recoveryAlphabet[randIndex(len(recoveryAlphabet))]
		}
		c := string(b[:5]) + "-" + string(b[5:])
		codes = append(codes, c)
		hashes = append(hashes, RecoveryHash(c))
	}
	return codes, hashes
}

func randIndex(n int) int {
	// Rejection sampling keeps every letter equally likely.
	var b [1]byte
	for {
		rand.Read(b[:])
		if int(b[0]) < 256-256%n {
			return int(b[0]) % n
		}
	}
}

// RecoveryHash is the stored form of a recovery code as typed: case,
// spaces and dashes do not matter. A fast hash is enough: the codes have
// about 49 random bits each and guesses are throttled as passwords are.
func RecoveryHash(typed string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(typed) {
		if r != '-' && r != ' ' && r != '\t' {
			b.WriteRune(r)
		}
	}
	return HashToken("recovery:" + b.String())
}

// LooksLikeRecoveryCode reports whether typed has a recovery code's shape
// rather than a six-digit code's.
func LooksLikeRecoveryCode(typed string) bool {
	n := 0
	for _, r := range strings.ToLower(typed) {
		switch {
		case r == '-' || r == ' ':
		case strings.ContainsRune(recoveryAlphabet, r) || r >= '0' && r <= '9':
			n++
		default:
			return false
		}
	}
	return n == 10
}
