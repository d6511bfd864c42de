//! The JSON API under `/api/v1/`, one module per resource, each with its
//! shapes and handlers (documented in the OpenAPI document).

pub mod events;
pub mod incidents;
pub mod nodes;
pub mod page_views;
pub mod pages;
pub mod providers;
pub mod sources;
pub mod stats;

pub use sources::SourceView;
pub use statuswatch_view::{ComponentView, IncidentView, UpdateView};
