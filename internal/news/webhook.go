package news

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// Webhook event types: what a change announces to the endpoints that
// subscribe to it (issue 17). The names are the "type" of the payload.
const (
	EventArticlePublished   = "article.published"   // a story became public (by hand or on schedule)
	EventArticleUpdated     = "article.updated"     // a public story's text, photo, section or tags changed
	EventArticleCorrected   = "article.corrected"   // a public story gained a correction
	EventArticleUnpublished = "article.unpublished" // a public story was taken down
	EventPagePublished      = "page.published"
	EventPageUpdated        = "page.updated"
	EventPageUnpublished    = "page.unpublished"
	// The mirrors, onion address, snapshot hosts or signing key changed:
	// /mirrors.json has the new list.
	EventAddressesChanged = "settings.addresses_changed"
)

// WebhookEvents are the event types an endpoint may subscribe to, in the
// order the newsroom lists them.
var WebhookEvents = []string{
	EventArticlePublished, EventArticleUpdated, EventArticleCorrected, EventArticleUnpublished,
	EventPagePublished, EventPageUpdated, EventPageUnpublished, EventAddressesChanged,
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"   // waiting for its next attempt
	DeliveryDelivered = "delivered" // the endpoint answered 2xx
	DeliveryFailed    = "failed"    // no 2xx for a day: given up
)

// WebhookEndpoint is an address that is sent events.
type WebhookEndpoint struct {
	ID     int64
	URL    string
	Events []string
	// Secret is "whsec_" and the base64 of the HMAC key (Standard
	// Webhooks). The newsroom shows it once, when made.
	Secret string
	// PreviousSecret, until PreviousUntil, also signs each delivery, so a
	// receiver has time to take the new one after a rotation.
	PreviousSecret string
	PreviousUntil  time.Time
	Disabled       bool
	// DisabledReason says why the sender disabled the endpoint (its
	// receiver answered 410 Gone), and DisabledAt when; both are empty
	// for an enabled endpoint and for one an admin disabled.
	DisabledReason string
	DisabledAt     time.Time
	CreatedBy      int64
	CreatedAt      time.Time
	RotatedAt      time.Time
}

// Subscribes reports whether the endpoint is sent events of type event.
func (e *WebhookEndpoint) Subscribes(event string) bool { return slices.Contains(e.Events, event) }

// Validate checks the address and the events. Whether the address is a
// public one is the caller's to check (it takes DNS: internal/netx).
func (e *WebhookEndpoint) Validate() error {
	if _, err := ParseWebhookURL(e.URL); err != nil {
		return err
	}
	if len(e.Events) == 0 {
		return Invalid("events", "choose at least one event to send")
	}
	for _, ev := range e.Events {
		if !slices.Contains(WebhookEvents, ev) {
			return Invalid("events", "%q is not an event; the events are %s", ev, strings.Join(WebhookEvents, ", "))
		}
	}
	return nil
}

// ParseWebhookURL reads an endpoint's address: an absolute http or https
// URL with a host, no user name or password in it (they would be shown in
// the newsroom's lists), at most 2,000 bytes.
func ParseWebhookURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, Invalid("url", "give the endpoint's address, such as https://example.com/hooks/newsdesk")
	}
	if len(raw) > 2000 {
		return nil, Invalid("url", "the address is %d bytes long; it may be at most 2,000", len(raw))
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return nil, Invalid("url", "%q is not an http or https address, such as https://example.com/hooks/newsdesk", raw)
	}
	if u.User != nil {
		return nil, Invalid("url", "put no user name or password in the address: deliveries are signed with the endpoint's secret instead")
	}
	if u.Fragment != "" {
		return nil, Invalid("url", "an endpoint's address has no #fragment")
	}
	return u, nil
}

// WebhookDelivery is one event on its way to one endpoint: a row of the
// outbox.
type WebhookDelivery struct {
	ID         int64
	EventID    string // the webhook-id header: the same on every attempt and endpoint
	EndpointID int64
	EventType  string
	Payload    []byte // the JSON body, as signed
	Status     string // DeliveryPending, DeliveryDelivered, DeliveryFailed
	Attempts   int
	// NextAttemptAt is when a pending delivery is tried next; GiveUpAt,
	// when a failed attempt is the last.
	NextAttemptAt time.Time
	GiveUpAt      time.Time
	// LastStatus is the last attempt's HTTP status (0 when none came),
	// LastAnswer the start of its body or the error.
	LastStatus    int
	LastAnswer    string
	LastAttemptAt time.Time
	DeliveredAt   time.Time
	CreatedAt     time.Time
}
