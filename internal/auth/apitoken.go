package auth

import (
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// APITokenPrefix starts every API token's secret, so a secret pasted into a
// chat or committed to a repository is recognisable as ours (by a person,
// or a secret scanner) and cannot be taken for a session or preview token.
const APITokenPrefix = "nd_"

// NewAPIToken returns a new API token's secret, 32 random bytes after
// APITokenPrefix, and the hash under which it is stored (HashToken). The
// secret is shown once and never kept.
func NewAPIToken() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// IsAPIToken reports whether s has the shape of an API token's secret; one
// that has not is refused without a database lookup.
func IsAPIToken(s string) bool {
	rest, ok := strings.CutPrefix(s, APITokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// scopeActions says which of the newsroom's actions each scope opens. A
// token may perform an action only when one of its scopes opens it AND its
// creator's role allows it (TokenCan): a writer's token with "publish"
// still cannot publish.
var scopeActions = map[news.Scope][]Action{
	news.ScopeReadDrafts:    {ViewDesk},
	news.ScopeWriteArticles: {WriteArticle, EditAnyArticle},
	news.ScopePublish:       {PublishArticle, CorrectArticle},
	news.ScopeUploadMedia:   {UploadMedia},
	news.ScopeManageSite:    {ManageSettings},
}

// TokenCan reports whether a token acting for u may perform action a
// under scope s: the token has s, s opens a, u's role allows a, and u's
// account is not disabled.
func TokenCan(t *news.APIToken, u *news.User, s news.Scope, a Action) bool {
	if t == nil || u == nil || u.Disabled || !t.Has(s) {
		return false
	}
	opens := false
	for _, x := range scopeActions[s] {
		opens = opens || x == a
	}
	return opens && Can(u.Role, a)
}
