-- Full-text index of the catalog (PostgreSQL): a generated tsvector with a GIN index.
-- The SQLite twin (../sqlite/0005_catalog_fts.sql) is an FTS5 table kept in step by triggers.
-- The 'simple' configuration lower-cases without stemming: part numbers and product names stay whole.

ALTER TABLE parts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX parts_search_vector ON parts USING GIN (search_vector);
