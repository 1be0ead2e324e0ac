-- The language a user chose, with the header's switcher or, at their first sign-in, the one the app
-- showed them (users.locale has existed since 0001, always 'en' until now). Mail goes out in it.
ALTER TABLE users ADD COLUMN locale_set_at INTEGER;
-- Every mail has an HTML part beside its plain text (server/src/letters.rs); older rows have none.
ALTER TABLE outbox ADD COLUMN html_body TEXT;
