-- Carts, orders, payments, terms, idempotency, outbox and audit (SQLite).
-- Keep in step with ../postgres/0003_commerce.sql.

CREATE TABLE carts (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    -- NULL for the cart in use; a name for a saved cart.
    name        TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX carts_one_active ON carts(user_id, site_id) WHERE name IS NULL;
CREATE UNIQUE INDEX carts_saved_name ON carts(user_id, site_id, name) WHERE name IS NOT NULL;

CREATE TABLE cart_lines (
    id                INTEGER PRIMARY KEY,
    cart_id           INTEGER NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    part_number       TEXT NOT NULL REFERENCES parts(part_number),
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    -- standard | months | coverage
    term_kind         TEXT NOT NULL,
    months            INTEGER,
    coverage_start    TEXT,
    coverage_end      TEXT,
    renewal_line_id   INTEGER REFERENCES renewal_quote_lines(id),
    created_at        INTEGER NOT NULL
);
CREATE INDEX cart_lines_cart ON cart_lines(cart_id);

-- What a customer changed on a renewal quote, for the rep to review against the issued version.
CREATE TABLE quote_change_requests (
    id               INTEGER PRIMARY KEY,
    quote_id         INTEGER NOT NULL REFERENCES renewal_quotes(id),
    version          INTEGER NOT NULL,
    renewal_line_id  INTEGER NOT NULL REFERENCES renewal_quote_lines(id),
    -- quantity | delete
    action           TEXT NOT NULL,
    quantity         INTEGER,
    requested_by     INTEGER NOT NULL REFERENCES users(id),
    requested_at     INTEGER NOT NULL
);
CREATE INDEX quote_change_requests_quote ON quote_change_requests(quote_id, version);

CREATE TABLE terms_versions (
    version       TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    published_at  INTEGER NOT NULL
);

CREATE TABLE orders (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    site_id           INTEGER NOT NULL REFERENCES sites(id),
    user_id           INTEGER NOT NULL REFERENCES users(id),
    -- received | processing | completed | cancelled
    status            TEXT NOT NULL,
    cancel_reason     TEXT,
    renewal_quote_id  INTEGER REFERENCES renewal_quotes(id),
    currency          TEXT NOT NULL,
    price_level       TEXT NOT NULL,
    subtotal_minor    INTEGER NOT NULL,
    discount_minor    INTEGER NOT NULL,
    tax_minor         INTEGER NOT NULL,
    total_minor       INTEGER NOT NULL,
    points            INTEGER NOT NULL,
    billing_json      TEXT NOT NULL,
    terms_version     TEXT NOT NULL REFERENCES terms_versions(version),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX orders_site_created ON orders(site_id, created_at);

CREATE TABLE order_lines (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    part_number     TEXT NOT NULL REFERENCES parts(part_number),
    description     TEXT NOT NULL,
    quantity        INTEGER NOT NULL,
    months          INTEGER NOT NULL,
    coverage_start  TEXT,
    coverage_end    TEXT,
    unit_minor      INTEGER NOT NULL,
    extended_minor  INTEGER NOT NULL,
    discount_minor  INTEGER NOT NULL,
    tax_minor       INTEGER NOT NULL
);
CREATE INDEX order_lines_order ON order_lines(order_id);

-- Never the full card number or the security code: the processor's token, brand, last four and expiry.
CREATE TABLE payments (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders(id),
    -- card | purchase_order | bank_transfer
    method           TEXT NOT NULL,
    status           TEXT NOT NULL,
    processor_token  TEXT,
    card_brand       TEXT,
    card_last4       TEXT,
    card_exp_month   INTEGER,
    card_exp_year    INTEGER,
    po_number        TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX payments_order ON payments(order_id);

CREATE TABLE terms_acceptances (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    version     TEXT NOT NULL REFERENCES terms_versions(version),
    order_id    INTEGER REFERENCES orders(id),
    accepted_at INTEGER NOT NULL
);

CREATE TABLE idempotency_keys (
    user_id         INTEGER NOT NULL REFERENCES users(id),
    idem_key        TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    -- in_progress | done
    state           TEXT NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    claimed_until  INTEGER,
    attempts       INTEGER NOT NULL DEFAULT 0,
    sent_at        INTEGER,
    last_error     TEXT
);
CREATE INDEX outbox_pending ON outbox(sent_at, claimed_until);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER REFERENCES users(id),
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL
);

INSERT INTO terms_versions (version, title, body, published_at) VALUES (
    '2026-01',
    'Terms and conditions of sale',
    'Licences are granted under the vendor''s licence agreement. Subscription & Support runs for the covered period shown on the order and renews only by a new order. Prices exclude taxes unless shown. Orders are binding once submitted; cancellation is possible until the order is processed.',
    1767225600
);
