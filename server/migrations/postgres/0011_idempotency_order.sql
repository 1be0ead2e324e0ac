-- An order's idempotency key is completed in the order's own transaction, with the order's reference:
-- a crash leaves both or neither, and a retry answers the order as it is now (loaded by reference)
-- rather than a copy of the first answer. response_body stays for keys completed before this.
ALTER TABLE idempotency_keys ADD COLUMN order_reference TEXT;
