-- Full-text index of the catalog (SQLite FTS5), kept in step with parts by triggers.
-- The PostgreSQL twin (../postgres/0005_catalog_fts.sql) is a generated tsvector column with a GIN index.

CREATE VIRTUAL TABLE parts_fts USING fts5(part_number UNINDEXED, search_text);

INSERT INTO parts_fts (part_number, search_text) SELECT part_number, search_text FROM parts;

CREATE TRIGGER parts_fts_insert AFTER INSERT ON parts BEGIN
    INSERT INTO parts_fts (part_number, search_text) VALUES (new.part_number, new.search_text);
END;

CREATE TRIGGER parts_fts_update AFTER UPDATE OF search_text ON parts BEGIN
    DELETE FROM parts_fts WHERE part_number = old.part_number;
    INSERT INTO parts_fts (part_number, search_text) VALUES (new.part_number, new.search_text);
END;

CREATE TRIGGER parts_fts_delete AFTER DELETE ON parts BEGIN
    DELETE FROM parts_fts WHERE part_number = old.part_number;
END;
