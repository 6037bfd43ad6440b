//! `mydata export`: everything stored about one person, as JSON.
//!
//! The export is a list of [`SECTIONS`], each selecting `table.column`s, so
//! which columns leave the store is known without running it; every other
//! column of the schema is in [`EXEMPT`] with the reason it stays out
//! (`tests/it/export_coverage.rs` holds both lists to the schema). Rows are
//! chosen for the person: their own, their couples', and what was sent to
//! them. Text the partner wrote (their goal titles, agreement proposals,
//! notes on the logs the person confirmed) is left out of the couple-wide
//! sections: it is the partner's own, theirs to export.

use std::collections::BTreeSet;

use anyhow::Context;
use serde_json::{Map, Value};
use sqlx::AssertSqlSafe;
use sqlx::Row;

use super::{Tx, from_db};

/// One part of the export: its name, the `table.column`s it selects
/// (separated by commas) and the rest of the query, on the person's id
/// (`$1`). Each item's fields are named after the bare column.
pub const SECTIONS: &[(&str, &str, &str)] = &[
    (
        "profile",
        "users.id, users.platform, users.external_id, users.display_name, users.time_zone,
         users.quiet_start, users.quiet_end, users.created_at, users.handle, users.renumbered",
        "FROM users WHERE users.id = $1",
    ),
    (
        "couples",
        "memberships.couple_id, memberships.joined_at, memberships.left_at, couples.ended_at,
         memberships.reword_nudges, couples.space_platform, couples.space_id, couples.time_zone,
         couples.created_at, couples.reword_nudge_count, couples.space_opened,
         couples.history_erased_at",
        "FROM memberships JOIN couples ON couples.id = memberships.couple_id
         WHERE memberships.user_id = $1 ORDER BY memberships.joined_at",
    ),
    (
        // Offers to bring an earlier couple's history into a new one.
        "history_offers",
        "history_restores.couple_id, history_restores.old_couple_id, history_restores.yes_by,
         history_restores.created_at",
        "FROM history_restores WHERE history_restores.couple_id IN
           (SELECT memberships.couple_id FROM memberships WHERE memberships.user_id = $1)",
    ),
    (
        "invites_sent",
        "invites.target_platform, invites.target_external_id, invites.space_platform,
         invites.space_id, invites.status, invites.created_at, invites.expires_at,
         invites.answered_by, invites.answered_at",
        "FROM invites WHERE invites.inviter_id = $1 ORDER BY invites.created_at",
    ),
    (
        "invites_received",
        "invites.inviter_id, invites.target_platform, invites.target_external_id,
         invites.space_platform, invites.space_id, invites.status, invites.created_at,
         invites.expires_at, invites.answered_by, invites.answered_at",
        "FROM invites WHERE invites.answered_by = $1 OR EXISTS (SELECT 1 FROM users
         WHERE users.id = $1 AND users.platform = invites.target_platform
           AND users.external_id = invites.target_external_id)
         ORDER BY invites.created_at",
    ),
    (
        "checkin_schedules_proposed",
        "checkin_schedules.id, checkin_schedules.couple_id, checkin_schedules.status,
         checkin_schedules.recurrence, checkin_schedules.time_zone, checkin_schedules.kind,
         checkin_schedules.deck, checkin_schedules.next_local, checkin_schedules.next_fire_at,
         checkin_schedules.paused_until, checkin_schedules.skip_next,
         checkin_schedules.missed_count, checkin_schedules.created_at, checkin_schedules.ended_at",
        "FROM checkin_schedules WHERE checkin_schedules.proposed_by = $1
         ORDER BY checkin_schedules.created_at",
    ),
    (
        "checkin_rounds",
        "checkin_rounds.id, checkin_rounds.couple_id, checkin_rounds.schedule_id,
         checkin_rounds.occurrence, checkin_rounds.status, checkin_rounds.kind,
         checkin_rounds.deck, checkin_rounds.question, checkin_rounds.opened_at,
         checkin_rounds.closes_at, checkin_rounds.nudge_at, checkin_rounds.finished_at",
        "FROM checkin_rounds WHERE checkin_rounds.couple_id IN
           (SELECT memberships.couple_id FROM memberships WHERE memberships.user_id = $1)
         ORDER BY checkin_rounds.opened_at, checkin_rounds.id",
    ),
    (
        "checkin_answers",
        "checkin_answers.round_id, checkin_rounds.question, checkin_answers.rating,
         checkin_answers.answer, checkin_answers.answered_at",
        "FROM checkin_answers JOIN checkin_rounds ON checkin_rounds.id = checkin_answers.round_id
         WHERE checkin_answers.user_id = $1 ORDER BY checkin_answers.answered_at",
    ),
    (
        "checkin_nudges",
        "checkin_nudges.round_id, checkin_nudges.sent_at",
        "FROM checkin_nudges WHERE checkin_nudges.user_id = $1 ORDER BY checkin_nudges.sent_at",
    ),
    (
        "goals",
        "goals.id, goals.couple_id, goals.number, goals.kind, goals.owner_id, goals.proposed_by,
         goals.title,
         goals.per_week, goals.due_date, goals.status, goals.remind_at, goals.created_at,
         goals.decided_at",
        "FROM goals WHERE goals.owner_id = $1 OR goals.proposed_by = $1
         ORDER BY goals.created_at, goals.id",
    ),
    (
        "couple_goals",
        "goals.id, goals.couple_id, goals.number, goals.kind, goals.owner_id, goals.proposed_by,
         goals.status, goals.created_at, goals.decided_at",
        "FROM goals WHERE goals.couple_id IN
           (SELECT memberships.couple_id FROM memberships WHERE memberships.user_id = $1)
         ORDER BY goals.created_at, goals.id",
    ),
    (
        "goal_logs",
        "goal_logs.goal_id, goal_logs.local_date, goal_logs.note, goal_logs.status,
         goal_logs.confirmed_by, goal_logs.logged_at, goal_logs.confirmed_at",
        "FROM goal_logs WHERE goal_logs.user_id = $1 ORDER BY goal_logs.logged_at",
    ),
    (
        // The partner's logs the person confirmed; the partner's note is theirs.
        "goal_confirmations",
        "goal_logs.goal_id, goal_logs.user_id, goal_logs.local_date, goal_logs.status,
         goal_logs.logged_at, goal_logs.confirmed_at",
        "FROM goal_logs WHERE goal_logs.confirmed_by = $1 ORDER BY goal_logs.confirmed_at",
    ),
    (
        "agreements_proposed",
        "agreements.id, agreements.couple_id, agreements.number, agreements.text,
         agreements.status, agreements.replaces_id, agreements.retires, agreements.created_at,
         agreements.decided_at",
        "FROM agreements WHERE agreements.proposed_by = $1
         ORDER BY agreements.created_at, agreements.id",
    ),
    (
        "couple_agreements",
        "agreements.id, agreements.couple_id, agreements.number, agreements.status,
         agreements.replaces_id, agreements.retires, agreements.proposed_by,
         agreements.created_at, agreements.decided_at",
        "FROM agreements WHERE agreements.couple_id IN
           (SELECT memberships.couple_id FROM memberships WHERE memberships.user_id = $1)
         ORDER BY agreements.created_at, agreements.id",
    ),
    (
        "journal",
        "journal_entries.id, journal_entries.number, journal_entries.text,
         journal_entries.created_at,
         journal_entries.share_couple_id, journal_entries.shared_round_id",
        "FROM journal_entries WHERE journal_entries.user_id = $1
         ORDER BY journal_entries.created_at, journal_entries.id",
    ),
    (
        "appreciations_sent",
        "appreciations.couple_id, appreciations.to_user, appreciations.text,
         appreciations.created_at, appreciations.held",
        "FROM appreciations WHERE appreciations.from_user = $1
         ORDER BY appreciations.created_at, appreciations.id",
    ),
    (
        "appreciations_received",
        "appreciations.couple_id, appreciations.from_user, appreciations.text,
         appreciations.created_at",
        "FROM appreciations WHERE appreciations.to_user = $1 AND appreciations.held = 0
         ORDER BY appreciations.created_at, appreciations.id",
    ),
    (
        "recap_schedules_set",
        "recap_schedules.couple_id, recap_schedules.recurrence, recap_schedules.time_zone,
         recap_schedules.next_local, recap_schedules.next_fire_at, recap_schedules.created_at",
        "FROM recap_schedules WHERE recap_schedules.set_by = $1
         ORDER BY recap_schedules.created_at",
    ),
    (
        "recap_proposed",
        "recap_proposals.couple_id, recap_proposals.recurrence, recap_proposals.time_zone,
         recap_proposals.created_at",
        "FROM recap_proposals WHERE recap_proposals.proposed_by = $1",
    ),
    (
        "checkin_now_requested",
        "checkin_now_requests.couple_id, checkin_now_requests.requested_at",
        "FROM checkin_now_requests WHERE checkin_now_requests.requested_by = $1",
    ),
    (
        "space_proposed",
        "space_proposals.couple_id, space_proposals.target, space_proposals.platform,
         space_proposals.space_id, space_proposals.created_at",
        "FROM space_proposals WHERE space_proposals.proposed_by = $1",
    ),
    (
        // To the person, to their couples (either partner or the space), or
        // carrying their words. Only the key, where and when: what a message
        // says is in `message_payloads`, for those the person may read.
        "messages",
        "outbox.id, outbox.idempotency_key, outbox.couple_id, outbox.recipient_kind,
         outbox.platform, outbox.recipient_id, outbox.state, outbox.attempts,
         outbox.next_attempt_at, outbox.last_error, outbox.created_at, outbox.finished_at,
         outbox.journal_entry_id, outbox.posted, outbox.couple_only",
        "FROM outbox WHERE outbox.couple_id IN
           (SELECT memberships.couple_id FROM memberships WHERE memberships.user_id = $1)
         OR (outbox.recipient_kind = 'user' AND EXISTS (SELECT 1 FROM users
             WHERE users.id = $1 AND users.platform = outbox.platform
               AND users.external_id = outbox.recipient_id))
         OR outbox.id IN (SELECT outbox_authors.outbox_id FROM outbox_authors
                          WHERE outbox_authors.user_id = $1)
         ORDER BY outbox.created_at, outbox.id",
    ),
    (
        // The words of messages still waiting (NULL once final, by design)
        // that go to the person or their couple's space, or carry their words.
        "message_payloads",
        "outbox.idempotency_key, outbox.payload",
        "FROM outbox WHERE outbox.payload IS NOT NULL AND (
           (outbox.recipient_kind = 'space' AND outbox.couple_id IN
             (SELECT memberships.couple_id FROM memberships WHERE memberships.user_id = $1))
         OR (outbox.recipient_kind = 'user' AND EXISTS (SELECT 1 FROM users
             WHERE users.id = $1 AND users.platform = outbox.platform
               AND users.external_id = outbox.recipient_id))
         OR outbox.id IN (SELECT outbox_authors.outbox_id FROM outbox_authors
                          WHERE outbox_authors.user_id = $1))
         ORDER BY outbox.created_at, outbox.id",
    ),
];

