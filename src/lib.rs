//! rapport: a self-hosted chat bot that helps a couple rebuild trust with the
//! habits counsellors teach.
//!
//! # Layout
//!
//! Arrows point from a module to the modules it uses; nothing points back
//! (`tests/it/layers.rs` holds this).
//!
//! ```text
//!  adapters            console; discord (feature `discord`: table, registration,
//!     |                sync_commands, convert, suggest, interactions, render,
//!     |                threads, port, pacer, shards); matrix
//!     |                (feature `matrix`: session, sync, invites, handlers,
//!     |                rooms, html, render, port, wire). Protocol events become
//!     |                engine::message::Request; replies are rendered; each
//!     |                implements delivery::ChatPort. They decide nothing.
//!     v
//!  engine              every rule; no protocol types; one transaction per request.
//!     |                command (grammar), pairing, space, settings, checkin
//!     |                (schedule, round, firing, timing, quiet, history,
//!     |                questions), goals (progress, reminders), agreements,
//!     |                journal, appreciate, recap, reword, mydata, help,
//!     |                edits (what an edited message may change), offers
//!     |                (choices picked by number, across restarts);
//!     |                moments (a proposed time in each partner's zone); jobs
//!     |                (what the scheduler runs); ctx (a request's transaction
//!     |                and actor); message (Request, Outgoing); queue (the outbox);
//!     |                dispatch (command families); policy; history; leases and
//!     |                send_slots (what several processes on one database share)
//!     |-------> coach    the I-statement coach: rewrite (situation, feeling,
//!     |                  check, wording) -> judge -> model (features, train)
//!     |                  -> rules (one file per kind of blame) -> text
//!     |                  (tokens, spelling, phrases, words, topics); llm
//!     |                  (an optional local model)
//!     |-------> chart    PNG charts of check-in ratings
//!     v
//!  store               the only SQL: sqlx Any over SQLite (default) or
//!     |                PostgreSQL, one file per table family; migrations/
//!     v
//!  domain              value types all layers share: address (Platform,
//!                      UserRef, SpaceRef, Destination), reply (Reply, Choice),
//!                      recurrence, quiet_hours, zone, local_time, invite_code,
//!                      checkin_kind, posted, text, similar
//! ```
//!
//! Beside them, driving the engine from outside a request: [`scheduler`]
//! (the loop: the engine's jobs, then a delivery pass) and [`delivery`] (the
//! outbox worker, sending through each adapter's `ChatPort`, with the check
//! that private content reaches a space only while the couple alone reads
//! it); [`app`] wires everything for `main.rs` (and `app::held` runs work
//! one process of several may do while it holds that work's lease), and
//! [`admin`] holds the admin's commands beside it (`backup`, `migrate`). Used by all and using
//! nothing above them: [`config`] (typed TOML + `RAPPORT_*` environment,
//! secrets, `check-config`), [`prompts`] (every sentence, from
//! `prompts/<locale>/*.toml`), [`clock`] (injected time), [`shutdown`]
//! (the injected stop every loop listens for), [`error`]
//! (user-facing vs internal), [`telemetry`] (logging that never quotes
//! anyone) and [`metrics`] (Prometheus figures that name nobody). [`http`]
//! serves operators `/healthz`, `/readyz` and `/metrics` from the engine.

pub mod adapters;
pub mod admin;
pub mod app;
pub mod chart;
pub mod clock;
pub mod coach;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod engine;
pub mod error;
pub mod http;
pub mod metrics;
pub mod prompts;
pub mod scheduler;
pub mod shutdown;
pub mod store;
pub mod telemetry;
