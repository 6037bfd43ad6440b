//! `help`: an overview of the commands, or one topic in detail.

use super::Ctx;
use super::command::HelpTopic;
use super::message::Outgoing;
use crate::domain::Reply;
use crate::prompts::Key;

pub(super) fn run(ctx: &Ctx<'_>, topic: Option<HelpTopic>) -> Vec<Outgoing> {
    let key = topic.map_or(Key::HelpOverview, HelpTopic::page);
    vec![Outgoing::to_requester(Reply::private(ctx.say(key, &[])))]
}
