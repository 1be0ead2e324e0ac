-- Sign-in and password-reset attempts per e-mail address (and per address and client), counted before
-- the password is checked, with an exponential back-off instead of a lock-out (server/src/throttle.rs).
-- Keyed by a hash of the address as typed, so unknown addresses are throttled alike and none is stored.
-- The old per-account counter and lock are no longer used.
CREATE TABLE auth_throttle (
    throttle_key  TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    last_at       BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
);
CREATE INDEX auth_throttle_last ON auth_throttle(last_at);
UPDATE users SET failed_logins = 0, locked_until = NULL;
