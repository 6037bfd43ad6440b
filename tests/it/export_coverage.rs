//! `mydata export` covers the whole schema: every column of every table is
//! exported by some section or exempt with a written reason, and neither
//! list names a column the schema does not have.

use std::collections::BTreeSet;

use rapport::store::mydata::{EXEMPT, exported_columns};
use sqlx::Row;

use crate::helpers::spawn_engine;

/// Every `table.column` of the migrated SQLite schema.
async fn schema_columns() -> BTreeSet<String> {
    let t = spawn_engine().await;
    let mut tx = t.engine.store().begin().await.expect("begin");
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(&mut *tx)
    .await
    .expect("tables")
    .iter()
    .map(|row| row.get(0))
    .collect();
    assert!(tables.len() > 10, "the schema is migrated: {tables:?}");
    let mut columns = BTreeSet::new();
    for table in tables {
        let names = sqlx::query("SELECT name FROM pragma_table_info($1)")
            .bind(&table)
            .fetch_all(&mut *tx)
            .await
            .expect("columns");
        assert!(!names.is_empty(), "{table} has columns");
        for row in names {
            let column: String = row.get(0);
            columns.insert(format!("{table}.{column}"));
        }
    }
    columns
}

#[tokio::test]
async fn every_column_is_exported_or_exempt_with_a_reason() {
    let schema = schema_columns().await;
    let exported = exported_columns();
    let exempt: BTreeSet<String> = EXEMPT.iter().map(|(c, _)| (*c).to_owned()).collect();
    let uncovered: Vec<&String> = schema
        .iter()
        .filter(|column| !exported.contains(*column) && !exempt.contains(*column))
        .collect();
    assert!(
        uncovered.is_empty(),
        "neither exported nor exempt: {uncovered:?}"
    );
    for (column, reason) in EXEMPT {
        assert!(
            !reason.trim().is_empty(),
            "{column} is exempt without a reason"
        );
    }
}

#[tokio::test]
async fn the_lists_name_only_columns_that_exist_and_each_once() {
    let schema = schema_columns().await;
    let exported = exported_columns();
    let unknown: Vec<&String> = exported.difference(&schema).collect();
    assert!(
        unknown.is_empty(),
        "exported but not in the schema: {unknown:?}"
    );
    let mut exempt = BTreeSet::new();
    for (column, _) in EXEMPT {
        assert!(
            schema.contains(*column),
            "exempt but not in the schema: {column}"
        );
        assert!(exempt.insert(*column), "exempt twice: {column}");
        assert!(
            !exported.contains(*column),
            "{column} is both exported and exempt"
        );
    }
}
