-- Where each account has logged in from: its browsers (the hash of a
-- device cookie's token, "device:...") and its client addresses
-- ("addr:..."). A login from one of them is not held back by the delays
-- that failed logins from elsewhere put on the account, so a guesser
-- cannot lock the owner out (internal/auth's Throttle).
CREATE TABLE known_logins (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);
