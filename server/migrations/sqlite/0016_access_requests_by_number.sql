-- An access request keeps the customer number as asked, whether or not a site has it, so the answer and
-- what the requester sees are the same for every number (no stranger learns which numbers exist or what
-- their sites are called). site_id is set when a site has the number; only such requests reach anyone.
-- SQLite cannot drop a NOT NULL, so the table is rebuilt. Keep in step with ../postgres/0016_….
CREATE TABLE access_requests_by_number (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    customer_number TEXT NOT NULL,
    site_id         INTEGER REFERENCES sites(id),
    message         TEXT NOT NULL,
    -- pending | approved | rejected
    status          TEXT NOT NULL,
    decided_by      INTEGER REFERENCES users(id),
    decided_at      INTEGER,
    created_at      INTEGER NOT NULL
);
INSERT INTO access_requests_by_number
    (id, user_id, customer_number, site_id, message, status, decided_by, decided_at, created_at)
SELECT r.id, r.user_id, s.customer_number, r.site_id, r.message, r.status, r.decided_by, r.decided_at, r.created_at
FROM access_requests r JOIN sites s ON s.id = r.site_id;
DROP TABLE access_requests;
ALTER TABLE access_requests_by_number RENAME TO access_requests;
CREATE INDEX access_requests_site ON access_requests(site_id, status);
CREATE INDEX access_requests_user ON access_requests(user_id, customer_number, status);
