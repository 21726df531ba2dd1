-- Mail and the account (issue 18): the outbox of email, one-time links for
-- a forgotten password and a changed address, and two-factor codes.

-- The outbox of email, written in the transaction of the change that
-- causes each message and drained by the sender (internal/mail/outbox) on
-- whichever instance claims it first. Bodies are cleared once a message is
-- sent or failed: some carry one-time links.
CREATE TABLE mail_outbox (
    id              {{id}},
    -- the addresses, one per line
    recipients      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL DEFAULT '',
    -- pending, sent or failed
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- an instance sending it holds it until claimed_until, under claim
    claimed_until   BIGINT NOT NULL DEFAULT 0,
    claim           TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at BIGINT NOT NULL DEFAULT 0,
    sent_at         BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);

CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);

-- One-time links sent by email: purpose 'reset' (a forgotten password) or
-- 'email' (confirming a new address, kept in new_email). Only a hash of
-- the token is stored. A link is used once; a newer link of the same
-- purpose ends the ones before it.
CREATE TABLE account_tokens (
    id          {{id}},
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    new_email   TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Two-factor authentication (TOTP). totp_secret is the base32 secret, set
-- when the code is on (totp_on = 1) or while it is being enrolled (0);
-- totp_last_step is the time step of the last code accepted, so that a
-- code is good once.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- Recovery codes, for when the phone is lost: hashes only, each good once.
CREATE TABLE recovery_codes (
    id         {{id}},
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
