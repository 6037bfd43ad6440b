//! Adapters: each turns one protocol's events into engine requests and
//! renders the engine's replies in that protocol's idiom. They hold no rules.
//!
//! - [`console`]: a local REPL where one person plays several users.
//! - `discord` and `matrix`: behind the Cargo features of the same names.

pub mod console;
#[cfg(feature = "discord")]
pub mod discord;
#[cfg(feature = "matrix")]
pub mod matrix;

/// Whether this build can talk to Discord.
pub const DISCORD_AVAILABLE: bool = cfg!(feature = "discord");

/// Whether this build can talk to Matrix.
pub const MATRIX_AVAILABLE: bool = cfg!(feature = "matrix");
