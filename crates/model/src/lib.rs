//! The statuswatch incident model.
//!
//! Every platform adapter turns a vendor's answer into a [`Snapshot`] of
//! [`Incident`]s; the engine merges a snapshot into what is stored with
//! [`merge::merge`] and derives the [`merge::Change`]s that become events.
//! This crate does no I/O: it is plain data and pure functions.

pub mod merge;
mod types;
mod vocab;

pub use types::*;
pub use vocab::{ComponentStatus, EventKind, Impact, Kind, Status};
