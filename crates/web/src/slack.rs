//! `POST /slack/command`: the `/statuswatch` slash command. Slack signs each
//! request with the app's signing secret (`v0=` HMAC-SHA256 of
//! `v0:<timestamp>:<body>`); a wrong signature, or a timestamp more than 5
//! minutes away (a replay), is refused with 401. The answer is ephemeral:
//! only who asked sees it.
//!
//! `/statuswatch github` answers GitHub's state, its components that are
//! not operational and its open incidents, linked; `/statuswatch aws ec2`
//! narrows to a component; a name that matches no vendor suggests some;
//! no text lists every vendor with something open.

use crate::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use statuswatch_model::ComponentStatus;
use statuswatch_store::{IncidentQuery, Source, SourceQuery, StoredIncident};
// Slack's mrkdwn: vendor text escaped.
use statuswatch_view::clean::markup_escape as esc;

/// How far a request's timestamp may be from now, in seconds.
const MAX_SKEW: i64 = 300;

/// Incidents and components listed at most in one answer.
const LISTED: usize = 10;

/// Whether `body` carries Slack's signature for `secret` at a timestamp
/// close to `now` (Unix seconds).
pub(crate) fn signed(secret: &str, headers: &HeaderMap, body: &[u8], now: i64) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(ts), Some(sig)) = (
        header("x-slack-request-timestamp"),
        header("x-slack-signature"),
    ) else {
        return false;
    };
    let Ok(t) = ts.trim().parse::<i64>() else {
        return false;
    };
    if (now - t).abs() > MAX_SKEW {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("v0:{ts}:").as_bytes());
    mac.update(body);
    let expected = format!("v0={}", hex::encode(mac.finalize().into_bytes()));
    crate::auth::constant_time_eq(expected.as_bytes(), sig.trim().as_bytes())
}

fn answer(text: String) -> Response {
    Json(serde_json::json!({"response_type": "ephemeral", "text": text})).into_response()
}

fn link(app: &App, s: &StoredIncident) -> String {
    let title = esc(&s.incident.title);
    match (&app.public_url, &s.incident.url) {
        (Some(base), _) => format!(
            "<{}/incidents/{}|{title}>",
            base.trim_end_matches('/'),
            s.id
        ),
        (None, Some(url)) => format!("<{url}|{title}>"),
        (None, None) => title,
    }
}

fn state_word(s: ComponentStatus) -> &'static str {
    match s {
        ComponentStatus::Operational => "operational",
        ComponentStatus::Degraded => "degraded",
        ComponentStatus::PartialOutage => "partial outage",
        ComponentStatus::MajorOutage => "major outage",
        ComponentStatus::Maintenance => "under maintenance",
        _ => "unknown",
    }
}

/// The vendor the words name, trying the longest run of leading words
/// first (`google cloud compute` → `Google Cloud`, component `compute`).
async fn vendor(app: &App, words: &[&str]) -> Result<Option<(Source, String)>, Response> {
    for n in (1..=words.len()).rev() {
        let name = words[..n].join(" ");
        match app.store.source_by_name(&name).await {
            Ok(Some(s)) => return Ok(Some((s, words[n..].join(" ")))),
            Ok(None) => {}
            Err(e) => return Err(crate::error::ApiError::from(e).into_response()),
        }
    }
    Ok(None)
}

async fn open_incidents(app: &App, source: Option<i64>) -> Result<Vec<StoredIncident>, Response> {
    app.store
        .incidents(&IncidentQuery {
            source_id: source,
            open_only: true,
            limit: Some(200),
            ..Default::default()
        })
        .await
        .map_err(|e| crate::error::ApiError::from(e).into_response())
}

