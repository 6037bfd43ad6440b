//! Value types that the store, the engine and the adapters all speak:
//! addresses and replies, recurrence, quiet hours, zones, local time,
//! invite codes, the check-in kind, where a platform shows a message,
//! typed text made safe to show, and how alike two typed words are.
//!
//! This module depends on nothing above it (neither `store` nor `engine`);
//! the only crate module it names is [`crate::error`], for the user errors
//! its parsers return.

pub mod address;
pub mod checkin_kind;
pub mod invite_code;
pub mod local_time;
pub mod posted;
pub mod quiet_hours;
pub mod recurrence;
pub mod reply;
pub mod similar;
pub mod text;
pub mod zone;

pub use address::{Destination, Platform, SpaceRef, UserRef};
pub use checkin_kind::CheckinKind;
pub use posted::Posted;
pub use reply::{Attachment, Choice, ChoiceStyle, Reply};
