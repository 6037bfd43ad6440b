//! Personal settings (time zone, quiet hours), answered privately; and a
//! shared space's settings, which only its moderators change, answered in
//! the space so everyone there knows.
//!
//! The couple's own zone (for goal due days and recaps) starts as the
//! inviter's at pairing, else the default, and follows a member who sets a
//! zone when it can only have been theirs: it was their old zone and not
//! the partner's, or the partner has none of their own or the same one.

use chrono_tz::Tz;

use super::command::SettingsCommand;
use super::message::{Outgoing, Place};
use super::{Ctx, goals};
use crate::domain::Reply;
use crate::domain::zone::city_for_abbreviation;
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::{couples, spaces, users};

pub(super) async fn run(
    ctx: &mut Ctx<'_>,
    command: &SettingsCommand,
) -> EngineResult<Vec<Outgoing>> {
    let text = match command {
        SettingsCommand::Show => show(ctx),
        SettingsCommand::Zone(zone) => {
            users::set_time_zone(ctx.tx, ctx.me.id, *zone).await?;
            let key = if couple_follows(ctx, *zone).await? {
                Key::SettingsZoneSetShared
            } else {
                Key::SettingsZoneSet
            };
            let mut text = ctx.say(key, &[("zone", zone.name())]);
            if let Some(city) = city_for_abbreviation(zone.name()) {
                text.push(' ');
                text.push_str(&ctx.say(
                    Key::SettingsZoneAbbreviation,
                    &[("zone", zone.name()), ("city", city)],
                ));
            }
            text
        }
        SettingsCommand::Quiet(Some(hours)) => {
            users::set_quiet_hours(ctx.tx, ctx.me.id, Some(*hours)).await?;
            ctx.say(Key::SettingsQuietSet, &[("hours", &hours.to_string())])
        }
        SettingsCommand::Quiet(None) => {
            users::set_quiet_hours(ctx.tx, ctx.me.id, None).await?;
            ctx.say(Key::SettingsQuietOff, &[])
        }
        SettingsCommand::Space { nudges } => return space(ctx, *nudges).await,
    };
    Ok(vec![Outgoing::to_requester(Reply::private(text))])
}

/// Moves the couple's zone to a member's new `zone` when it can only have
/// been theirs; whether it moved.
async fn couple_follows(ctx: &mut Ctx<'_>, zone: Tz) -> EngineResult<bool> {
    let Some(couple) = couples::active_for_user(ctx.tx, ctx.me.id).await? else {
        return Ok(false);
    };
    if couple.time_zone == zone {
        return Ok(false);
    }
    let theirs = couples::partner_of(ctx.tx, couple.id, ctx.me.id)
        .await?
        .time_zone;
    // `ctx.me` was read before the change: its zone is the old one.
    let was_mine_alone =
        ctx.me.time_zone == Some(couple.time_zone) && theirs != Some(couple.time_zone);
    if !was_mine_alone && theirs.is_some_and(|theirs| theirs != zone) {
        return Ok(false);
    }
    couples::set_time_zone(ctx.tx, couple.id, zone).await?;
    goals::move_reminders(ctx.tx, couple.id, zone).await?;
    Ok(true)
}

async fn space(ctx: &mut Ctx<'_>, nudges: Option<bool>) -> EngineResult<Vec<Outgoing>> {
    let Place::Space(space) = ctx.place else {
        return Err(UserError::SpaceSettingElsewhere.into());
    };
    let Some(allowed) = nudges else {
        let state = if spaces::nudges_allowed(ctx.tx, space).await? {
            Key::SettingsSpaceAllowed
        } else {
            Key::SettingsSpaceRefused
        };
        let state = ctx.say(state, &[]);
        return Ok(vec![Outgoing::to_requester(Reply::private(
            ctx.say(Key::SettingsSpaceShow, &[("nudges", &state)]),
        ))]);
    };
    if !ctx.actor.moderator {
        return Err(UserError::NotModerator.into());
    }
    spaces::set_nudges_allowed(ctx.tx, space, allowed, ctx.now).await?;
    let text = if allowed {
        Key::SettingsSpaceNudgesOn
    } else {
        Key::SettingsSpaceNudgesOff
    };
    Ok(vec![Outgoing::to_requester(Reply::public(
        ctx.say(text, &[]),
    ))])
}

fn show(ctx: &Ctx<'_>) -> String {
    let not_set = ctx.say(Key::FormatNotSet, &[]);
    let zone = match ctx.me.time_zone {
        Some(zone) => zone.name().to_owned(),
        None => format!("{} ({not_set})", ctx.zone_of(&ctx.me).name()),
    };
    let quiet = ctx
        .me
        .quiet_hours
        .map_or(not_set, |hours| hours.to_string());
    ctx.say(Key::SettingsShow, &[("zone", &zone), ("quiet", &quiet)])
}
