//! Query strings: parsed into typed filters, answering 400 with what was wrong.

use crate::error::ApiError;
use serde::Deserialize;
use statuswatch_store::IncidentQuery;

/// Parses a query string into `T`, answering 400 with what was wrong.
pub(crate) fn query<T: serde::de::DeserializeOwned>(raw: Option<String>) -> Result<T, ApiError> {
    let raw = raw.unwrap_or_default();
    serde_urlencoded::from_str(&raw)
        .map_err(|e| ApiError::bad_request(format!("bad query string: {e}")))
}

/// Filters of `/api/v1/incidents`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentParams {
    /// Only this provider (the page's name or the source's name, any case).
    pub provider: Option<String>,
    /// Only this source.
    pub source_id: Option<i64>,
    /// Only open incidents and maintenances.
    #[serde(default)]
    pub open: bool,
    /// Only this stated impact.
    pub impact: Option<ImpactWord>,
    /// Only incidents or only maintenances.
    pub kind: Option<KindWord>,
    /// Started at or after this time (RFC 3339, or a YYYY-MM-DD date).
    #[param(value_type = Option<String>, format = DateTime)]
    pub since: Option<String>,
    /// Started before this time (RFC 3339, or a YYYY-MM-DD date).
    #[param(value_type = Option<String>, format = DateTime)]
    pub until: Option<String>,
    /// Words that must all appear in the title or the updates.
    pub q: Option<String>,
    /// Page size (default 500).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<u32>,
    /// How many to skip (paging).
    #[param(minimum = 0, maximum = 1000000)]
    pub offset: Option<u32>,
}

/// An impact word in a filter.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImpactWord {
    /// No impact.
    None,
    /// Minor.
    Minor,
    /// Major.
    Major,
    /// Critical.
    Critical,
    /// Maintenance.
    Maintenance,
}

/// A kind in a filter.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KindWord {
    /// Incidents.
    Incident,
    /// Maintenances.
    Maintenance,
}

pub(crate) fn parse_time(
    field: &str,
    v: Option<&str>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        return Ok(Some(t.with_timezone(&chrono::Utc)));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    Err(ApiError::bad_request(format!(
        "`{field}`: `{v}` is not an RFC 3339 time or a YYYY-MM-DD date"
    )))
}

impl IncidentParams {
    pub(crate) fn to_query(&self) -> Result<IncidentQuery, ApiError> {
        use statuswatch_model::{Impact, Kind};
        let impacts = match self.impact {
            None => Vec::new(),
            Some(ImpactWord::None) => vec![Impact::None],
            Some(ImpactWord::Minor) => vec![Impact::Minor],
            Some(ImpactWord::Major) => vec![Impact::Major],
            Some(ImpactWord::Critical) => vec![Impact::Critical],
            Some(ImpactWord::Maintenance) => vec![Impact::Maintenance],
        };
        let kind = self.kind.map(|k| match k {
            KindWord::Incident => Kind::Incident,
            KindWord::Maintenance => Kind::Maintenance,
        });
        for (field, v) in [("since", &self.since), ("until", &self.until)] {
            if v.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(ApiError::bad_request(format!("`{field}` is empty")));
            }
        }
        if self.offset.is_some_and(|o| o > 1_000_000) {
            return Err(ApiError::bad_request("`offset` must be at most 1000000"));
        }
        let limit = self.limit.unwrap_or(500);
        if !(1..=5000).contains(&limit) {
            return Err(ApiError::bad_request("`limit` must be between 1 and 5000"));
        }
        if let Some(q) = &self.q {
            check_search(q)?;
        }
        Ok(IncidentQuery {
            provider: self.provider.clone(),
            open_only: self.open,
            source_id: self.source_id,
            limit: Some(limit),
            offset: self.offset,
            kind,
            impacts,
            since: parse_time("since", self.since.as_deref())?,
            until: parse_time("until", self.until.as_deref())?,
            text: self.q.clone(),
            include_private: false,
        })
    }
}

/// A search's words: at most [`statuswatch_store::MAX_SEARCH_WORDS`], at most
/// 1,000 characters in all.
pub(crate) fn check_search(q: &str) -> Result<(), ApiError> {
    let words = q.split_whitespace().count();
    let max = statuswatch_store::MAX_SEARCH_WORDS;
    if words > max {
        return Err(ApiError::bad_request(format!(
            "the search has {words} words; at most {max} are searched"
        )));
    }
    if q.chars().count() > 1000 {
        return Err(ApiError::bad_request(
            "the search is longer than 1,000 characters",
        ));
    }
    Ok(())
}
