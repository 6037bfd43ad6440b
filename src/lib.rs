//! rapport: a self-hosted chat bot that helps a couple rebuild trust with the
//! habits counsellors teach.
//!
//! # Layout
//!
//! ```text
//!  adapters::console, adapters::matrix (Cargo feature `matrix`; discord to come)
//!        |   protocol events -> engine::message::Request
//!        v   engine::message::Outgoing -> protocol messages
//!  engine                 every rule; no protocol types; one transaction per request
//!        |   command (grammar), pairing, settings, help
//!        v
//!  store                  the only SQL: sqlx Any over SQLite (default) or PostgreSQL
//! ```
//!
//! Beside them: [`config`] (typed TOML + `RAPPORT_*` environment, secrets),
//! [`prompts`] (every sentence, from `prompts/<locale>/*.toml`), [`clock`]
//! (injected time), [`error`] (user-facing vs internal), [`telemetry`]
//! (logging) and [`app`] (wiring and run loop).

pub mod adapters;
pub mod app;
pub mod chart;
pub mod clock;
pub mod coach;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod engine;
pub mod error;
pub mod prompts;
pub mod scheduler;
pub mod store;
pub mod telemetry;
