-- A cart line accepted from a sales rep's quote points at the quoted line: its quantity is what the
-- discount was given for, checked again whenever the cart is priced and at checkout.
ALTER TABLE cart_lines ADD COLUMN quote_request_line_id BIGINT REFERENCES quote_request_lines(id);
UPDATE cart_lines SET quote_request_line_id = (
    SELECT l.id FROM quote_request_lines l
    WHERE l.request_id = cart_lines.quote_request_id AND l.part_number = cart_lines.part_number
    ORDER BY l.id LIMIT 1
) WHERE quote_request_id IS NOT NULL;
