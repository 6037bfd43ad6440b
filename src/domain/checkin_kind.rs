//! How a check-in round reaches a couple: one shared question, or private
//! questions revealed together.

/// How a round reaches the couple.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckinKind {
    /// The question is posted in the couple's space.
    Shared,
    /// Each partner gets the question privately.
    Private,
}

impl CheckinKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinKind::Shared => "shared",
            CheckinKind::Private => "private",
        }
    }

    pub fn parse(text: &str) -> Option<CheckinKind> {
        match text {
            "shared" => Some(CheckinKind::Shared),
            "private" => Some(CheckinKind::Private),
            _ => None,
        }
    }
}
