//! A vendor's own status page, watched through the extractor, under the same
//! merge rules as every other source.

mod support;

use statuswatch_engine::Outcome;
use statuswatch_model::{EventKind, Status};
use statuswatch_store::IncidentQuery;
use support::{Harness, Reply};

fn page(api_updates: &[(&str, &str, &str)], with_api: bool) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Acme Status</title><style>h2{}</style></head><body><h1>Acme Cloud Status</h1><p>Some systems degraded</p>",
    );
    if with_api {
        html.push_str("<h2>Elevated API errors</h2>");
        for (label, body, at) in api_updates {
            html.push_str(&format!(
                "<div class=\"update\"><strong>{label}</strong> - {body}<br><small>Posted {at}</small></div>"
            ));
        }
    }
    html.push_str(
        "<h2>Dashboard slow</h2>\
         <div class=\"update\"><strong>Resolved</strong> - Fixed.<br><small>Posted Nov 19, 2026 - 12:00 UTC</small></div>\
         <div class=\"update\"><strong>Investigating</strong> - Slow &amp; sad.<br><small>Posted Nov 19, 2026 - 11:00 UTC</small></div>\
         <footer>Powered by Acme</footer></body></html>",
    );
    html
}

#[tokio::test]
async fn a_custom_page_is_watched_like_any_source() {
    let v = support::Vendor::start().await;
    let h = Harness::new().await;
    let first = [(
        "Investigating",
        "We are looking into errors.",
        "Nov 20, 2026 - 10:00 UTC",
    )];
    v.set("/status", Reply::bytes(page(&first, true), "text/html"));
    let src = h.add("acme", &v.url("/status"), "html").await;

    // Baseline: two incidents, the open one announced.
    assert_eq!(
        h.poll(&src).await,
        Outcome::Changed {
            inserted: 2,
            updated: 0,
            events: 1
        }
    );
    assert_eq!(h.poll(&src).await, Outcome::Unchanged);
    let all = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    let titles: Vec<&str> = all.iter().map(|i| i.incident.title.as_str()).collect();
    assert_eq!(titles, ["Elevated API errors", "Dashboard slow"]);
    let dash = &all[1].incident;
    assert_eq!(dash.status, Status::Resolved);
    assert_eq!(dash.updates[0].body, "Slow & sad.");

    // A new update, newest first as such pages write them: same incident, one event.
    let second = [
        (
            "Identified",
            "A bad deploy; rolling back.",
            "Nov 20, 2026 - 10:30 UTC",
        ),
        first[0],
    ];
    v.set("/status", Reply::bytes(page(&second, true), "text/html"));
    assert_eq!(
        h.poll(&src).await,
        Outcome::Changed {
            inserted: 0,
            updated: 1,
            events: 1
        }
    );
    let events = h.store.events_after(0, 100).await.unwrap();
    assert_eq!(events.last().unwrap().kind, EventKind::IncidentUpdated);
    assert_eq!(
        events.last().unwrap().update.as_ref().unwrap().label,
        "Identified"
    );

    // The incident drops off the page: it stays as it was.
    let before = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    v.set("/status", Reply::bytes(page(&[], false), "text/html"));
    assert!(h.poll(&src).await.is_ok());
    assert_eq!(
        h.store.incidents(&IncidentQuery::default()).await.unwrap(),
        before
    );

    // A garbled answer and an empty page change nothing either.
    v.set(
        "/status",
        Reply::bytes("{\"error\": \"maintenance\"}", "application/json"),
    );
    assert!(matches!(h.poll(&src).await, Outcome::Failed(m) if m.contains("got JSON")));
    v.set(
        "/status",
        Reply::bytes(
            "<!DOCTYPE html><html><body><p>Loading…</p></body></html>",
            "text/html",
        ),
    );
    assert!(matches!(h.poll(&src).await, Outcome::Suspect(_)));
    assert_eq!(
        h.store.incidents(&IncidentQuery::default()).await.unwrap(),
        before
    );
    assert_eq!(h.store.events_after(0, 100).await.unwrap().len(), 2);
}
