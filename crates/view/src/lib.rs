//! The contract's JSON views of the incident model (what `incidents --json`,
//! `/api/v1/incidents` and every alert carry), the one RFC 3339 writer, and
//! words for people (durations, the summary sentence, the detection note).
//!
//! A leaf: it depends on the model and serde only (utoipa behind the
//! `openapi` feature), so the engine and the alert channels can render the
//! contract's shapes without the web crate.

pub mod clean;
mod incident;
pub mod time;
pub mod words;

pub use incident::{ComponentView, IncidentView, Provenance, UpdateView};
