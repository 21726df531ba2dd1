package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// WebhookRetryWindow is how long a delivery is retried before it is given
// up: a day, as issue 17 asks, long enough for a receiver's outage
// overnight.
const WebhookRetryWindow = 24 * time.Hour

// answerMax bounds the start of a receiver's answer kept with a delivery.
const answerMax = 1024

const endpointColumns = `id, url, events, secret, previous_secret, previous_until, disabled, disabled_reason, disabled_at,
	COALESCE(created_by, 0), created_at, rotated_at`

func scanEndpoint(row interface{ Scan(...any) error }) (*news.WebhookEndpoint, error) {
	var (
		e                                       news.WebhookEndpoint
		events                                  string
		prevUntil, disabledAt, created, rotated int64
		disabled                                int
	)
	if err := row.Scan(&e.ID, &e.URL, &events, &e.Secret, &e.PreviousSecret, &prevUntil, &disabled, &e.DisabledReason, &disabledAt,
		&e.CreatedBy, &created, &rotated); err != nil {
		return nil, err
	}
	e.Events = strings.Fields(events)
	e.PreviousUntil, e.DisabledAt, e.CreatedAt, e.RotatedAt = fromDB(prevUntil), fromDB(disabledAt), fromDB(created), fromDB(rotated)
	e.Disabled = disabled != 0
	return &e, nil
}

// CreateWebhookEndpoint stores a new endpoint and sets its ID. The secret
// is the caller's to make (internal/webhook.NewSecret); the address's
// being public is the caller's to check, as it takes DNS.
func (s *Store) CreateWebhookEndpoint(ctx context.Context, e *news.WebhookEndpoint) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if !strings.HasPrefix(e.Secret, "whsec_") {
		return errors.New("store: a webhook secret starts with whsec_")
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now().UTC()
	}
	var by sql.NullInt64
	if e.CreatedBy != 0 {
		by = sql.NullInt64{Int64: e.CreatedBy, Valid: true}
	}
	return s.q.QueryRowContext(ctx, `INSERT INTO webhook_endpoints (url, events, secret, disabled, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		strings.TrimSpace(e.URL), strings.Join(e.Events, " "), e.Secret, boolInt(e.Disabled), by, toDB(e.CreatedAt)).Scan(&e.ID)
}

// UpdateWebhookEndpoint changes an endpoint's address, events and whether
// it is disabled; its secrets are changed by RotateWebhookSecret only. An
// endpoint enabled loses the reason it was disabled for; one kept
// disabled keeps it.
func (s *Store) UpdateWebhookEndpoint(ctx context.Context, e *news.WebhookEndpoint) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if !e.Disabled {
		e.DisabledReason, e.DisabledAt = "", time.Time{}
	}
	res, err := s.q.ExecContext(ctx, `UPDATE webhook_endpoints SET url = $1, events = $2, disabled = $3,
		disabled_reason = $4, disabled_at = $5 WHERE id = $6`,
		strings.TrimSpace(e.URL), strings.Join(e.Events, " "), boolInt(e.Disabled), e.DisabledReason, toDB(e.DisabledAt), e.ID)
	return oneRow(res, err, "no webhook endpoint with id %d", e.ID)
}

// DisableWebhookEndpoint disables an enabled endpoint that is still at
// url, saying why and when, and reports whether it did: false when it was
// disabled already (another instance's sender got there first), so the
// cause is recorded and audited once, and false when it has moved to
// another address since (the receiver that spoke was the old one's).
func (s *Store) DisableWebhookEndpoint(ctx context.Context, id int64, url, reason string, at time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE webhook_endpoints SET disabled = 1, disabled_reason = $1, disabled_at = $2
		WHERE id = $3 AND disabled = 0 AND url = $4`, reason, toDB(at), id, url)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RotateWebhookSecret gives an endpoint a new secret. The one it had still
// signs deliveries, beside the new one, until now+overlap: receivers that
// check either one keep accepting deliveries while they are given the new
// one (Standard Webhooks sends several signatures in one header).
func (s *Store) RotateWebhookSecret(ctx context.Context, id int64, secret string, now time.Time, overlap time.Duration) error {
	if !strings.HasPrefix(secret, "whsec_") {
		return errors.New("store: a webhook secret starts with whsec_")
	}
	res, err := s.q.ExecContext(ctx, `UPDATE webhook_endpoints SET previous_secret = secret, previous_until = $1,
		secret = $2, rotated_at = $3 WHERE id = $4`, toDB(now.Add(overlap)), secret, toDB(now), id)
	return oneRow(res, err, "no webhook endpoint with id %d", id)
}

