//! Retention: what ended long ago is pruned, open incidents stay, and what a
//! vendor still lists after it was pruned never comes back as news.

mod support;

use statuswatch_engine::{EngineConfig, Retention};
use statuswatch_model::EventKind;
use statuswatch_store::{IncidentQuery, Pruned};
use std::sync::Arc;
use std::time::Duration;
use support::{cursor_incident, Harness, Page, Vendor};

const DAY: u64 = 24 * 3600;

async fn vendor_ids(h: &Harness) -> Vec<String> {
    let mut v: Vec<String> = h
        .store
        .incidents(&IncidentQuery {
            limit: Some(100),
            ..IncidentQuery::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.incident.vendor_id)
        .collect();
    v.sort();
    v
}

/// GitHub's real history (five incidents resolved 13–18 August 2026) behind
/// a page polled on 26 September 2026.
async fn watched(config: EngineConfig) -> (Vendor, Harness, statuswatch_store::Source, Page) {
    let v = Vendor::start().await;
    let h = Harness::with_config(Vec::new(), config).await;
    let page = Page::new();
    page.serve(&v, &[]);
    let src = h.add("github", &v.url("/"), "statuspage").await;
    assert!(h.poll(&src).await.is_ok());
    (v, h, src, page)
}

#[tokio::test]
async fn what_was_pruned_is_not_stored_again_nor_alerted_when_the_vendor_still_lists_it() {
    // `prune` run by hand: serve itself has no `keep`; the store's watermark
    // is what tells the poller.
    let (v, h, src, page) = watched(EngineConfig::default()).await;
    assert_eq!(vendor_ids(&h).await.len(), 5);
    let pruned = Retention::new(
        h.store.clone(),
        Arc::new(h.clock.clone()),
        Duration::from_secs(40 * DAY),
    )
    .run_once()
    .await
    .unwrap();
    // Cutoff 17 August 00:01: the two of the 13th go.
    assert_eq!(pruned.incidents, 2);
    assert_eq!(
        vendor_ids(&h).await,
        ["bmpybhnrky3x", "gx7js8bd0jpz", "zkxwbgr0cnmx"]
    );
    let events_before = h.store.events_after(0, 1000).await.unwrap().len();
    // A new incident changes the live answer, so the whole history is read
    // again, the two pruned ones in it.
    page.serve(&v, &[cursor_incident()]);
    assert!(h.poll(&src).await.is_ok());
    let ids = vendor_ids(&h).await;
    assert_eq!(ids.len(), 4, "only the new incident was added: {ids:?}");
    assert!(!ids.contains(&"pf25whpq58hh".to_string()));
    let events = h.store.events_after(0, 1000).await.unwrap();
    let new: Vec<_> = events[events_before..].iter().map(|e| e.kind).collect();
    assert_eq!(
        new,
        [EventKind::IncidentOpened],
        "no alert for what was pruned"
    );
    // A second pass finds nothing more.
    let again = Retention::new(
        h.store.clone(),
        Arc::new(h.clock.clone()),
        Duration::from_secs(40 * DAY),
    )
    .run_once()
    .await
    .unwrap();
    assert_eq!(again, Pruned::default());
}

#[tokio::test]
async fn with_keep_configured_a_new_source_keeps_only_its_recent_history() {
    let (_v, h, _src, _page) = watched(EngineConfig {
        keep: Some(Duration::from_secs(40 * DAY)),
        ..EngineConfig::default()
    })
    .await;
    assert_eq!(
        vendor_ids(&h).await,
        ["bmpybhnrky3x", "gx7js8bd0jpz", "zkxwbgr0cnmx"],
        "what ended before now - keep is not stored in the first place"
    );
}

#[tokio::test]
async fn an_open_incident_is_kept_whatever_its_age() {
    let (v, h, src, page) = watched(EngineConfig::default()).await;
    page.serve(&v, &[cursor_incident()]);
    assert!(h.poll(&src).await.is_ok());
    // Years later, still open on the vendor's page.
    h.clock.advance(3 * 365 * DAY as i64);
    let pruned = Retention::new(
        h.store.clone(),
        Arc::new(h.clock.clone()),
        Duration::from_secs(DAY),
    )
    .run_once()
    .await
    .unwrap();
    assert_eq!(pruned.incidents, 5, "every resolved one went");
    let open = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(open.len(), 1);
    assert!(!open[0].incident.status.is_terminal());
}