const OWN: &str = "the person's own id (profile.id): the section holds only their rows";
const INTERNAL: &str = "internal bookkeeping, no information about the person";
const ROTATION: &str = "question rotation bookkeeping; the questions asked are in checkin_rounds";
const OPENING: &str =
    "a delivery worker's task of opening the couple's room; the room is under couples";
const SPACE: &str = "what a space's moderators allow, about no person (who changed it is not kept)";
const LEASE: &str = "which rapport process does one-at-a-time work, about no one";
const SLOT: &str = "when the bot may next call Discord, shared by its processes; about no one";
const OFFER: &str = "which choices a message of rapport's offered, so a pick by number works \
    after a restart; names no person and is forgotten after a week";

/// Columns deliberately not exported, each with the reason.
pub const EXEMPT: &[(&str, &str)] = &[
    (
        "couples.id",
        "the same number as memberships.couple_id, exported",
    ),
    ("memberships.user_id", OWN),
    ("invites.id", INTERNAL),
    (
        "invites.code",
        "a one-time pairing secret, kept out of a file that may travel",
    ),
    ("checkin_schedules.proposed_by", OWN),
    ("checkin_answers.user_id", OWN),
    ("checkin_nudges.user_id", OWN),
    ("deck_usage.couple_id", ROTATION),
    ("deck_usage.deck", ROTATION),
    ("deck_usage.question_index", ROTATION),
    (
        "outbox.claimed_until",
        "a delivery worker's lease time, internal bookkeeping",
    ),
    (
        "outbox_authors.outbox_id",
        "marks messages carrying the person's words; those are under messages",
    ),
    ("outbox_authors.user_id", OWN),
    ("goal_logs.id", INTERNAL),
    ("journal_entries.user_id", OWN),
    ("appreciations.id", INTERNAL),
    ("recap_schedules.set_by", OWN),
    ("recap_proposals.proposed_by", OWN),
    ("checkin_now_requests.requested_by", OWN),
    ("space_proposals.proposed_by", OWN),
    ("space_openings.id", OPENING),
    ("space_openings.couple_id", OPENING),
    ("space_openings.platform", OPENING),
    ("space_openings.parent_id", OPENING),
    ("space_openings.state", OPENING),
    ("space_openings.attempts", OPENING),
    ("space_openings.next_attempt_at", OPENING),
    ("space_openings.created_at", OPENING),
    ("space_settings.platform", SPACE),
    ("space_settings.space_id", SPACE),
    ("space_settings.nudges_allowed", SPACE),
    ("space_settings.updated_at", SPACE),
    ("maintenance.task", "one-off start-up work, about no one"),
    ("choice_offers.id", OFFER),
    ("choice_offers.platform", OFFER),
    ("choice_offers.place", OFFER),
    ("choice_offers.message", OFFER),
    ("choice_offers.position", OFFER),
    ("choice_offers.command", OFFER),
    ("choice_offers.note", OFFER),
    ("choice_offers.offered_at", OFFER),
    ("leases.name", LEASE),
    ("leases.holder", LEASE),
    ("leases.until", LEASE),
    ("send_slots.budget", SLOT),
    ("send_slots.next_at", SLOT),
    (
        "journal_entries.written_by",
        "the platform's id of the chat message that wrote the entry, so an edit of it \
         can change the entry; gone with the entry",
    ),
];

