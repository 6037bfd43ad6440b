//! The grammar of pairing, the couple's shared space and personal
//! settings: `pair …`, `pair space …` and `settings …`.

use chrono_tz::Tz;

use crate::domain::quiet_hours::QuietHours;
use crate::domain::zone::parse_zone;
use crate::error::UserError;
use crate::prompts::Key;

/// Pairing: invite, answer, leave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PairCommand {
    /// Who I am paired with, and my open invites.
    Status,
    /// Invite a named partner on my platform, or create a code for anyone.
    Invite {
        partner: Option<String>,
    },
    /// Accept by code, or the invite addressed to me when no code is given.
    Accept {
        code: Option<String>,
    },
    Decline {
        code: Option<String>,
    },
    /// Withdraw my open invites.
    Cancel,
    /// End the couple; asks first unless `confirmed`.
    Leave {
        confirmed: bool,
    },
    /// Bring an earlier couple's history back (`true`) or start fresh.
    Restore(bool),
    /// Propose the current space as our shared space.
    Here,
    /// Where our shared space is, or a change of it.
    Space(SpaceCommand),
}

/// `pair space …`: where what is meant for both goes. Every change is a
/// proposal the partner answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpaceCommand {
    /// Where the shared space is and who can read it.
    Status,
    /// A room (Matrix) or private thread (Discord) rapport opens for us.
    Open,
    /// No shared space: each of us privately.
    Private,
    Accept,
    Decline,
}

/// Personal settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsCommand {
    Show,
    Zone(Tz),
    Quiet(Option<QuietHours>),
    /// The current shared space's settings, for its moderators: whether the
    /// coach may nudge about messages there (`None` shows them).
    Space {
        nudges: Option<bool>,
    },
}

pub(super) fn parse_pair(args: &[&str]) -> Result<PairCommand, UserError> {
    let usage = || UserError::Usage {
        usage: Key::UsagePair,
    };
    let Some((sub, rest)) = args.split_first() else {
        return Ok(PairCommand::Status);
    };
    let code = |rest: &[&str]| (!rest.is_empty()).then(|| rest.join(""));
    match (sub.to_lowercase().as_str(), rest) {
        ("status", []) => Ok(PairCommand::Status),
        ("invite", []) => Ok(PairCommand::Invite { partner: None }),
        ("invite", [partner]) => Ok(PairCommand::Invite {
            partner: Some(partner.to_string()),
        }),
        ("accept", rest) if rest.len() <= 2 => Ok(PairCommand::Accept { code: code(rest) }),
        ("decline", rest) if rest.len() <= 2 => Ok(PairCommand::Decline { code: code(rest) }),
        ("cancel", []) => Ok(PairCommand::Cancel),
        ("leave", []) => Ok(PairCommand::Leave { confirmed: false }),
        ("leave", [word]) if word.eq_ignore_ascii_case("confirm") => {
            Ok(PairCommand::Leave { confirmed: true })
        }
        ("here", []) => Ok(PairCommand::Here),
        ("restore", [word]) => match word.to_lowercase().as_str() {
            "yes" => Ok(PairCommand::Restore(true)),
            "no" => Ok(PairCommand::Restore(false)),
            _ => Err(usage()),
        },
        ("space", []) => Ok(PairCommand::Space(SpaceCommand::Status)),
        ("space", [word]) => {
            let space = match word.to_lowercase().as_str() {
                "thread" | "room" => SpaceCommand::Open,
                "private" => SpaceCommand::Private,
                "accept" => SpaceCommand::Accept,
                "decline" => SpaceCommand::Decline,
                _ => return Err(usage()),
            };
            Ok(PairCommand::Space(space))
        }
        _ => Err(usage()),
    }
}

pub(super) fn parse_settings(args: &[&str]) -> Result<SettingsCommand, UserError> {
    let usage = || UserError::Usage {
        usage: Key::UsageSettings,
    };
    let Some((sub, rest)) = args.split_first() else {
        return Ok(SettingsCommand::Show);
    };
    match (sub.to_lowercase().as_str(), rest) {
        ("show", []) => Ok(SettingsCommand::Show),
        ("space", []) => Ok(SettingsCommand::Space { nudges: None }),
        ("space", ["nudges", state]) => match state.to_lowercase().as_str() {
            "on" => Ok(SettingsCommand::Space { nudges: Some(true) }),
            "off" => Ok(SettingsCommand::Space {
                nudges: Some(false),
            }),
            _ => Err(usage()),
        },
        ("zone", words) if !words.is_empty() => {
            parse_zone(&words.join(" ")).map(SettingsCommand::Zone)
        }
        ("quiet", [off]) if off.eq_ignore_ascii_case("off") => Ok(SettingsCommand::Quiet(None)),
        // Accept both `22:00-07:00` and `22:00 - 07:00`.
        ("quiet", window) if !window.is_empty() => {
            QuietHours::parse(&window.join("")).map(|hours| SettingsCommand::Quiet(Some(hours)))
        }
        _ => Err(usage()),
    }
}
