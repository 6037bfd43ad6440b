//! The rules an admin may tune in the config file, with the defaults the
//! config file documents.

use chrono_tz::Tz;

/// Rules an admin may tune in the config file.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// Zone for people and couples who have not chosen one.
    pub default_zone: Tz,
    /// How long an invite code stays valid.
    pub invite_ttl: chrono::Duration,
    /// How long a check-in round stays open for answers.
    pub round_duration: chrono::Duration,
    /// When to nudge a partner who has not answered (once, outside quiet hours).
    pub nudge_after: chrono::Duration,
    /// How late a check-in missed during downtime may still be sent (and
    /// only on the same local day).
    pub catch_up_grace: chrono::Duration,
    /// The admin's crisis resources, one line each (empty: general advice).
    pub crisis_resources: Vec<String>,
    /// Named invites one person may send in a day.
    pub invites_per_day: u32,
    /// How long someone who declined an invite is not invited again by the
    /// same person.
    pub decline_quiet: chrono::Duration,
    /// How long an ended couple's history is kept before it is erased.
    pub history_kept: chrono::Duration,
}

impl Default for Policy {
    /// The config file's defaults (`[pairing]`, `[checkins]`, `[defaults]`).
    fn default() -> Policy {
        Policy {
            default_zone: chrono_tz::UTC,
            invite_ttl: chrono::Duration::hours(48),
            round_duration: chrono::Duration::hours(24),
            nudge_after: chrono::Duration::hours(6),
            catch_up_grace: chrono::Duration::hours(24),
            crisis_resources: Vec::new(),
            invites_per_day: 5,
            decline_quiet: chrono::Duration::days(7),
            history_kept: chrono::Duration::days(30),
        }
    }
}