// DeleteWebhookEndpoint removes an endpoint and its deliveries, sent or
// not.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, id int64) error {
	return s.InTx(ctx, func(tx *Store) error {
		// SQLite enforces the cascade, PostgreSQL too; said outright so
		// that neither depends on it.
		if _, err := tx.q.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE endpoint_id = $1`, id); err != nil {
			return err
		}
		res, err := tx.q.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id)
		return oneRow(res, err, "no webhook endpoint with id %d", id)
	})
}

// WebhookEndpoint returns one endpoint.
func (s *Store) WebhookEndpoint(ctx context.Context, id int64) (*news.WebhookEndpoint, error) {
	e, err := scanEndpoint(s.q.QueryRowContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.NotFound("no webhook endpoint with id %d", id)
	}
	return e, err
}

// WebhookEndpoints returns every endpoint, oldest first.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]*news.WebhookEndpoint, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.WebhookEndpoint
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

const deliveryColumns = `id, event_id, endpoint_id, event_type, payload, status, attempts, next_attempt_at, give_up_at,
	last_status, last_answer, last_attempt_at, delivered_at, created_at`

func scanDelivery(row interface{ Scan(...any) error }) (*news.WebhookDelivery, error) {
	var (
		d                                          news.WebhookDelivery
		payload                                    string
		next, giveUp, lastAt, deliveredAt, created int64
	)
	if err := row.Scan(&d.ID, &d.EventID, &d.EndpointID, &d.EventType, &payload, &d.Status, &d.Attempts, &next, &giveUp,
		&d.LastStatus, &d.LastAnswer, &lastAt, &deliveredAt, &created); err != nil {
		return nil, err
	}
	d.Payload = []byte(payload)
	d.NextAttemptAt, d.GiveUpAt, d.LastAttemptAt = fromDB(next), fromDB(giveUp), fromDB(lastAt)
	d.DeliveredAt, d.CreatedAt = fromDB(deliveredAt), fromDB(created)
	return &d, nil
}

// WebhookDeliveries lists the deliveries to one endpoint (or to all, for
// endpointID 0), newest first.
func (s *Store) WebhookDeliveries(ctx context.Context, endpointID int64, limit, offset int) ([]*news.WebhookDelivery, error) {
	if limit <= 0 {
		limit = 50
	}
	where, args := "", []any{min(limit, 500), max(offset, 0)}
	if endpointID != 0 {
		where, args = "WHERE endpoint_id = $3", append(args, endpointID)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries `+where+` ORDER BY id DESC LIMIT $1 OFFSET $2`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*news.WebhookDelivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// PruneWebhookDeliveries deletes the deliveries that were done with
// (delivered or failed) and queued before before, and returns how many:
// the newsroom's list keeps the weeks worth reading, not every event ever.
func (s *Store) PruneWebhookDeliveries(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE status IN ($1, $2) AND created_at < $3`,
		news.DeliveryDelivered, news.DeliveryFailed, toDB(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// WebhookDelivery returns one delivery.
func (s *Store) WebhookDelivery(ctx context.Context, id int64) (*news.WebhookDelivery, error) {
	d, err := scanDelivery(s.q.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.NotFound("no webhook delivery with id %d", id)
	}
	return d, err
}

// ResendWebhookDelivery sends a delivery again, whatever its status, as
// soon as a sender is free, and retries it for another day. It keeps its
// webhook-id: a receiver that had it already can tell.
func (s *Store) ResendWebhookDelivery(ctx context.Context, id int64, now time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE webhook_deliveries SET status = $1, next_attempt_at = $2, give_up_at = $3,
		claimed_until = 0, claim = '' WHERE id = $4`,
		news.DeliveryPending, toDB(now), toDB(now.Add(WebhookRetryWindow)), id)
	return oneRow(res, err, "no webhook delivery with id %d", id)
}

// WebhookClaim is a delivery an instance holds to send: no other instance
// claims it until Until, unless it is given back.
type WebhookClaim struct {
	Delivery *news.WebhookDelivery
	URL      string
	// Secrets sign the delivery: the endpoint's, and the one before it
	// while a rotation's overlap lasts.
	Secrets []string
	Until   time.Time
	token   string
}

// ClaimWebhookDelivery takes the pending delivery due longest, of an
// enabled endpoint, and holds it until now+hold; nil when none is due.
// Of several instances asking at once, each delivery goes to one: on
// PostgreSQL the row is locked FOR UPDATE SKIP LOCKED, so a second asker
// takes the next instead of waiting; SQLite runs one writer at a time.
// A claim whose instance died lapses at Until, and the delivery is taken
// again: it is sent at least once, and perhaps twice, with the same
// webhook-id, by which receivers drop doubles.
func (s *Store) ClaimWebhookDelivery(ctx context.Context, now time.Time, hold time.Duration) (*WebhookClaim, error) {
	const due = `status = 'pending' AND next_attempt_at <= $1 AND claimed_until <= $1
		AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE disabled = 0)`
	lock := ""
	if s.dialect.name == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	c := &WebhookClaim{Until: now.Add(hold), token: rand.Text()}
	// A few tries: another instance may take the one this one found.
	for try := 0; ; try++ {
		// Most polls find nothing: a read, which takes no write lock.
		var one int
		err := s.q.QueryRowContext(ctx, `SELECT 1 FROM webhook_deliveries WHERE `+due+` LIMIT 1`, toDB(now)).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		// The conditions again in the outer WHERE: on PostgreSQL an
		// UPDATE that waited for the row reads it anew, and finds it
		// claimed.
		row := s.q.QueryRowContext(ctx, `UPDATE webhook_deliveries SET claimed_until = $2, claim = $3, attempts = attempts + 1
			WHERE id = (SELECT id FROM webhook_deliveries WHERE `+due+` ORDER BY next_attempt_at, id LIMIT 1`+lock+`)
			AND `+due+`
			RETURNING `+deliveryColumns, toDB(now), toDB(c.Until), c.token)
		c.Delivery, err = scanDelivery(row)
		if errors.Is(err, sql.ErrNoRows) && try < 3 {
			continue // another instance took it
		}
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		break
	}
	e, err := s.WebhookEndpoint(ctx, c.Delivery.EndpointID)
	if err != nil {
		return nil, err
	}
	c.URL, c.Secrets = e.URL, []string{e.Secret}
	if e.PreviousSecret != "" && now.Before(e.PreviousUntil) {
		c.Secrets = append(c.Secrets, e.PreviousSecret)
	}
	return c, nil
}

// WebhookAttempt is what came of sending a claimed delivery.
type WebhookAttempt struct {
	At     time.Time
	Status int    // the HTTP status; 0 when no answer came
	Answer string // the start of the answer's body, or the error
	// Delivered: the receiver answered 2xx. Otherwise the delivery is
	// tried again at RetryAt, or failed for good when RetryAt is zero.
	Delivered bool
	RetryAt   time.Time
}

// FinishWebhookDelivery records an attempt on a claimed delivery and lets
// it go. It reports false, and changes nothing, when the claim had lapsed
// and another instance had taken the delivery meanwhile (or a resend
// reset it): that instance's attempt counts.
func (s *Store) FinishWebhookDelivery(ctx context.Context, c *WebhookClaim, a WebhookAttempt) (bool, error) {
	status, next, delivered := news.DeliveryPending, toDB(a.RetryAt), int64(0)
	switch {
	case a.Delivered:
		status, next, delivered = news.DeliveryDelivered, 0, toDB(a.At)
	case a.RetryAt.IsZero():
		status, next = news.DeliveryFailed, 0
	}
	answer := a.Answer
	if len(answer) > answerMax {
		answer = strings.ToValidUTF8(answer[:answerMax], "")
	}
	res, err := s.q.ExecContext(ctx, `UPDATE webhook_deliveries SET status = $1, next_attempt_at = $2, delivered_at = $3,
		last_status = $4, last_answer = $5, last_attempt_at = $6, claimed_until = 0, claim = ''
		WHERE id = $7 AND claim = $8`,
		status, next, delivered, a.Status, answer, toDB(a.At), c.Delivery.ID, c.token)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// webhooksVersion is the migration that made the outbox (0020).
const webhooksVersion = 20

// queueWebhook writes the deliveries of one event to the outbox, one per
// enabled endpoint that subscribes to it, in the transaction of the change
// that causes it: committed with the change, or not at all. Nothing is
// kept between calls, so an endpoint registered a moment ago is seen.
// data is called only when some endpoint subscribes, so a site without
// webhooks pays one indexed read per change.
func (s *Store) queueWebhook(ctx context.Context, event string, data func() (any, error)) error {
	if s.hookless {
		return nil // a schema from before the outbox (tests of migrations)
	}
	endpoints, err := s.ids(ctx, `SELECT id FROM webhook_endpoints
		WHERE disabled = 0 AND ' ' || events || ' ' LIKE $1 ORDER BY id`, "% "+event+" %")
	if err != nil || len(endpoints) == 0 {
		return err
	}
	d, err := data()
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	payload, err := json.Marshal(struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Data      any    `json:"data"`
	}{event, now.Format(time.RFC3339), d})
	if err != nil {
		return err
	}
	// "msg_" and 26 random base32 characters (130 bits): an id no two
	// events share, on any instance.
	id := "msg_" + strings.ToLower(rand.Text())
	for _, ep := range endpoints {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO webhook_deliveries (event_id, endpoint_id, event_type, payload, status,
			next_attempt_at, give_up_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6)`,
			id, ep, event, string(payload), news.DeliveryPending, toDB(now), toDB(now.Add(WebhookRetryWindow))); err != nil {
			return err
		}
	}
	return nil
}

// articleEvent is the event a change to an article announces, from its
// public state before and after: none while it is not public.
func articleEvent(before, after articleRefs) string {
	switch {
	case !before.public && after.public:
		return news.EventArticlePublished
	case before.public && !after.public:
		return news.EventArticleUnpublished
	case before.public && after.public:
		return news.EventArticleUpdated
	}
	return ""
}

// articleHook is the data of an article event: enough to tell which story
// and where; the whole story is at /api/v1/articles/{id}.
type articleHook struct {
	ID          int64            `json:"id"`
	Headline    string           `json:"headline"`
	Path        string           `json:"path"`
	Section     string           `json:"section"`
	Status      string           `json:"status"`
	PublishedAt *time.Time       `json:"published_at,omitempty"`
	UpdatedAt   *time.Time       `json:"updated_at,omitempty"`
	Corrections []correctionHook `json:"corrections,omitempty"`
}

// correctionHook is a correction as an article.corrected event carries it
// (news.Correction has no JSON names of its own).
type correctionHook struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// queueArticleEvent queues event (none when "") about article id, as it
// stands in the transaction; added are the corrections an
// article.corrected event announces.
func (s *Store) queueArticleEvent(ctx context.Context, event string, id int64, added []news.Correction) error {
	if event == "" {
		return nil
	}
	return s.queueWebhook(ctx, event, func() (any, error) {
		a, err := s.oneArticle(ctx, Cards, "with id", `WHERE a.id = $1`, id)
		if err != nil {
			return nil, err
		}
		h := articleHook{ID: a.ID, Headline: a.Headline, Path: a.URL(), Section: a.Section.Path, Status: string(a.Status),
			PublishedAt: timeOrNil(a.PublishedAt), UpdatedAt: timeOrNil(a.UpdatedAt)}
		for _, c := range added {
			h.Corrections = append(h.Corrections, correctionHook{At: c.At.UTC(), Text: c.Text})
		}
		return h, nil
	})
}

// queuePageEvent queues the event a save of a page announces, from its
// status before (nil: new) and after.
func (s *Store) queuePageEvent(ctx context.Context, before, after *news.Page) error {
	was, is := before != nil && before.Status == news.Published, after.Status == news.Published
	event := ""
	switch {
	case !was && is:
		event = news.EventPagePublished
	case was && !is:
		event = news.EventPageUnpublished
	case was && is:
		event = news.EventPageUpdated
	default:
		return nil
	}
	return s.queueWebhook(ctx, event, func() (any, error) {
		return struct {
			ID          int64      `json:"id"`
			Title       string     `json:"title"`
			Path        string     `json:"path"`
			Status      string     `json:"status"`
			PublishedAt *time.Time `json:"published_at,omitempty"`
			UpdatedAt   *time.Time `json:"updated_at,omitempty"`
		}{after.ID, after.Title, after.URL(), string(after.Status), timeOrNil(after.PublishedAt), timeOrNil(after.UpdatedAt)}, nil
	})
}

// queueAddressesEvent queues settings.addresses_changed when key is one of
// the alternate addresses and its value changes from old to value.
func (s *Store) queueAddressesEvent(ctx context.Context, key, old, value string) error {
	if old == value || !isAddressSetting(key) {
		return nil
	}
	return s.queueWebhook(ctx, news.EventAddressesChanged, func() (any, error) {
		return struct {
			Changed string `json:"changed"`
			Path    string `json:"path"`
		}{key, "/mirrors.json"}, nil
	})
}

// settingBefore returns a setting's stored value when key is one of the
// alternate addresses, whose changes are announced, and "" otherwise
// (without reading it).
func (s *Store) settingBefore(ctx context.Context, key string) (string, error) {
	if !isAddressSetting(key) {
		return "", nil
	}
	var v string
	err := s.q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func isAddressSetting(key string) bool {
	for _, k := range news.AddressSettings {
		if k == key {
			return true
		}
	}
	return false
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// oneRow turns an UPDATE or DELETE that touched no row into a not-found
// error.
func oneRow(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return news.NotFound(format, args...)
	}
	return nil
}
