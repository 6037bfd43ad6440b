//! The two kinds of error: [`UserError`] is shown to the person in friendly
//! words from `prompts/`; anything else is internal, logged with its cause
//! chain, and the person sees only a short apology.

use crate::prompts::Key;

/// A problem the person can fix or should know about. Each variant maps to
/// one prompt key; its fields fill that prompt's placeholders.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    #[error("unknown command `{word}`")]
    UnknownCommand {
        word: String,
        /// The command it most likely meant, for a typo.
        near: Option<&'static str>,
    },
    /// Missing or extra arguments; `usage` is the command's usage prompt.
    #[error("wrong arguments, usage {usage:?}")]
    Usage { usage: Key },
    #[error("input longer than {limit} characters")]
    InputTooLong { limit: usize },
    #[error("unknown time zone `{given}`")]
    UnknownZone {
        given: String,
        suggestions: Vec<String>,
    },
    #[error("bad quiet hours `{given}`")]
    BadQuietHours { given: String },
    #[error("no such invite")]
    InviteNotFound,
    #[error("invite expired")]
    InviteExpired,
    #[error("invite already answered or withdrawn")]
    InviteNoLongerValid,
    #[error("invite is for someone else")]
    InviteForSomeoneElse,
    #[error("no invite waiting")]
    NoPendingInvite,
    #[error("cannot pair with yourself")]
    /// `own_invite`: they have an invite out, which `pair cancel` withdraws.
    PairWithSelf { own_invite: bool },
    #[error("invite limit reached")]
    TooManyInvites { limit: u32 },
    /// The person declined this inviter's invite lately.
    #[error("declined recently")]
    RecentlyDeclined { after: String },
    #[error("already paired")]
    AlreadyPaired,
    #[error("that person cannot be paired right now")]
    PartnerUnavailable,
    #[error("not paired")]
    NotPaired,
    #[error("needs a shared space")]
    NeedsSpace,
    /// A space setting asked for outside the space it is about.
    #[error("space setting outside a space")]
    SpaceSettingElsewhere,
    /// Only the place's moderators may change this.
    #[error("not a moderator")]
    NotModerator,
    #[error("space used by another couple")]
    SpaceTaken,
    #[error("no space change waiting")]
    NoSpaceProposal,
    #[error("partners on different platforms")]
    SpaceAcrossPlatforms,
    #[error("no spaces on this platform")]
    NoSpacesHere,
    #[error("a thread needs a channel")]
    ThreadNeedsChannel,
    #[error("already private")]
    SpaceAlreadyPrivate,
    #[error("already the shared space")]
    AlreadyTheSpace,
    #[error("space belongs to another couple")]
    NotYourCouple,
    #[error("bad schedule `{given}`")]
    BadSchedule { given: String },
    #[error("schedule too frequent")]
    ScheduleTooFrequent,
    #[error("unknown question theme `{given}`")]
    UnknownTheme {
        given: String,
        available: Vec<String>,
    },
    #[error("no schedule proposal waiting")]
    NoProposal,
    #[error("own proposal")]
    ProposalIsYours,
    #[error("no active schedule")]
    NoSchedule,
    #[error("bad date `{given}`")]
    BadDate { given: String },
    /// A pause until a day that is already here or gone.
    #[error("date has passed `{given}`")]
    DateHasPassed { given: String },
    #[error("nothing is paused")]
    NotPaused,
    #[error("a skip is already waiting")]
    AlreadySkipping,
    #[error("rating must be 1 to 10")]
    BadRating { given: String },
    #[error("no open check-in")]
    NoOpenRound,
    /// A check-in answer typed in a shared space.
    #[error("answers are private")]
    AnswerPrivateOnly,
    /// A reword asked for in a shared space.
    #[error("reword is private")]
    RewordPrivateOnly,
    #[error("a check-in is already open")]
    RoundAlreadyOpen,
    #[error("unknown feeling `{given}`")]
    UnknownFeeling {
        given: String,
        feelings: Vec<String>,
    },
    #[error("bad cadence `{given}`")]
    BadCadence { given: String },
    #[error("due date in the past")]
    DueDateInPast,
    #[error("no such goal")]
    GoalNotFound,
    #[error("goal is not waiting for an answer")]
    GoalNotProposed,
    #[error("goal is not active")]
    GoalNotActive,
    #[error("own proposal cannot be answered")]
    OwnProposal,
    #[error("only the one who promised logs a promise")]
    NotYourPromise,
    #[error("cannot confirm own promise")]
    OwnPromise,
    #[error("nothing waits for confirmation")]
    NothingToConfirm,
    /// A confirmation button pressed again, or after that day was answered.
    #[error("that day is already confirmed")]
    DayAlreadyConfirmed,
    /// A rating button from a check-in that has closed.
    #[error("that check-in has closed")]
    RoundClosed,
    #[error("already logged today")]
    AlreadyLogged,
    #[error("no such agreement")]
    AgreementNotFound,
    #[error("agreement is not waiting for an answer")]
    AgreementNotProposed,
    /// `pair restore` with no earlier history offered.
    #[error("no history offer")]
    NoHistoryOffer,
    /// `appreciate --post` or `--discard` with nothing held back.
    #[error("no held appreciation")]
    NothingHeld,
    /// A rewording or retirement of this agreement already waits.
    #[error("a proposal about this agreement is waiting")]
    AgreementProposalWaiting,
    #[error("only active agreements can be edited")]
    AgreementNotActive,
    #[error("no such journal entry")]
    JournalNotFound,
    #[error("journal entries are written privately")]
    JournalPrivateOnly,
    /// An edited `journal write` whose entry is gone (deleted, or written
    /// before rapport remembered which message wrote it).
    #[error("the edited message's journal entry is gone")]
    JournalEditGone,
    /// An edited `journal write` whose entry a check-in has shown.
    #[error("journal entry {0} was already shown")]
    JournalAlreadyShown(i64),
    #[error("no recap scheduled")]
    NoRecap,
}

