//! The SQLite and PostgreSQL migration sets describe one schema. Each backend is migrated from empty and
//! read back from its own catalogue — tables, columns with their type family and nullability, primary
//! keys, unique constraints and indexes — and the two descriptions must be equal, apart from the one
//! documented difference: full-text search (an FTS5 table on SQLite, a generated `tsvector` column with
//! a GIN index on PostgreSQL).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use entitle_server::db::Db;
use sqlx::Row;

/// The schema as both backends can say it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    /// table → column → (type family, nullable)
    columns: BTreeMap<String, BTreeMap<String, (&'static str, bool)>>,
    /// (table, primary-key columns in order)
    primary_keys: BTreeSet<(String, Vec<String>)>,
    /// (table, columns) of every unique constraint or unique index
    unique: BTreeSet<(String, Vec<String>)>,
    /// index name → (table, columns, unique), for indexes created by name (not by a constraint)
    indexes: BTreeMap<String, (String, Vec<String>, bool)>,
}

/// Types by what they hold, so `INTEGER` and `BIGINT` compare equal.
fn family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") {
        "text"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else if t.contains("real") || t.contains("double") || t.contains("float") {
        "float"
    } else if t.contains("numeric") || t.contains("decimal") {
        "decimal"
    } else if t.contains("tsvector") {
        "tsvector"
    } else {
        "other"
    }
}

/// Full-text search is built differently on each backend on purpose (see the 0005 migrations).
fn is_full_text(table: &str, name: &str) -> bool {
    table.starts_with("parts_fts") || name == "search_vector" || name == "parts_search_vector"
}

async fn sqlite_schema(db: &Db) -> Schema {
    let pool = &db.pool;
    let mut s = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for table in tables.into_iter().filter(|t| !is_full_text(t, "")) {
        let cols = sqlx::query(&format!(
            "SELECT name, type, \"notnull\" AS not_null, pk FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in &cols {
            let name: String = c.get("name");
            let declared: String = c.get("type");
            let pk_pos: i64 = c.get("pk");
            // SQLite lets a non-INTEGER primary key hold NULL unless declared NOT NULL; PostgreSQL never
            // does. A primary key counts as not null on both.
            let nullable = c.get::<i64, _>("not_null") == 0 && pk_pos == 0;
            if pk_pos > 0 {
                pk.push((pk_pos, name.clone()));
            }
            s.columns
                .entry(table.clone())
                .or_default()
                .insert(name, (family(&declared), nullable));
        }
        pk.sort();
        s.primary_keys
            .insert((table.clone(), pk.into_iter().map(|(_, n)| n).collect()));
        let indexes = sqlx::query(&format!(
            "SELECT name, \"unique\" AS is_unique, origin FROM pragma_index_list('{table}')"
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        for ix in &indexes {
            let name: String = ix.get("name");
            let origin: String = ix.get("origin");
            if origin == "pk" {
                continue;
            }
            let columns: Vec<String> = sqlx::query_scalar(&format!(
                "SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"
            ))
            .fetch_all(pool)
            .await
            .unwrap();
            let unique = ix.get::<i64, _>("is_unique") != 0;
            if unique {
                s.unique.insert((table.clone(), columns.clone()));
            }
            if origin == "c" {
                s.indexes.insert(name, (table.clone(), columns, unique));
            }
        }
    }
    s
}

async fn postgres_schema(db: &Db) -> Schema {
    let pool = &db.pool;
    let mut s = Schema::default();
    let cols = sqlx::query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                c.data_type::text AS data_type, c.is_nullable::text AS is_nullable \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
           AND c.table_name NOT LIKE '\\_sqlx\\_%' ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for c in &cols {
        let table: String = c.get("table_name");
        let name: String = c.get("column_name");
        if is_full_text(&table, &name) {
            continue;
        }
        let declared: String = c.get("data_type");
        let nullable = c.get::<String, _>("is_nullable") == "YES";
        s.columns
            .entry(table)
            .or_default()
            .insert(name, (family(&declared), nullable));
    }
    // Every index with its table, columns in order, and whether it is unique or backs the primary key
    // or a constraint.
    let indexes = sqlx::query(
        "SELECT i.relname::text AS index_name, t.relname::text AS table_name, \
                CASE WHEN x.indisunique THEN 1 ELSE 0 END AS is_unique, \
                CASE WHEN x.indisprimary THEN 1 ELSE 0 END AS is_primary, \
                CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) THEN 1 ELSE 0 END AS by_constraint, \
                (SELECT string_agg(a.attname::text, ',' ORDER BY k.n) \
                   FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) \
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname NOT LIKE '\\_sqlx\\_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for ix in &indexes {
        let name: String = ix.get("index_name");
        let table: String = ix.get("table_name");
        if is_full_text(&table, &name) {
            continue;
        }
        let columns: Vec<String> = ix
            .get::<Option<String>, _>("columns")
            .unwrap_or_default()
            .split(',')
            .map(str::to_owned)
            .collect();
        let unique = ix.get::<i32, _>("is_unique") != 0;
        if ix.get::<i32, _>("is_primary") != 0 {
            s.primary_keys.insert((table, columns));
            continue;
        }
        if unique {
            s.unique.insert((table.clone(), columns.clone()));
        }
        if ix.get::<i32, _>("by_constraint") == 0 {
            s.indexes.insert(name, (table, columns, unique));
        }
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_and_postgresql_migrations_build_the_same_schema() {
    let lite = common::TestDb::new(common::Kind::Sqlite).await;
    let pg = common::TestDb::new(common::Kind::Postgres).await;
    let lite_db = Db::open(&lite.url, 2).await.expect("migrate SQLite");
    let pg_db = Db::open(&pg.url, 2).await.expect("migrate PostgreSQL");
    let a = sqlite_schema(&lite_db).await;
    let b = postgres_schema(&pg_db).await;
    lite_db.pool.close().await;
    pg_db.pool.close().await;
    lite.drop_db().await;
    pg.drop_db().await;

    eprintln!(
        "schema: {} tables, {} columns, {} unique constraints, {} named indexes",
        a.columns.len(),
        a.columns.values().map(BTreeMap::len).sum::<usize>(),
        a.unique.len(),
        a.indexes.len()
    );
    assert!(a.columns.len() > 20, "tables read: {:?}", a.columns.keys());
    assert_eq!(
        a.columns.keys().collect::<Vec<_>>(),
        b.columns.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, cols) in &a.columns {
        assert_eq!(
            Some(cols),
            b.columns.get(table),
            "columns of {table} (SQLite left, PostgreSQL right): (type family, nullable)"
        );
    }
    assert_eq!(a.primary_keys, b.primary_keys, "primary keys");
    assert_eq!(a.unique, b.unique, "unique constraints and indexes");
    assert_eq!(a.indexes, b.indexes, "named indexes");
}
