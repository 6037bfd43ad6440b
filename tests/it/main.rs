//! Behaviour tests of rapport, compiled as one binary.
//!
//! Each test gets a fresh database (in-memory SQLite, or a new PostgreSQL
//! database where the test says so), a manual clock and a seeded RNG.

#![recursion_limit = "256"]

mod helpers;
mod history;

mod layers;

mod checkin_times;
mod checkins;
mod cli;
mod coach_corpus;
mod coach_model;
mod coach_snapshot;
mod commands;
mod config;
mod console;
#[cfg(feature = "discord")]
mod discord;
mod dst;
mod export_coverage;
mod fuzz;
mod goals;
#[cfg(feature = "matrix")]
mod matrix;
#[cfg(feature = "matrix")]
mod matrix_logs;
#[cfg(feature = "matrix")]
mod matrix_privacy;
#[cfg(feature = "matrix")]
mod matrix_restarts;
#[cfg(feature = "matrix")]
mod matrix_rooms;
#[cfg(feature = "matrix")]
mod matrix_takeover;

mod metrics;
mod mydata;
mod numbers;
mod outbox;

mod pairing;
mod postgres;
mod privacy;
mod prompts_lint;
mod recap;

mod reword;
mod reword_eval;
mod reword_model;
mod scheduler;
mod settings;
mod stopping;
mod storage;
mod together;
mod upgrade;
