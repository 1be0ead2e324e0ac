-- The audit log is append-only: no statement, the server's included, may change or remove an entry,
-- nor empty the table. (Retention never touches it; see server/src/retention.rs.)
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- The retention pass looks rows up by these.
CREATE INDEX IF NOT EXISTS outbox_sent ON outbox(sent_at);
CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys(created_at);
CREATE INDEX IF NOT EXISTS password_resets_expires ON password_resets(expires_at);
