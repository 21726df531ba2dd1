// Package webhook sends the events of the outbox (store.ClaimWebhookDelivery)
// to the endpoints admins registered, signed the Standard Webhooks way:
// headers webhook-id, webhook-timestamp and webhook-signature, the last
// "v1," and the base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body),
// one such signature per secret in use, space-separated.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/news"
)

// secretPrefix starts every secret, as Standard Webhooks writes them.
const secretPrefix = "whsec_"

// NewSecret returns a new endpoint secret: "whsec_" and the base64 of 32
// random bytes, the HMAC key.
func NewSecret() string {
	key := make([]byte, 32)
	rand.Read(key) // never fails (crypto/rand)
	return secretPrefix + base64.StdEncoding.EncodeToString(key)
}

// key returns the HMAC key a secret holds.
func key(secret string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || len(k) == 0 {
		return nil, errors.New("webhook: a secret is whsec_ and base64")
	}
	return k, nil
}

// Signature returns the webhook-signature header of a message: one
// "v1,<base64>" per secret, space-separated, each the HMAC-SHA256 of
// id.timestamp.body under the secret's key.
func Signature(secrets []string, id string, at time.Time, body []byte) (string, error) {
	var sigs []string
	for _, s := range secrets {
		k, err := key(s)
		if err != nil {
			return "", err
		}
		mac := hmac.New(sha256.New, k)
		mac.Write([]byte(id + "." + strconv.FormatInt(at.Unix(), 10) + "."))
		mac.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	return strings.Join(sigs, " "), nil
}

// CheckEndpoint refuses an endpoint's address that is not http or https,
// or whose host is (or resolves to) this machine or a private network,
// unless allowPrivate (serve --webhook-allow-private), or a link-local
// address or a cloud's metadata service, always. The same is checked
// again at each delivery's dial, since a name's addresses can change.
func CheckEndpoint(ctx context.Context, raw string, allowPrivate bool) error {
	u, err := news.ParseWebhookURL(raw)
	if err != nil {
		return err
	}
	if err := netx.CheckHost(ctx, u.Hostname(), netx.OutboundOptions{AllowPrivate: allowPrivate}); err != nil {
		msg := fmt.Sprintf("%s is refused: %v.", u.Hostname(), err)
		switch {
		case errors.Is(err, netx.ErrNeverReached):
			msg += " Link-local addresses and cloud metadata services are sent nothing, even with --webhook-allow-private."
		case !allowPrivate && errors.Is(err, netx.ErrRefusedAddress) && !strings.Contains(err.Error(), "no address found"):
			msg += " Endpoints on this machine or a local network are sent nothing unless the server runs with --webhook-allow-private."
		}
		return news.Invalid("url", "%s", msg)
	}
	return nil
}
