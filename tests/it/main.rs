//! Behaviour tests of rapport, compiled as one binary.
//!
//! Each test gets a fresh database (in-memory SQLite, or a new PostgreSQL
//! database where the test says so), a manual clock and a seeded RNG.

mod helpers;

mod checkins;
mod cli;
mod commands;
mod config;
mod console;
mod dst;
mod goals;
mod mydata;

mod pairing;
mod postgres;
mod recap;

mod reword;
mod reword_eval;
mod reword_model;
mod scheduler;
mod settings;
mod together;
