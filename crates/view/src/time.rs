//! The one writer of timestamps for people and machines: RFC 3339, UTC, whole
//! seconds, `Z` (`2025-03-31T05:30:00Z`), as the contract states.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serializer;

/// `2025-03-31T05:30:00Z`.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Serializes a timestamp with [`rfc3339`] (`#[serde(serialize_with = ...)]`).
pub fn ser<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*t))
}

/// Serializes an optional timestamp with [`rfc3339`], or null.
pub fn ser_opt<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => ser(t, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_and_z() {
        let t = DateTime::parse_from_rfc3339("2025-03-31T07:30:00.750+02:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(rfc3339(t), "2025-03-31T05:30:00Z");
    }
}
