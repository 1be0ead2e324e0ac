-- Auto-renew places a binding order, so it is opt-in and needs the customer's consent: who turned it on,
-- when, and the version of the terms of sale they accepted by doing so (the engine's order records that
-- acceptance). Until now it was on by default with no consent recorded: every such setting is turned off.
ALTER TABLE renewal_quotes ADD COLUMN auto_renew_by BIGINT REFERENCES users(id);
ALTER TABLE renewal_quotes ADD COLUMN auto_renew_at BIGINT;
ALTER TABLE renewal_quotes ADD COLUMN auto_renew_terms TEXT;
UPDATE renewal_quotes SET auto_renew = 0;
