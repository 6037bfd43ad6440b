//! Commands that belittle: "stop acting like a child", "stop texting me at
//! work about nonsense", "can u stop being so negative", "grow up". "stop,
//! ur making me blush" and "stop apologizing, it's fine" are kind.

use super::clause::opening;
use super::{Cue, Findings, Focus};
use crate::coach::text::{Kind, Lexicon, Tokens};

pub fn find(lex: &Lexicon, tokens: &Tokens<'_>, found: &mut Findings) {
    let all = &tokens.all;
    let w = &lex.words;
    let complaint = found.blames() || w.negative.occurs_in(all);
    for sentence in &tokens.sentences {
        let start = opening(lex, all, sentence);
        let span = &all[sentence.start..sentence.end];
        if w.laughter.occurs_in(span) {
            continue; // "stop making me laugh 😂"
        }
        if w.ultimatums.occurs_in(span) {
            found.add(Cue::Ultimatum);
        }
        let kind = w.positive.occurs_in(span);
        if let Some(length) = w.command_verbs.match_at(all, start)
            && !kind
        {
            let next = start + length;
            let doing = all
                .get(next)
                .is_some_and(|t| next < sentence.end && lex.is_progressive(t));
            if doing && w.stop_kind.match_at(all, next).is_none() {
                found.add(Cue::Stop);
                // "stop being so dramatic": the label it carries.
                if let Some(label) = (next + 1..sentence.end).find_map(|i| w.labels.find_at(all, i))
                {
                    found.add(Cue::Label);
                    found.focus_on(Focus::Label(label.phrase.to_owned()));
                }
                continue;
            }
        }
        if let Some(length) = w.commands.match_at(all, start) {
            let after = start + length;
            let whole = after >= sentence.end || all[after].kind == Kind::Mark;
            // "grow up" opens a command; one word ("stop.") must be the whole
            // sentence, with a complaint beside it.
            if length > 1 || whole && complaint && tokens.sentences.len() > 1 {
                found.add(Cue::CommandPhrase);
            }
        }
    }
}
