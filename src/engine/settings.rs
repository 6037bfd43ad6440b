//! Personal settings: time zone and quiet hours. Always answered privately.

use super::Ctx;
use super::command::SettingsCommand;
use super::message::{Outgoing, Reply};
use crate::error::EngineResult;
use crate::prompts::Key;
use crate::store::users;

pub(super) async fn run(
    ctx: &mut Ctx<'_>,
    command: &SettingsCommand,
) -> EngineResult<Vec<Outgoing>> {
    let text = match command {
        SettingsCommand::Show => show(ctx),
        SettingsCommand::Zone(zone) => {
            users::set_time_zone(ctx.tx, ctx.me.id, *zone).await?;
            ctx.say(Key::SettingsZoneSet, &[("zone", zone.name())])
        }
        SettingsCommand::Quiet(Some(hours)) => {
            users::set_quiet_hours(ctx.tx, ctx.me.id, Some(*hours)).await?;
            ctx.say(Key::SettingsQuietSet, &[("hours", &hours.to_string())])
        }
        SettingsCommand::Quiet(None) => {
            users::set_quiet_hours(ctx.tx, ctx.me.id, None).await?;
            ctx.say(Key::SettingsQuietOff, &[])
        }
    };
    Ok(vec![Outgoing::to_requester(Reply::private(text))])
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
