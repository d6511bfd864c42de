//! The HTTP server: pages for people, the JSON API (documented by an OpenAPI
//! 3.1 document generated from this code), feeds, badges, health and metrics.
//! It reads through the store; the only writes are the admin's source
//! management (add, pause, remove), behind a token.
//!
//! Layout: `app` (what routes share, the router), `error` (the one error
//! answer), `params` (query strings), `auth` (the admin token and session),
//! `harden` (security headers, failed-attempt limits), `loaders`
//! (what pages and the API read, loaded once), `api/<resource>`,
//! `pages/<page>`, and `badge`, `feed`, `metrics`, `health`, `openapi`;
//! `state` and `charts` are pure.

pub mod api;
mod app;
mod auth;
mod badge;
pub mod charts;
mod error;
mod feed;
mod harden;
mod health;
mod loaders;
mod metrics;
pub mod openapi;
mod pages;
mod params;
mod slack;
pub mod state;
pub mod status;

pub use api::events::EventView;
pub use api::providers::{ProviderDetail, ProviderView};
pub use api::stats::StatsView;
pub use app::{
    app_router, router, serve, serve_app, AddError, App, Shared, SourceAdmin, METRICS_PER_SOURCE,
};
pub use error::ErrorBody;
pub use harden::{Attempts, CONTENT_SECURITY_POLICY, MAX_FAILURES};
pub use params::{ImpactWord, IncidentParams, KindWord};
