//! `mydata`: everything stored about one person, as JSON, and its
//! deletion. What the partner wrote stays theirs (the schema's SET NULL
//! links); what the person wrote goes (CASCADE).

use anyhow::Context;
use serde_json::{Map, Value};
use sqlx::AssertSqlSafe;
use sqlx::Row;

use super::{Tx, from_db};
use crate::domain::UserRef;

/// One part of the export: its name and a query on the person's id (`$1`).
/// Every column is read as text and typed by its name below.
const SECTIONS: &[(&str, &str, &[&str])] = &[
    (
        "profile",
        "FROM users WHERE id = $1",
        &[
            "platform",
            "external_id",
            "display_name",
            "time_zone",
            "quiet_start",
            "quiet_end",
            "created_at",
        ],
    ),
    (
        "couples",
        "FROM memberships m JOIN couples c ON c.id = m.couple_id WHERE m.user_id = $1 ORDER BY m.joined_at",
        &[
            "m.couple_id",
            "m.joined_at",
            "m.left_at",
            "c.ended_at",
            "m.reword_nudges",
        ],
    ),
    (
        "invites_sent",
        "FROM invites WHERE inviter_id = $1 ORDER BY created_at",
        &[
            "target_platform",
            "target_external_id",
            "status",
            "created_at",
            "expires_at",
        ],
    ),
    (
        "checkin_schedules_proposed",
        "FROM checkin_schedules WHERE proposed_by = $1 ORDER BY created_at",
        &[
            "couple_id",
            "status",
            "recurrence",
            "time_zone",
            "kind",
            "deck",
            "created_at",
        ],
    ),
    (
        "checkin_answers",
        "FROM checkin_answers a JOIN checkin_rounds r ON r.id = a.round_id WHERE a.user_id = $1 ORDER BY a.answered_at",
        &["r.question", "a.rating", "a.answer", "a.answered_at"],
    ),
    (
        "goals",
        "FROM goals WHERE owner_id = $1 OR proposed_by = $1 ORDER BY created_at",
        &[
            "id",
            "couple_id",
            "kind",
            "title",
            "per_week",
            "due_date",
            "status",
            "created_at",
        ],
    ),
    (
        "goal_logs",
        "FROM goal_logs WHERE user_id = $1 ORDER BY logged_at",
        &["goal_id", "local_date", "note", "status", "logged_at"],
    ),
    (
        "agreements_proposed",
        "FROM agreements WHERE proposed_by = $1 ORDER BY created_at",
        &["couple_id", "text", "status", "created_at"],
    ),
    (
        "journal",
        "FROM journal_entries WHERE user_id = $1 ORDER BY created_at",
        &["id", "text", "created_at", "shared_round_id"],
    ),
    (
        "appreciations_sent",
        "FROM appreciations WHERE from_user = $1 ORDER BY created_at",
        &["text", "created_at"],
    ),
    (
        "appreciations_received",
        "FROM appreciations WHERE to_user = $1 ORDER BY created_at",
        &["text", "created_at"],
    ),
];

/// Columns holding whole numbers; `*_at` columns hold times.
const NUMBERS: &[&str] = &[
    "id",
    "couple_id",
    "goal_id",
    "rating",
    "per_week",
    "quiet_start",
    "quiet_end",
    "reword_nudges",
    "shared_round_id",
];

/// Everything stored about the person, section by section.
pub async fn export(tx: &mut Tx, user_id: i64) -> anyhow::Result<Value> {
    let mut document = Map::new();
    for (section, from, columns) in SECTIONS {
        let selected: Vec<String> = columns
            .iter()
            .map(|column| format!("CAST({column} AS TEXT)"))
            .collect();
        let sql = format!("SELECT {} {from}", selected.join(", "));
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_all(&mut **tx)
            .await
            .with_context(|| format!("cannot export {section}"))?;
        let mut items = Vec::new();
        for row in rows {
            let mut item = Map::new();
            for (index, column) in columns.iter().enumerate() {
                let name = column.rsplit('.').next().unwrap_or(column);
                let text: Option<String> = row.try_get(index)?;
                item.insert(name.to_owned(), typed(name, text)?);
            }
            items.push(Value::Object(item));
        }
        let value = if *section == "profile" {
            items.pop().unwrap_or(Value::Null)
        } else {
            Value::Array(items)
        };
        document.insert((*section).to_owned(), value);
    }
    Ok(Value::Object(document))
}

fn typed(name: &str, text: Option<String>) -> anyhow::Result<Value> {
    let Some(text) = text else {
        return Ok(Value::Null);
    };
    if name.ends_with("_at") {
        let seconds: i64 = text
            .parse()
            .with_context(|| format!("bad time in {name}"))?;
        return Ok(Value::String(from_db(seconds)?.to_rfc3339()));
    }
    if NUMBERS.contains(&name) {
        let number: i64 = text
            .parse()
            .with_context(|| format!("bad number in {name}"))?;
        return Ok(Value::from(number));
    }
    Ok(Value::String(text))
}

/// Deletes the person and what they wrote, plus the delivery log of their
/// couples and of messages to them (it holds copies of their words).
pub async fn delete(tx: &mut Tx, user_id: i64, user: &UserRef) -> anyhow::Result<()> {
    sqlx::query(
        "DELETE FROM outbox WHERE couple_id IN (SELECT couple_id FROM memberships WHERE user_id = $1)",
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await
    .context("cannot delete the couple's delivery log")?;
    sqlx::query(
        "DELETE FROM outbox WHERE recipient_kind = 'user' AND platform = $1 AND recipient_id = $2",
    )
    .bind(user.platform.as_str())
    .bind(&user.id)
    .execute(&mut **tx)
    .await
    .context("cannot delete messages to the person")?;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .context("cannot delete the person")?;
    Ok(())
}
