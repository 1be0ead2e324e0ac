-- Two-step verification (server/src/second_factor.rs): an authenticator key per user, the last time
-- step a code was accepted for (a code is accepted once), one-time recovery codes (hashed), and the
-- sign-ins waiting for their second step.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
-- A key being set up from the account page, until its first code confirms it.
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;

CREATE TABLE recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sign_in_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    -- verify | enrol
    step       TEXT NOT NULL,
    -- the key being set up, for an enrolment
    secret     TEXT,
    attempts   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sign_in_challenges_expires ON sign_in_challenges(expires_at);
-- Sessions of administrators started before two-step verification end: they sign in again with it.
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'admin');
