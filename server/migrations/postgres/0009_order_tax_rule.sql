-- The tax rule an order was charged under (JSON of entitle-core's TaxRule), so its confirmation, order
-- page and receipt name the rate and base charged then, whatever the rate is later. NULL: no tax rule.
-- Keep in step with ../sqlite/0009_order_tax_rule.sql.
ALTER TABLE orders ADD COLUMN tax_rule_json TEXT;
