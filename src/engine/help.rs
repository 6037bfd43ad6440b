//! `help`: an overview of the commands, or one topic in detail.

use super::Ctx;
use super::command::HelpTopic;
use super::message::{Outgoing, Reply};
use crate::prompts::Key;

pub(super) fn run(ctx: &Ctx<'_>, topic: Option<HelpTopic>) -> Vec<Outgoing> {
    let key = match topic {
        None => Key::HelpOverview,
        Some(HelpTopic::Pair) => Key::HelpPair,
        Some(HelpTopic::Settings) => Key::HelpSettings,
        Some(HelpTopic::Checkin) => Key::HelpCheckin,
        Some(HelpTopic::Reword) => Key::HelpReword,
    };
    vec![Outgoing::to_requester(Reply::private(ctx.say(key, &[])))]
}
