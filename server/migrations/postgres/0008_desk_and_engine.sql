-- The rep desk and the renewal engine (PostgreSQL). Keep in step with ../sqlite/0008_desk_and_engine.sql.

-- A catalog line accepted from a rep's quote carries the quote's discount and validity.
ALTER TABLE cart_lines ADD COLUMN quote_request_id BIGINT REFERENCES quote_requests(id);
ALTER TABLE order_lines ADD COLUMN quote_request_id BIGINT REFERENCES quote_requests(id);
-- Which renewal line an order line renews, so fulfilment extends that entitlement.
ALTER TABLE order_lines ADD COLUMN renewal_line_id BIGINT REFERENCES renewal_quote_lines(id);
ALTER TABLE quote_requests ADD COLUMN quoted_by BIGINT REFERENCES users(id);
ALTER TABLE quote_requests ADD COLUMN decided_at BIGINT;

-- The S&S renewal part of a licence part, for the entitlement a new licence creates.
ALTER TABLE parts ADD COLUMN renewal_part TEXT REFERENCES parts(part_number);

-- Whether the quote renews by itself on the anniversary (only where the site's country allows it).
ALTER TABLE renewal_quotes ADD COLUMN auto_renew BIGINT NOT NULL DEFAULT 0;
-- One renewal quote per site and due date, whichever engine issues it.
CREATE UNIQUE INDEX renewal_quotes_one_per_due_date ON renewal_quotes(site_id, due_date);

-- The renewal engine's leases: an engine claims (site, due date) until lease_until before issuing, so
-- engines on several servers share the work; quote_id is set once the quote is issued.
CREATE TABLE renewal_claims (
    site_id      BIGINT NOT NULL REFERENCES sites(id),
    due_date     TEXT NOT NULL,
    holder       TEXT NOT NULL,
    lease_until  BIGINT NOT NULL,
    quote_id     BIGINT REFERENCES renewal_quotes(id),
    PRIMARY KEY (site_id, due_date)
);

-- Order fulfilment: when the order was completed (coverage extended, points added).
ALTER TABLE orders ADD COLUMN completed_at BIGINT;
ALTER TABLE orders ADD COLUMN auto_renewed BIGINT NOT NULL DEFAULT 0;
-- The start of the organisation's current points term (points count from here).
ALTER TABLE organisations ADD COLUMN term_start TEXT;
