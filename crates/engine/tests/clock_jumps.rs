//! The clock jumping under a running scheduler: back by a day (a host clock
//! set by hand, a VM restored from a snapshot), sources keep their cadence
//! instead of waiting a day for the clock to catch up; forward, what fell due
//! meanwhile is polled at once.

mod support;

use statuswatch_engine::{Clock, EngineConfig, Poller, Scheduler};
use statuswatch_fetch::{FetchConfig, Fetcher};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Page, TestClock, Vendor};

const SUMMARY: &str = "/api/v2/summary.json";

/// Waits (real time) until the vendor's summary has been asked `n` times.
async fn hits_reach(v: &Vendor, n: usize, within: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if v.hits(SUMMARY) >= n {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cadence_survives_the_clock_jumping_back_and_forward() {
    let v = Vendor::start().await;
    Page::new().serve(&v, &[]);
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(dir.path().join("t.db").to_str().unwrap())
            .await
            .unwrap(),
    );
    let clock = TestClock::new();
    let source = store
        .add_source(
            statuswatch_store::NewSource {
                name: "github".into(),
                url: v.url("/"),
                platform: "statuspage".into(),
                provider: None,
                on_behalf: false,
            },
            clock.now(),
        )
        .await
        .unwrap();
    let fetcher = Arc::new(
        Fetcher::new(FetchConfig {
            per_host_interval: Duration::ZERO,
            ..FetchConfig::default()
        })
        .unwrap(),
    );
    let poller = Arc::new(Poller::new(
        store.clone(),
        fetcher,
        Arc::new(clock.clone()),
        EngineConfig::default(),
    ));
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let scheduler = tokio::spawn(Scheduler::new(poller, Duration::from_millis(20)).run(
        async move {
            let _ = stop_rx.wait_for(|s| *s).await;
        },
        None,
    ));

    // Polled once when added; next due about a minute later (±10 %).
    assert!(
        hits_reach(&v, 1, Duration::from_secs(5)).await,
        "first poll"
    );
    let due = store.source(source.id).await.unwrap().next_poll_at;
    assert!(due > clock.now() + chrono::Duration::seconds(50));

    // The clock goes back a day; a minute later (on the new clock) the source
    // is due again, as it would have been.
    clock.advance(-24 * 3600);
    // The scheduler notices at its next claim (every 20 ms; later on a loaded
    // machine): wait for the due time to move back before the clock moves on,
    // or the jump it measures is 70 s short.
    let noticed = tokio::time::Instant::now() + Duration::from_secs(10);
    while store.source(source.id).await.unwrap().next_poll_at >= due
        && tokio::time::Instant::now() < noticed
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        store.source(source.id).await.unwrap().next_poll_at < due,
        "the jump back was noticed and the due time moved back"
    );
    assert_eq!(
        v.hits(SUMMARY),
        1,
        "nothing is due just because the clock moved"
    );
    clock.advance(70);
    assert!(
        hits_reach(&v, 2, Duration::from_secs(5)).await,
        "after the clock went back a day, the source was not polled within its interval \
         (due {} on a clock at {})",
        store.source(source.id).await.unwrap().next_poll_at,
        clock.now()
    );

    // Forward by a day: due at once, polled once (not once per missed minute).
    tokio::time::sleep(Duration::from_millis(200)).await;
    clock.advance(24 * 3600);
    assert!(
        hits_reach(&v, 3, Duration::from_secs(5)).await,
        "after a jump forward"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        v.hits(SUMMARY),
        3,
        "one poll catches up, not one per missed interval"
    );

    let _ = stop_tx.send(true);
    scheduler.await.unwrap();
}
