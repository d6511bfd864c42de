//! The values that cross the storage boundary, by aggregate.

mod incident;
mod outbox;
mod page;
mod source;
mod upkeep;

pub use incident::*;
pub use outbox::*;
pub use page::*;
pub use source::*;
pub use upkeep::*;

use chrono::{DateTime, Utc};
use serde::Serialize;
use statuswatch_model::{ComponentState, EventKind, Incident, Update};
