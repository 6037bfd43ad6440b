//! The I-statement coach, offline and in Rust: it spots blaming messages,
//! says why in plain words, and suggests "I feel … when … because … could
//! we …" instead. Words come from `prompts/<locale>/coach.toml`.
//!
//! - [`text`]: sentences, tokens and phrase matching.
//! - [`lexicon`]: the vocabulary, read once at start.
//! - [`analyze`]: the blame rules and the crisis check.
//! - [`rewrite`]: building and checking the suggestion.
//! - [`llm`]: an optional local language model for the wording, with the
//!   rules as the fallback.

pub mod analyze;
pub mod lexicon;
pub mod llm;
pub mod rewrite;

pub mod text;

pub use analyze::{Analysis, Reason};
pub use lexicon::{Lexicon, LexiconError};
pub use rewrite::Suggestion;

use crate::prompts::Catalog;

/// The coach for one locale. Cheap to share; all methods are pure.
#[derive(Clone, Debug)]
pub struct Coach {
    lexicon: Lexicon,
}

impl Coach {
    pub fn from_catalog(catalog: &Catalog) -> Result<Coach, LexiconError> {
        let lexicon = Lexicon::from_catalog(catalog)?;
        Ok(Coach { lexicon })
    }

    pub fn analyze(&self, message: &str) -> Analysis {
        analyze::analyze(&self.lexicon, message)
    }

    /// The I-statement for an analysed message, optionally with a feeling
    /// the author chose.
    pub fn suggest(&self, analysis: &Analysis, feeling: Option<&str>) -> Suggestion {
        rewrite::suggest(&self.lexicon, analysis, feeling)
    }

    /// Whether a suggestion (ours or a model's) passes the coach's checks.
    pub fn is_sound(&self, suggestion: &str) -> bool {
        rewrite::is_sound(&self.lexicon, suggestion)
    }

    /// The feelings offered to choose from, without the one in use.
    pub fn other_feelings(&self, current: &str) -> Vec<&str> {
        self.lexicon
            .feeling_choices
            .iter()
            .map(String::as_str)
            .filter(|f| *f != current)
            .collect()
    }

    /// Whether a feeling is one the coach can use.
    pub fn knows_feeling(&self, feeling: &str) -> bool {
        self.lexicon.feelings.iter().any(|f| f == feeling)
    }

    pub fn feelings(&self) -> &[String] {
        &self.lexicon.feelings
    }
}

/// The outside view of one message, as `rapport reword --json` writes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Verdict {
    pub blaming: bool,
    /// Reason codes; `crisis` when the message gets crisis resources.
    pub reasons: Vec<&'static str>,
    /// `None` when not blaming, or for a crisis (help instead of advice).
    pub suggestion: Option<String>,
}

/// Analyses and (if blaming) rewrites one message with the rules.
pub fn verdict(coach: &Coach, message: &str) -> Verdict {
    let analysis = coach.analyze(message);
    if analysis.crisis {
        return Verdict {
            blaming: false,
            reasons: vec!["crisis"],
            suggestion: None,
        };
    }
    Verdict {
        blaming: analysis.blaming(),
        reasons: analysis.reasons.iter().map(|r| r.code()).collect(),
        suggestion: analysis
            .blaming()
            .then(|| coach.suggest(&analysis, None).text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coach() -> Coach {
        Coach::from_catalog(&Catalog::embedded().unwrap()).unwrap()
    }

    fn reasons(text: &str) -> Vec<&'static str> {
        coach()
            .analyze(text)
            .reasons
            .iter()
            .map(|r| r.code())
            .collect()
    }

    #[test]
    fn each_rule_fires_on_its_example() {
        assert_eq!(
            reasons("You never text me back."),
            ["you_accusation", "absolute"]
        );
        assert_eq!(reasons("You always leave dishes in the sink"), ["absolute"]);
        assert_eq!(reasons("You're so selfish"), ["label"]);
        assert_eq!(
            reasons("I feel like you don't care about me"),
            ["you_accusation", "disguised_you"]
        );
        assert_eq!(
            reasons("Why can't you ever be on time?"),
            ["rhetorical_question"]
        );
        assert_eq!(reasons("Whatever."), ["contempt"]);
        assert_eq!(reasons("You ignored me at the party"), ["you_accusation"]);
    }

    #[test]
    fn affection_and_requests_are_left_alone() {
        for kind in [
            "You mean the world to me",
            "Can you pick up milk?",
            "I'll love you always",
            "You always make me smile",
            "You never fail to make me laugh",
            "You don't have to cook tonight, I've got it",
            "Whatever you want for dinner is fine",
            "Why do you like jazz so much?",
            "You're not lazy, you're exhausted",
        ] {
            assert!(reasons(kind).is_empty(), "{kind}: {:?}", reasons(kind));
        }
    }

    #[test]
    fn suggestions_keep_the_topic_and_pass_their_own_checks() {
        let coach = coach();
        for (message, expected) in [
            (
                "You never text me back",
                "I'm waiting for you to text me back",
            ),
            (
                "You always leave dishes in the sink",
                "when you leave dishes in the sink",
            ),
            ("You ignored me at the party", "I was ignored at the party"),
            ("You don't listen to me", "I don't feel heard"),
            ("You're so selfish", "it seems my needs come second"),
        ] {
            let suggestion = coach.suggest(&coach.analyze(message), None);
            assert!(
                suggestion.text.contains(expected),
                "{message}: {}",
                suggestion.text
            );
            assert!(
                coach.is_sound(&suggestion.text),
                "{message}: {}",
                suggestion.text
            );
        }
        let anxious = coach.suggest(&coach.analyze("You never text me back"), None);
        assert_eq!(anxious.feeling, "anxious");
        let chosen = coach.suggest(&coach.analyze("You never text me back"), Some("lonely"));
        assert!(
            chosen.text.starts_with("I feel lonely when"),
            "{}",
            chosen.text
        );
    }

    #[test]
    fn crisis_words_are_recognised() {
        let analysis = coach().analyze("Sometimes I want to die when you yell");
        assert!(analysis.crisis);
        assert!(!analysis.blaming(), "a crisis gets help, not a rewrite");
    }
}
