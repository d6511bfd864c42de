//! Google Cloud's status page: `status.cloud.google.com/incidents.json`, the
//! whole incident history as one array.

mod adapter;
mod wire;

pub use adapter::parse_incidents;

use crate::{Endpoint, Role};
use url::Url;

/// The one answer a poll reads.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let mut u = url.clone();
    if !u.path().ends_with("/incidents.json") {
        u.set_path("/incidents.json");
    }
    u.set_query(None);
    vec![Endpoint {
        url: u,
        role: Role::GcpIncidents,
    }]
}
