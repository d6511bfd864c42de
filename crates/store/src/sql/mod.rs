//! The SQL of the store, written once and compiled once per backend: each
//! backend's module (`sqlite.rs`, `postgres.rs`) names its store as `This`
//! and its sqlx database as `Db`, then includes this module. Every statement
//! is built with `QueryBuilder`, which writes the backend's placeholders;
//! what differs per backend is given by the backend's inherent items
//! (`begin_write`, `CLAIM_LOCK`, `NOT_PAUSED`).
//!
//! Why not one generic implementation over `sqlx::Database`: the bounds it
//! needs (`for<'q> T: Encode<'q, DB>`) make `QueryBuilder`'s borrows outlive
//! the builder under the borrow checker, so every query would need a
//! workaround; compiling plain modules twice keeps the SQL plain.

use super::{Db, This};

mod incidents;
mod outbox;
mod pages;
mod sources;
mod upkeep;
