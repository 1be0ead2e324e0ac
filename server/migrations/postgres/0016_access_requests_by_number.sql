-- An access request keeps the customer number as asked, whether or not a site has it, so the answer and
-- what the requester sees are the same for every number (no stranger learns which numbers exist or what
-- their sites are called). site_id is set when a site has the number; only such requests reach anyone.
-- Keep in step with ../sqlite/0016_access_requests_by_number.sql.
ALTER TABLE access_requests ADD COLUMN customer_number TEXT;
UPDATE access_requests r SET customer_number = s.customer_number FROM sites s WHERE s.id = r.site_id;
ALTER TABLE access_requests ALTER COLUMN customer_number SET NOT NULL;
ALTER TABLE access_requests ALTER COLUMN site_id DROP NOT NULL;
CREATE INDEX access_requests_user ON access_requests(user_id, customer_number, status);
