//! The cues the rules report, each with its name (a feature of the model)
//! and the plain reason it stands for, if it blames.

/// Why a message reads as blaming; each has a plain-words text in the
/// prompts (`reword.reason_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    YouAccusation,
    Absolute,
    Label,
    Disguised,
    Rhetorical,
    Contempt,
    Command,
    Past,
}

impl Reason {
    pub const ALL: [Reason; 8] = [
        Reason::YouAccusation,
        Reason::Absolute,
        Reason::Label,
        Reason::Disguised,
        Reason::Rhetorical,
        Reason::Contempt,
        Reason::Command,
        Reason::Past,
    ];

    /// The reasons from the one that says most about a message to the
    /// one that says least: sarcasm tells more than "you" does.
    pub const MOST_TELLING: [Reason; 8] = [
        Reason::Contempt,
        Reason::Command,
        Reason::Label,
        Reason::Rhetorical,
        Reason::Disguised,
        Reason::Past,
        Reason::Absolute,
        Reason::YouAccusation,
    ];

    /// A stable code, used by `rapport reword --json`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::YouAccusation => "you_accusation",
            Reason::Absolute => "absolute",
            Reason::Label => "label",
            Reason::Disguised => "disguised_you",
            Reason::Rhetorical => "rhetorical_question",
            Reason::Contempt => "contempt",
            Reason::Command => "command",
            Reason::Past => "brings_up_past",
        }
    }
}

/// Declares the cues with their names and reasons.
macro_rules! cues {
    ($($cue:ident => $name:literal, $reason:expr;)*) => {
        /// Something a rule found in a message.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Cue {
            $($cue,)*
        }

        // A set of cues is a bit set of 128.
        const _: () = assert!(Cue::ALL.len() <= 128);

        impl Cue {
            pub const ALL: &'static [Cue] = &[$(Cue::$cue,)*];

            /// The cue's name, as the model's weights name it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Cue::$cue => $name,)*
                }
            }

            /// Whether a blaming cue only describes ("you spent …") rather
            /// than names a kind of blame.
            pub fn is_weak(self) -> bool {
                matches!(self, Cue::PartnerAct | Cue::PartnerPast | Cue::SuchA | Cue::Intensified)
            }

            /// The reason a cue stands for; `None` for what softens or
            /// only describes a message.
            pub fn reason(self) -> Option<Reason> {
                match self {
                    $(Cue::$cue => $reason,)*
                }
            }
        }
    };
}

use Reason::*;

cues! {
    AccusingVerb => "accusing_verb", Some(YouAccusation);
    NegatedCare => "negated_care", Some(YouAccusation);
    NegatedAct => "negated_act", Some(YouAccusation);
    MakeMe => "make_me", Some(YouAccusation);
    Should => "should", Some(YouAccusation);
    ChoseOver => "chose_over", Some(YouAccusation);
    AloneActs => "alone_acts", Some(YouAccusation);
    ComparedToMe => "compared_to_me", Some(YouAccusation);
    PartnerPast => "partner_past", Some(YouAccusation);
    PartnerAct => "partner_act", Some(YouAccusation);
    BlamePhrase => "blame_phrase", Some(YouAccusation);
    FedUp => "fed_up", Some(YouAccusation);
    IfYouCared => "if_you_cared", Some(YouAccusation);
    TreatLike => "treat_like", Some(YouAccusation);
    Comparison => "comparison", Some(YouAccusation);
    HateWhenYou => "hate_when_you", Some(Disguised);
    AccusingQuestion => "accusing_question", Some(Rhetorical);
    Curt => "curt", Some(Contempt);
    Ultimatum => "ultimatum", Some(Command);
    Absolute => "absolute", Some(Absolute);
    AbsoluteLead => "absolute_lead", Some(Absolute);
    Only => "only", Some(Absolute);
    KeepDoing => "keep_doing", Some(Absolute);
    Again => "again", Some(Past);
    Label => "label", Some(Label);
    SuchA => "such_a", Some(Label);
    Intensified => "intensified", Some(Label);
    ToldYou => "told_you", Some(YouAccusation);
    LikeA => "like_a", Some(Label);
    BadAgent => "bad_agent", Some(Label);
    FeelLikeYou => "feel_like_you", Some(Disguised);
    FeelLikeSelf => "feel_like_self", Some(Disguised);
    WhyYou => "why_you", Some(Rhetorical);
    WhySelf => "why_self", Some(Rhetorical);
    RhetoricalPhrase => "rhetorical_phrase", Some(Rhetorical);
    TagQuestion => "tag_question", Some(Rhetorical);
    NegatedRequest => "negated_request", Some(Rhetorical);
    ContemptPhrase => "contempt_phrase", Some(Contempt);
    Sarcasm => "sarcasm", Some(Contempt);
    SarcasticThanks => "sarcastic_thanks", Some(Contempt);
    IronicEnding => "ironic_ending", Some(Contempt);
    ContemptSymbol => "contempt_symbol", Some(Contempt);
    Stop => "stop", Some(Command);
    CommandPhrase => "command_phrase", Some(Command);
    Positive => "positive", None;
    Affection => "affection", None;
    Laughter => "laughter", None;
    Apology => "apology", None;
    Request => "request", None;
    FeelingClause => "feeling_clause", None;
    ThirdParty => "third_party", None;
    PartnerRef => "partner_ref", None;
    NoPartner => "no_partner", None;
    SelfSubject => "self_subject", None;
    Question => "question", None;
    Exclaim => "exclaim", None;
    Shout => "shout", None;
    Trailing => "trailing", None;
    ComplaintMark => "complaint_mark", None;
    NegativeWord => "negative_word", None;
    Sentences => "several_sentences", None;
    We => "we", None;
}
