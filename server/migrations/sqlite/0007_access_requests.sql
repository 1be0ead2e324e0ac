-- Requests by users for access to a site, decided by the site's primary contact; and the renewal notices
-- and reminders sent for each quote (so each is sent once).

CREATE TABLE access_requests (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    site_id       INTEGER NOT NULL REFERENCES sites(id),
    message       TEXT NOT NULL,
    -- pending | approved | rejected
    status        TEXT NOT NULL,
    decided_by    INTEGER REFERENCES users(id),
    decided_at    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX access_requests_site ON access_requests(site_id, status);

CREATE TABLE renewal_notices (
    quote_id   INTEGER NOT NULL REFERENCES renewal_quotes(id),
    -- notice | reminder_60 | reminder_30 | reissued
    kind       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    sent_at    INTEGER NOT NULL,
    PRIMARY KEY (quote_id, kind, version)
);

ALTER TABLE orders ADD COLUMN shipping_json TEXT;
