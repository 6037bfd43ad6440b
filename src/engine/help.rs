//! `help`: an overview of the commands, or one topic in detail.

use super::Ctx;
use super::command::HelpTopic;
use super::message::Outgoing;
use crate::domain::Reply;
use crate::prompts::Key;

pub(super) fn run(ctx: &Ctx<'_>, topic: Option<HelpTopic>) -> Vec<Outgoing> {
    let key = match topic {
        None => Key::HelpOverview,
        Some(HelpTopic::Pair) => Key::HelpPair,
        Some(HelpTopic::Settings) => Key::HelpSettings,
        Some(HelpTopic::Checkin) => Key::HelpCheckin,
        Some(HelpTopic::Reword) => Key::HelpReword,
        Some(HelpTopic::Goal) => Key::HelpGoal,
        Some(HelpTopic::Agree) => Key::HelpAgree,
        Some(HelpTopic::Journal) => Key::HelpJournal,
        Some(HelpTopic::Appreciate) => Key::HelpAppreciate,
        Some(HelpTopic::Recap) => Key::HelpRecap,
        Some(HelpTopic::Mydata) => Key::HelpMydata,
    };
    vec![Outgoing::to_requester(Reply::private(ctx.say(key, &[])))]
}
