-- Quote requests from customers to their sales rep (SQLite). Keep in step with ../postgres/0004_quote_requests.sql.

CREATE TABLE quote_requests (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    site_id        INTEGER NOT NULL REFERENCES sites(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    -- submitted | quoted | accepted | declined | expired
    status         TEXT NOT NULL,
    note           TEXT NOT NULL,
    discount_bp    INTEGER,
    valid_until    TEXT,
    rep_note       TEXT,
    created_at     INTEGER NOT NULL,
    quoted_at      INTEGER
);
CREATE INDEX quote_requests_site ON quote_requests(site_id, created_at);

CREATE TABLE quote_request_lines (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES quote_requests(id),
    part_number  TEXT NOT NULL REFERENCES parts(part_number),
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    months       INTEGER
);
CREATE INDEX quote_request_lines_request ON quote_request_lines(request_id);
