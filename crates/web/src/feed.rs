//! The Atom feed of incidents (`/feed.atom`, `?provider=` for one vendor).

use crate::error::ApiError;
use crate::params::query;
use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use statuswatch_store::IncidentQuery;
use statuswatch_store::StoredIncident;
use statuswatch_view::clean::xml_escape;
use statuswatch_view::words::summary;

fn fixed(t: DateTime<Utc>) -> FixedDateTime {
    t.fixed_offset()
}

/// The feed of `incidents` (newest first), titled for `provider` when given.
pub fn render(incidents: &[StoredIncident], provider: Option<&str>, now: DateTime<Utc>) -> String {
    let entries: Vec<Entry> = incidents
        .iter()
        .map(|s| {
            let i = &s.incident;
            let updated = i
                .last_update_at()
                .unwrap_or(s.detected_at)
                .max(s.detected_at);
            let timeline: String = i
                .updates
                .iter()
                .rev()
                .map(|u| {
                    format!(
                        "<p><small>{}</small><br><strong>{}</strong> - {}</p>",
                        u.at.map(|t| t.format("%b %-d, %Y %H:%M UTC").to_string())
                            .unwrap_or_default(),
                        xml_escape(&u.label),
                        xml_escape(&u.body).replace('\n', "<br>")
                    )
                })
                .collect();
            let mut e = Entry::default();
            e.set_id(format!("urn:statuswatch:incident:{}", s.id));
            e.set_title(Text::plain(format!("{}: {}", s.provider, i.title)));
            e.set_updated(fixed(updated));
            e.set_published(i.started_at.map(fixed));
            e.set_summary(Some(Text::plain(summary(&s.provider, i, now))));
            e.set_content(Some(Content {
                content_type: Some("html".into()),
                value: Some(timeline),
                ..Content::default()
            }));
            let mut links = vec![Link {
                href: format!("/incidents/{}", s.id),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            }];
            if let Some(u) = i
                .url
                .as_ref()
                .filter(|u| statuswatch_view::clean::web_address(u))
            {
                links.push(Link {
                    href: u.clone(),
                    rel: "related".into(),
                    ..Link::default()
                });
            }
            e.set_links(links);
            e.set_categories(vec![Category {
                term: i.status.as_str().into(),
                ..Category::default()
            }]);
            e.set_authors(vec![Person {
                name: s.provider.clone(),
                ..Person::default()
            }]);
            e
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| *e.updated())
        .max()
        .unwrap_or_else(|| fixed(now));
    let mut feed = Feed::default();
    feed.set_id(match provider {
        Some(p) => format!("urn:statuswatch:incidents:{}", p.to_lowercase()),
        None => "urn:statuswatch:incidents".into(),
    });
    feed.set_title(Text::plain(match provider {
        Some(p) => format!("{p} incidents · statuswatch"),
        None => "Incidents · statuswatch".into(),
    }));
    feed.set_updated(updated);
    feed.set_links(vec![Link {
        href: "/feed.atom".into(),
        rel: "self".into(),
        ..Link::default()
    }]);
    feed.set_entries(entries);
    // The writer escapes markup but not the characters XML forbids (a NUL
    // in a vendor's update would make the feed ill-formed for every reader).
    statuswatch_view::clean::xml_chars(&feed.to_string()).into_owned()
}

#[derive(Debug, Deserialize)]
pub(crate) struct FeedParams {
    provider: Option<String>,
}

pub(crate) async fn handler(
    State(app): State<crate::Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: FeedParams = query(raw)?;
    let rows = app
        .store
        .incidents(&IncidentQuery {
            provider: p.provider.clone(),
            limit: Some(50),
            ..Default::default()
        })
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        render(&rows, p.provider.as_deref(), app.now()),
    )
        .into_response())
}
