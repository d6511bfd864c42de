//! Status pages of one's own, in a wing of their own: what a page is and
//! what an operator's statement does to it ([`domain`], pure), the checks a
//! statement must pass ([`checks`]), its administration ([`admin`]: every
//! statement from the CLI, the JSON API or the admin UI, written through
//! the engine's [`Poller::publish`](statuswatch_engine::Poller::publish) like
//! a vendor's answer), the read model its views share ([`read`]), and the
//! forms it is published in: Statuspage's API v2 ([`statuspage`], written
//! with the typed wire structs statuswatch reads Statuspage pages with) and
//! its history feeds ([`feeds`]).
//!
//! The web and the CLI are thin adapters over this crate. A page is backed
//! by a source of kind page ([`statuswatch_store::SourceKind::Page`]) that is
//! never polled.

pub mod admin;
pub mod checks;
pub mod domain;
pub mod error;
pub mod feeds;
pub mod read;
pub mod statuspage;
pub mod subscribers;

pub use admin::{Access, NewIncident, NewMaintenance, PageAdmin, PageChange, PageInfo};
pub use error::PageError;
pub use read::{External, Published, EXTERNAL_GROUP};
pub use subscribers::{Asked, RESEND_AFTER};
