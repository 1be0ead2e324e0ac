-- The audit log is append-only: no statement, the server's included, may change or remove an entry.
-- (Retention never touches it; see server/src/retention.rs.)
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- The retention pass looks rows up by these.
CREATE INDEX IF NOT EXISTS outbox_sent ON outbox(sent_at);
CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys(created_at);
CREATE INDEX IF NOT EXISTS password_resets_expires ON password_resets(expires_at);
