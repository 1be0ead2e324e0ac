-- A card charge is recorded before the processor is asked for it, under the order's reference (which is
-- also the processor's idempotency key): if the order is then not written — the request fails, the
-- commit fails, the server dies — the charge is found and voided rather than left on the card.
-- Keep in step with ../postgres/0013_card_charges_refunds.sql.
CREATE TABLE card_charges (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    idem_key        TEXT NOT NULL,
    amount_minor    INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    -- pending (asked, outcome not recorded) | declined | captured (its order is written) | voided
    status          TEXT NOT NULL,
    -- A processor's token is short; anything longer is not one, and the order is not written with it.
    processor_token TEXT CHECK (processor_token IS NULL OR length(processor_token) <= 100),
    order_id        INTEGER REFERENCES orders(id),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    settled_at      INTEGER
);
CREATE INDEX card_charges_open ON card_charges(status, created_at);

-- A refund is recorded with the cancellation, in its transaction, and carried out after it commits; one
-- that failed or was cut short stays pending and is retried (under the same processor idempotency key, so
-- it is never paid twice).
CREATE TABLE refunds (
    id           INTEGER PRIMARY KEY,
    payment_id   INTEGER NOT NULL UNIQUE REFERENCES payments(id),
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    -- pending | done
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    done_at      INTEGER
);
CREATE INDEX refunds_open ON refunds(status, created_at);