/// `POST /slack/command`.
pub(crate) async fn command(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(secret) = app.slack_signing_secret.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !signed(secret, &headers, &body, app.now().timestamp()) {
        return (StatusCode::UNAUTHORIZED, "bad or old signature").into_response();
    }
    let text: String = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "text")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let words: Vec<&str> = text.split_whitespace().take(8).collect();
    if words.is_empty() {
        return match everything_open(&app).await {
            Ok(t) => answer(t),
            Err(r) => r,
        };
    }
    let (source, component) = match vendor(&app, &words).await {
        Ok(Some(found)) => found,
        Ok(None) => return answer(near_miss(&app, &text).await),
        Err(r) => return r,
    };
    let open = match open_incidents(&app, Some(source.id)).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    answer(one_vendor(&app, &source, &component, &open))
}

fn one_vendor(app: &App, source: &Source, component: &str, open: &[StoredIncident]) -> String {
    let name = esc(source.provider_name());
    let mut out = Vec::new();
    if !component.is_empty() {
        let wanted = component.to_lowercase();
        let Some(c) = source.components.iter().find(|c| {
            c.name.to_lowercase() == wanted
                || c.group
                    .as_deref()
                    .is_some_and(|g| g.to_lowercase() == wanted)
                || c.name.to_lowercase().contains(&wanted)
        }) else {
            return format!("*{name}* has no component `{}`.", esc(component));
        };
        out.push(format!(
            "*{name} · {}*: {}",
            esc(&c.name),
            state_word(c.state)
        ));
        let touching: Vec<String> = open
            .iter()
            .filter(|s| s.incident.components.iter().any(|x| x.name == c.name))
            .take(LISTED)
            .map(|s| format!("• {}", link(app, s)))
            .collect();
        out.extend(touching);
        return out.join("\n");
    }
    let worst = ComponentStatus::worst(source.components.iter().map(|c| c.state));
    let state = match (worst, open.is_empty()) {
        (_, false) => "has something open".to_string(),
        (Some(w), true) => state_word(w).to_string(),
        (None, true) => "no known issue".to_string(),
    };
    out.push(format!("*{name}*: {state}"));
    let down: Vec<String> = source
        .components
        .iter()
        .filter(|c| c.state != ComponentStatus::Operational && c.state != ComponentStatus::Unknown)
        .take(LISTED)
        .map(|c| format!("{} ({})", esc(&c.name), state_word(c.state)))
        .collect();
    if !down.is_empty() {
        out.push(format!("Not operational: {}", down.join(", ")));
    }
    for s in open.iter().take(LISTED) {
        out.push(format!(
            "• {} — {}",
            link(app, s),
            s.incident.status.as_str()
        ));
    }
    out.join("\n")
}

async fn everything_open(app: &App) -> Result<String, Response> {
    let open = open_incidents(app, None).await?;
    if open.is_empty() {
        return Ok("Every vendor watched is operational: nothing open.".into());
    }
    let mut providers: Vec<(&str, Vec<&StoredIncident>)> = Vec::new();
    for s in &open {
        match providers.iter_mut().find(|(p, _)| *p == s.provider) {
            Some((_, list)) => list.push(s),
            None => providers.push((&s.provider, vec![s])),
        }
    }
    let mut out = vec![format!("{} vendors with something open:", providers.len())];
    for (p, list) in providers.iter().take(LISTED * 2) {
        let first = list.first().map(|s| link(app, s)).unwrap_or_default();
        let more = if list.len() > 1 {
            format!(" (+{} more)", list.len() - 1)
        } else {
            String::new()
        };
        out.push(format!("• *{}*: {first}{more}", esc(p)));
    }
    Ok(out.join("\n"))
}

async fn near_miss(app: &App, text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or("");
    let hits = app
        .store
        .find_sources(&SourceQuery {
            search: Some(first.to_string()),
            limit: 5,
            ..Default::default()
        })
        .await
        .map(|(s, _)| s)
        .unwrap_or_default();
    if hits.is_empty() {
        return format!("No vendor `{}` is watched here.", esc(text.trim()));
    }
    let names: Vec<String> = hits
        .iter()
        .map(|s| format!("`{}`", esc(s.provider_name())))
        .collect();
    format!(
        "No vendor `{}`; did you mean {}?",
        esc(text.trim()),
        names.join(", ")
    )
}
