//! What the engine remembers about a source's endpoints between polls, stored
//! opaquely in the source's `fetch_state`.

use serde::{Deserialize, Serialize};
use statuswatch_fetch::Validators;
use std::collections::{BTreeMap, HashMap};

/// Per endpoint: validators for conditional GET, a hash of the last body (so an
/// unchanged body costs no parsing even without validators) and how many items
/// it listed (to spot a suddenly empty answer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EndpointState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<u64>,
    #[serde(default)]
    pub items: usize,
    /// The last body's size, to foresee a poll's memory.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub bytes: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl EndpointState {
    pub(crate) fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

/// Everything remembered for one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FetchState {
    #[serde(default)]
    pub endpoints: BTreeMap<String, EndpointState>,
    /// Component group names by component id (Statuspage).
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub groups: HashMap<String, String>,
    /// Component names by id, in the page's order (Uptime Kuma).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<(String, String)>,
    /// Chains of single-update items (AWS, Azure): which incident is open.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub chains: BTreeMap<String, statuswatch_sources::Chain>,
    /// Whether the last answer read showed an open incident: the source is
    /// then polled every `open_interval`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    /// When the source's histories were last read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl FetchState {
    /// Reads the stored form; an unreadable one starts afresh (it only costs a
    /// full fetch and parse).
    pub(crate) fn load(stored: &str) -> Self {
        serde_json::from_str(stored).unwrap_or_default()
    }

    pub(crate) fn save(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// A hash of a body, to tell an unchanged answer without parsing it: the
/// first 8 bytes of its SHA-256, big-endian. It is stored, so it must not
/// change between Rust releases (std's `DefaultHasher` may).
pub(crate) fn body_hash(body: &[u8]) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_hash_is_a_stable_algorithm() {
        // FIPS 180-2's test vector: SHA-256("abc") = ba7816bf8f01cfea...
        assert_eq!(body_hash(b"abc"), 0xba78_16bf_8f01_cfea);
        assert_ne!(body_hash(b"abc"), body_hash(b"abd"));
    }
}
