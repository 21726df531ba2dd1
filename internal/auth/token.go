package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Lifetimes of the tokens this package makes.
const (
	SessionLifetime = 14 * 24 * time.Hour // a session ends this long after login at the latest
	SessionIdle     = 3 * 24 * time.Hour  // and after this long without a request
	SetupLifetime   = time.Hour           // the first admin's setup link
	InviteLifetime  = 7 * 24 * time.Hour  // an invitation link
)

// NewToken returns a random token of 32 bytes, URL-safe, and the hash under
// which it is stored. Only the hash is kept: a copy of the database does
// not let anyone log in or accept an invitation.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token: hex SHA-256. A fast hash is
// right here, unlike for passwords, because the token has 256 random bits.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
