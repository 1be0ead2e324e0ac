-- Entitle foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql: the same tables,
-- columns and meanings. Conventions shared by both: money as integer minor units + ISO currency code;
-- dates as ISO-8601 text (YYYY-MM-DD); instants as unix seconds; flags as 0/1 integers.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    password_hash   TEXT NOT NULL,
    -- customer | sales_rep | renewal_rep | admin
    role            TEXT NOT NULL CHECK (role IN ('customer', 'sales_rep', 'renewal_rep', 'admin')),
    locale          TEXT NOT NULL DEFAULT 'en',
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    created_at      INTEGER NOT NULL
);

CREATE TABLE organisations (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    agreement_number TEXT NOT NULL UNIQUE,
    -- relationship | express
    agreement_kind   TEXT NOT NULL CHECK (agreement_kind IN ('relationship', 'express')),
    price_level      TEXT NOT NULL,
    points           INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);

CREATE TABLE business_partners (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    email  TEXT NOT NULL,
    phone  TEXT NOT NULL
);

CREATE TABLE sites (
    id                  INTEGER PRIMARY KEY,
    organisation_id     INTEGER NOT NULL REFERENCES organisations(id),
    customer_number     TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    country             TEXT NOT NULL,
    currency            TEXT NOT NULL,
    anniversary         TEXT NOT NULL,
    business_partner_id INTEGER REFERENCES business_partners(id),
    sales_rep_id        INTEGER NOT NULL REFERENCES users(id),
    renewal_rep_id      INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX sites_organisation ON sites(organisation_id);

CREATE TABLE site_access (
    user_id          INTEGER NOT NULL REFERENCES users(id),
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    is_primary       INTEGER NOT NULL DEFAULT 0,
    can_buy          INTEGER NOT NULL DEFAULT 0,
    can_view_quotes  INTEGER NOT NULL DEFAULT 0,
    can_view_orders  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, site_id)
);

CREATE TABLE parts (
    part_number         TEXT PRIMARY KEY,
    product             TEXT NOT NULL,
    description         TEXT NOT NULL,
    category            TEXT NOT NULL,
    part_type           TEXT NOT NULL,
    metric              TEXT NOT NULL,
    points              INTEGER NOT NULL,
    reinstatement_part  TEXT REFERENCES parts(part_number),
    -- lower-cased part number, product, description and category, for search
    search_text         TEXT NOT NULL
);
CREATE INDEX parts_category ON parts(category);
CREATE INDEX parts_part_type ON parts(part_type);

CREATE TABLE part_prices (
    part_number TEXT NOT NULL REFERENCES parts(part_number),
    currency    TEXT NOT NULL,
    level       TEXT NOT NULL,
    unit_minor  INTEGER NOT NULL,
    PRIMARY KEY (part_number, currency, level)
);

CREATE TABLE entitlements (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    licence_part    TEXT NOT NULL REFERENCES parts(part_number),
    renewal_part    TEXT NOT NULL REFERENCES parts(part_number),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    coverage_start  TEXT NOT NULL,
    coverage_end    TEXT NOT NULL
);
CREATE INDEX entitlements_site_end ON entitlements(site_id, coverage_end);

CREATE TABLE renewal_quotes (
    id            INTEGER PRIMARY KEY,
    quote_number  TEXT NOT NULL UNIQUE,
    site_id       INTEGER NOT NULL REFERENCES sites(id),
    -- issued | change_requested | reissued | in_cart | ordered | expired | cancelled
    status        TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    due_date      TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    currency      TEXT NOT NULL,
    issued_at     INTEGER NOT NULL
);
CREATE INDEX renewal_quotes_site ON renewal_quotes(site_id, due_date);

CREATE TABLE renewal_quote_lines (
    id              INTEGER PRIMARY KEY,
    quote_id        INTEGER NOT NULL REFERENCES renewal_quotes(id),
    version         INTEGER NOT NULL,
    entitlement_id  INTEGER NOT NULL REFERENCES entitlements(id),
    part_number     TEXT NOT NULL REFERENCES parts(part_number),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    coverage_start  TEXT NOT NULL,
    coverage_end    TEXT NOT NULL,
    unit_minor      INTEGER NOT NULL,
    extended_minor  INTEGER NOT NULL
);
CREATE INDEX renewal_quote_lines_quote ON renewal_quote_lines(quote_id, version);