impl UserError {
    /// Refused because private words were typed where others read them.
    pub fn private_words_in_view(&self) -> bool {
        matches!(
            self,
            UserError::AnswerPrivateOnly
                | UserError::RewordPrivateOnly
                | UserError::JournalPrivateOnly
        )
    }

    /// The prompt key and placeholder values that explain this error.
    pub fn message(&self) -> (Key, Vec<(&'static str, String)>) {
        match self {
            UserError::UnknownCommand { word, near: None } => {
                (Key::ErrorUnknownCommand, vec![("command", word.clone())])
            }
            UserError::UnknownCommand {
                word,
                near: Some(near),
            } => {
                let vars = vec![("command", word.clone()), ("near", (*near).to_owned())];
                (Key::ErrorUnknownCommandNear, vars)
            }
            UserError::Usage { .. } => (Key::ErrorUsage, Vec::new()),
            UserError::InputTooLong { limit } => {
                (Key::ErrorInputTooLong, vec![("limit", limit.to_string())])
            }
            UserError::UnknownZone { given, suggestions } if !suggestions.is_empty() => (
                Key::ErrorUnknownZoneSuggest,
                vec![
                    ("zone", given.clone()),
                    ("suggestions", suggestions.join(", ")),
                ],
            ),
            UserError::UnknownZone { given, .. } => {
                (Key::ErrorUnknownZone, vec![("zone", given.clone())])
            }
            UserError::BadQuietHours { given } => {
                (Key::ErrorBadQuietHours, vec![("given", given.clone())])
            }
            UserError::InviteNotFound => (Key::ErrorInviteNotFound, Vec::new()),
            UserError::InviteExpired => (Key::ErrorInviteExpired, Vec::new()),
            UserError::InviteNoLongerValid => (Key::ErrorInviteNoLongerValid, Vec::new()),
            UserError::InviteForSomeoneElse => (Key::ErrorInviteForSomeoneElse, Vec::new()),
            UserError::NoPendingInvite => (Key::ErrorNoPendingInvite, Vec::new()),
            UserError::PairWithSelf { own_invite: false } => (Key::ErrorPairWithSelf, Vec::new()),
            UserError::PairWithSelf { own_invite: true } => {
                (Key::ErrorPairWithSelfInvite, Vec::new())
            }
            UserError::AlreadyPaired => (Key::ErrorAlreadyPaired, Vec::new()),
            UserError::PartnerUnavailable => (Key::ErrorPartnerUnavailable, Vec::new()),
            UserError::NotPaired => (Key::ErrorNotPaired, Vec::new()),
            UserError::NeedsSpace => (Key::ErrorNeedsSpace, Vec::new()),
            UserError::SpaceSettingElsewhere => (Key::ErrorSpaceSettingElsewhere, Vec::new()),
            UserError::NotModerator => (Key::ErrorNotModerator, Vec::new()),
            UserError::SpaceTaken => (Key::ErrorSpaceTaken, Vec::new()),
            UserError::NoSpaceProposal => (Key::ErrorNoSpaceProposal, Vec::new()),
            UserError::SpaceAcrossPlatforms => (Key::ErrorSpaceAcrossPlatforms, Vec::new()),
            UserError::NoSpacesHere => (Key::ErrorNoSpacesHere, Vec::new()),
            UserError::ThreadNeedsChannel => (Key::ErrorThreadNeedsChannel, Vec::new()),
            UserError::SpaceAlreadyPrivate => (Key::ErrorSpaceAlreadyPrivate, Vec::new()),
            UserError::AlreadyTheSpace => (Key::ErrorAlreadyTheSpace, Vec::new()),
            UserError::NotYourCouple => (Key::ErrorNotYourCouple, Vec::new()),
            UserError::BadSchedule { given } => {
                (Key::ErrorBadSchedule, vec![("given", given.clone())])
            }
            UserError::ScheduleTooFrequent => (Key::ErrorScheduleTooFrequent, Vec::new()),
            UserError::UnknownTheme { given, available } => (
                Key::ErrorUnknownTheme,
                vec![("given", given.clone()), ("themes", available.join(", "))],
            ),
            UserError::NoProposal => (Key::ErrorNoProposal, Vec::new()),
            UserError::ProposalIsYours => (Key::ErrorProposalIsYours, Vec::new()),
            UserError::NoSchedule => (Key::ErrorNoSchedule, Vec::new()),
            UserError::BadDate { given } => (Key::ErrorBadDate, vec![("given", given.clone())]),
            UserError::DateHasPassed { given } => {
                (Key::ErrorDateHasPassed, vec![("given", given.clone())])
            }
            UserError::NotPaused => (Key::ErrorNotPaused, Vec::new()),
            UserError::AlreadySkipping => (Key::ErrorAlreadySkipping, Vec::new()),
            UserError::BadRating { given } => (Key::ErrorBadRating, vec![("given", given.clone())]),
            UserError::NoOpenRound => (Key::ErrorNoOpenRound, Vec::new()),
            UserError::RoundAlreadyOpen => (Key::ErrorRoundAlreadyOpen, Vec::new()),
            UserError::UnknownFeeling { given, feelings } => (
                Key::ErrorUnknownFeeling,
                vec![("given", given.clone()), ("feelings", feelings.join(", "))],
            ),
            UserError::BadCadence { given } => {
                (Key::ErrorBadCadence, vec![("given", given.clone())])
            }
            UserError::DueDateInPast => (Key::ErrorDueDateInPast, Vec::new()),
            UserError::GoalNotFound => (Key::ErrorGoalNotFound, Vec::new()),
            UserError::GoalNotProposed => (Key::ErrorGoalNotProposed, Vec::new()),
            UserError::GoalNotActive => (Key::ErrorGoalNotActive, Vec::new()),
            UserError::OwnProposal => (Key::ErrorOwnProposal, Vec::new()),
            UserError::NotYourPromise => (Key::ErrorNotYourPromise, Vec::new()),
            UserError::OwnPromise => (Key::ErrorOwnPromise, Vec::new()),
            UserError::NothingToConfirm => (Key::ErrorNothingToConfirm, Vec::new()),
            UserError::AnswerPrivateOnly => (Key::ErrorAnswerPrivateOnly, Vec::new()),
            UserError::RewordPrivateOnly => (Key::ErrorRewordPrivateOnly, Vec::new()),
            UserError::TooManyInvites { limit } => {
                (Key::ErrorTooManyInvites, vec![("limit", limit.to_string())])
            }
            UserError::RecentlyDeclined { after } => {
                (Key::ErrorRecentlyDeclined, vec![("after", after.clone())])
            }
            UserError::DayAlreadyConfirmed => (Key::ErrorDayAlreadyConfirmed, Vec::new()),
            UserError::RoundClosed => (Key::ErrorRoundClosed, Vec::new()),
            UserError::AlreadyLogged => (Key::ErrorAlreadyLogged, Vec::new()),
            UserError::AgreementNotFound => (Key::ErrorAgreementNotFound, Vec::new()),
            UserError::AgreementNotProposed => (Key::ErrorAgreementNotProposed, Vec::new()),
            UserError::AgreementProposalWaiting => (Key::ErrorAgreementProposalWaiting, Vec::new()),
            UserError::NothingHeld => (Key::ErrorNothingHeld, Vec::new()),
            UserError::NoHistoryOffer => (Key::ErrorNoHistoryOffer, Vec::new()),
            UserError::AgreementNotActive => (Key::ErrorAgreementNotActive, Vec::new()),
            UserError::JournalNotFound => (Key::ErrorJournalNotFound, Vec::new()),
            UserError::JournalPrivateOnly => (Key::ErrorJournalPrivateOnly, Vec::new()),
            UserError::JournalEditGone => (Key::ErrorJournalEditGone, Vec::new()),
            UserError::JournalAlreadyShown(number) => (
                Key::ErrorJournalAlreadyShown,
                vec![("id", number.to_string())],
            ),
            UserError::NoRecap => (Key::ErrorNoRecap, Vec::new()),
        }
    }
}

/// The result of any engine operation.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Shown to the person.
    #[error(transparent)]
    User(#[from] UserError),
    /// Logged with context; the person sees `errors.internal`.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type EngineResult<T> = Result<T, EngineError>;
