//! Adapters: each turns one protocol's events into engine requests and
//! renders the engine's replies in that protocol's idiom. They hold no rules.
//!
//! - [`console`]: a local REPL where one person plays several users.
//! - `discord` and `matrix`: behind the Cargo features of the same names.

pub mod console;
#[cfg(feature = "matrix")]
pub mod matrix;

/// Whether this build can talk to Discord. False until the Discord adapter
/// lands; the feature flag alone does not make an adapter.
pub const DISCORD_AVAILABLE: bool = false;

/// Whether this build can talk to Matrix.
pub const MATRIX_AVAILABLE: bool = cfg!(feature = "matrix");
