-- Webhooks (issue 17): the endpoints admins register, and the outbox of
-- deliveries, written in the transaction of the change that causes them
-- and drained by the sender (internal/webhook) on whichever instance
-- claims each first.
CREATE TABLE webhook_endpoints (
    id              {{id}},
    url             TEXT NOT NULL,
    -- the event types it is sent, space-separated ("article.published page.updated")
    events          TEXT NOT NULL,
    -- "whsec_" + base64 of the key: the HMAC key must be had to sign, so it
    -- is kept as is, and shown only when made (created or rotated)
    secret          TEXT NOT NULL,
    -- the secret before the last rotation, still signed with until previous_until
    previous_secret TEXT NOT NULL DEFAULT '',
    previous_until  BIGINT NOT NULL DEFAULT 0,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    rotated_at      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE webhook_deliveries (
    id              {{id}},
    -- the webhook-id header: one per event, the same on every endpoint it
    -- goes to and on every attempt, so receivers drop doubles by it
    event_id        TEXT NOT NULL,
    endpoint_id     BIGINT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    -- pending, delivered or failed
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- past give_up_at a failed attempt is the last
    give_up_at      BIGINT NOT NULL,
    -- an instance sending it holds it until claimed_until, under claim
    claimed_until   BIGINT NOT NULL DEFAULT 0,
    claim           TEXT NOT NULL DEFAULT '',
    -- the last attempt's answer: its HTTP status (0: none came) and the
    -- start of its body, or the error
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_answer     TEXT NOT NULL DEFAULT '',
    last_attempt_at BIGINT NOT NULL DEFAULT 0,
    delivered_at    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    UNIQUE (event_id, endpoint_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