/// Fields holding whole numbers; `*_at` and `*_until` fields hold times.
const NUMBERS: &str = "id couple_id goal_id round_id schedule_id user_id owner_id proposed_by
    inviter_id answered_by confirmed_by from_user to_user replaces_id share_couple_id
    shared_round_id journal_entry_id rating per_week quiet_start quiet_end reword_nudges
    reword_nudge_count skip_next missed_count attempts";

/// Fields holding JSON written by rapport.
const JSON: &[&str] = &["payload", "posted"];

/// A section's `table.column`s.
pub fn columns_of(columns: &'static str) -> impl Iterator<Item = &'static str> {
    columns.split(',').map(str::trim).filter(|c| !c.is_empty())
}

/// Every `table.column` some section exports.
pub fn exported_columns() -> BTreeSet<String> {
    SECTIONS
        .iter()
        .flat_map(|(_, columns, _)| columns_of(columns))
        .map(str::to_owned)
        .collect()
}

/// Everything stored about the person, section by section.
pub async fn export(tx: &mut Tx, user_id: i64) -> anyhow::Result<Value> {
    let mut document = Map::new();
    for (section, columns, from) in SECTIONS {
        let mut items = section_items(tx, user_id, columns, from)
            .await
            .with_context(|| format!("cannot export {section}"))?;
        let value = if *section == "profile" {
            items.pop().unwrap_or(Value::Null)
        } else {
            Value::Array(items)
        };
        document.insert((*section).to_owned(), value);
    }
    Ok(Value::Object(document))
}

/// One section's rows, each column read as text and typed by its name.
async fn section_items(
    tx: &mut Tx,
    user_id: i64,
    columns: &'static str,
    from: &str,
) -> anyhow::Result<Vec<Value>> {
    let columns: Vec<&str> = columns_of(columns).collect();
    let selected: Vec<String> = columns
        .iter()
        .map(|column| format!("CAST({column} AS TEXT)"))
        .collect();
    let sql = format!("SELECT {} {from}", selected.join(", "));
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_all(&mut **tx)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let mut item = Map::new();
        for (index, column) in columns.iter().enumerate() {
            let name = field_name(column);
            let text: Option<String> = row.try_get(index)?;
            item.insert(name.to_owned(), typed(name, text)?);
        }
        items.push(Value::Object(item));
    }
    Ok(items)
}

/// The item field a `table.column` fills: the bare column.
fn field_name(column: &str) -> &str {
    column.rsplit('.').next().unwrap_or(column)
}

fn typed(name: &str, text: Option<String>) -> anyhow::Result<Value> {
    let Some(text) = text else {
        return Ok(Value::Null);
    };
    if name.ends_with("_at") || name.ends_with("_until") {
        let seconds: i64 = text
            .parse()
            .with_context(|| format!("bad time in {name}"))?;
        return Ok(Value::String(from_db(seconds)?.to_rfc3339()));
    }
    if NUMBERS.split_whitespace().any(|number| number == name) {
        let number: i64 = text
            .parse()
            .with_context(|| format!("bad number in {name}"))?;
        return Ok(Value::from(number));
    }
    if JSON.contains(&name) {
        return Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)));
    }
    Ok(Value::String(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_section_fills_one_field_from_two_columns() {
        for (section, columns, _) in SECTIONS {
            let mut seen = BTreeSet::new();
            for column in columns_of(columns) {
                assert!(column.contains('.'), "{section}: {column} names no table");
                assert!(
                    seen.insert(field_name(column)),
                    "{section}: two columns fill {column}"
                );
            }
        }
    }
}
