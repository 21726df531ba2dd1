// Package auth holds the newsroom's security rules: password hashing
// (argon2id), session and one-time tokens, the table of what each role may
// do, login throttling, and which client address a request comes from.
// It does no SQL and no HTML; the store keeps what it makes, the admin
// surface applies what it decides.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams are OWASP's recommended minimum for argon2id (19 MiB of
// memory, two passes, one thread): about 30 ms on one core of a server, so
// a login is not slow and guessing offline is.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

var b64 = base64.RawStdEncoding

// HashPassword returns the PHC-format encoding of an argon2id hash of pw
// with a fresh random salt, such as
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>".
func HashPassword(pw string) string { return hashWith(pw, DefaultParams) }

func hashWith(pw string, p Params) string {
	salt := newSalt(p)
	return encodeHash(p, salt, argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen))
}

func newSalt(p Params) []byte {
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails: crypto/rand panics rather than return short
	return salt
}

func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// errBadHash is an encoded hash this package cannot read.
var errBadHash = errors.New("auth: not an argon2id hash")

// decodeHash parses a PHC-format argon2id hash.
func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=...,t=...,p=...", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errBadHash
	}
	var m, t, th uint64
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, perr := strconv.ParseUint(v, 10, 32)
		if perr != nil {
			return p, nil, nil, errBadHash
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			th = n
		default:
			return p, nil, nil, errBadHash
		}
	}
	// Bounds keep a tampered or foreign hash from costing unbounded memory
	// or time when it is checked.
	if m < 8 || m > 1<<21 || t < 1 || t > 64 || th < 1 || th > 16 {
		return p, nil, nil, errBadHash
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, errBadHash
	}
	return Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(th), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}, salt, key, nil
}

// CheckPassword reports whether pw matches the encoded hash, comparing in
// constant time, and whether the hash should be replaced because it was
// made with weaker parameters than today's. An unreadable hash never
// matches.
func CheckPassword(encoded, pw string) (ok, rehash bool) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false
	}
	d := DefaultParams
	return true, p.Memory < d.Memory || p.Time < d.Time || len(key) < int(d.KeyLen)
}

// dummyHash is checked against when an account does not exist, so that a
// login for an unknown address takes as long as one with a wrong password
// and the time taken does not tell which addresses have accounts. It is
// made on first use, not when a command that never checks a password
// starts.
var dummyHash = sync.OnceValue(func() string { return HashPassword("no account has this password; it only costs time") })
