//! The fault matrix on every platform family: each endpoint a poll reads
//! (live answers and histories alike) is made to fail in every way a vendor's
//! answer can (empty, truncated, HTML where data was expected, another shape,
//! 429 with Retry-After, 500, a timeout, a body that trickles a byte a second,
//! a body over the cap, a gzip bomb), and then nothing stored changes, no
//! event is recorded, and the source's health names what happened.
//!
//! Every family starts from a good answer built from the sources crate's
//! committed fixtures (real captures or documented shapes, see their
//! PROVENANCE), polled once so something is stored.

mod support;

use statuswatch_engine::Outcome;
use statuswatch_store::{Event, IncidentQuery, PollOutcome, Source, StoredIncident};
use std::time::Duration;
use support::{Harness, Reply, Vendor};

/// A fixture of the sources crate.
fn sources_fixture(name: &str) -> Vec<u8> {
    statuswatch_testkit::read_fixture(concat!(env!("CARGO_MANIFEST_DIR"), "/../sources"), name)
}

/// What a family's vendor serves when all is well.
struct Family {
    platform: &'static str,
    /// The path the source is added with.
    add: &'static str,
    /// Every path a poll reads: (path, good body, content type).
    answers: Vec<(String, Vec<u8>, &'static str)>,
}

const JSON: &str = "application/json";
const ATOM: &str = "application/atom+xml";
const RSS: &str = "application/rss+xml";
const STATUSIO_ID: &str = "5f33a8cb5c2f8c04c6c2a7b1";

fn family(name: &str) -> Family {
    let a = |p: &str, f: &str, t: &'static str| (p.to_string(), sources_fixture(f), t);
    match name {
        "statuspage" => Family {
            platform: "statuspage",
            add: "/",
            answers: vec![
                a(
                    "/api/v2/summary.json",
                    "statuspage_api/cursor__summary_2026-09-25_incident.json",
                    JSON,
                ),
                a(
                    "/api/v2/incidents.json",
                    "statuspage_api/github__incidents_2026-08-18.json",
                    JSON,
                ),
                a(
                    "/api/v2/scheduled-maintenances.json",
                    "statuspage_api/anthropic-claude__scheduled-maintenances_2026-09-15.json",
                    JSON,
                ),
            ],
        },
        "feed" => Family {
            platform: "feed",
            add: "/history.atom",
            answers: vec![a(
                "/history.atom",
                "statuspage_feeds/github__history_atom_2026-08-22.atom",
                ATOM,
            )],
        },
        "gcp" => Family {
            platform: "gcp",
            add: "/incidents.json",
            answers: vec![a(
                "/incidents.json",
                "google_cloud/google-cloud__incidents_2026-08-18_trim2.json",
                JSON,
            )],
        },
        "slack" => Family {
            platform: "slack",
            add: "/",
            answers: vec![
                a(
                    "/api/v2.0.0/current",
                    "slack/docs__current_ok_example.json",
                    JSON,
                ),
                a(
                    "/api/v2.0.0/history",
                    "slack/slack__history_2026-08-18.json",
                    JSON,
                ),
            ],
        },
        "aws" => Family {
            platform: "aws",
            add: "/rss/all.rss",
            answers: vec![a(
                "/rss/all.rss",
                "aws_rss/aws__all_rss_2026-08-18.rss",
                RSS,
            )],
        },
        "azure" => Family {
            platform: "azure",
            add: "/en-us/status/feed/",
            answers: vec![a(
                "/en-us/status/feed/",
                "azure/constructed__status_feed_one_event.rss",
                RSS,
            )],
        },
        "heroku" => Family {
            platform: "heroku",
            add: "/",
            answers: vec![
                a(
                    "/api/v4/current-status",
                    "heroku/constructed__api_v4_current_status_incident.json",
                    JSON,
                ),
                // The incidents list: the same incidents, as v4 lists them.
                (
                    "/api/v4/incidents".to_string(),
                    serde_json::to_vec(
                        &serde_json::from_slice::<serde_json::Value>(&sources_fixture(
                            "heroku/constructed__api_v4_current_status_incident.json",
                        ))
                        .unwrap()["incidents"],
                    )
                    .unwrap(),
                    JSON,
                ),
            ],
        },
        "statusio" => Family {
            platform: "statusio",
            add: "/pages/5f33a8cb5c2f8c04c6c2a7b1",
            answers: vec![
                a(
                    &format!("/1.0/status/{STATUSIO_ID}"),
                    "statusio/constructed__public_status_api_incident.json",
                    JSON,
                ),
                a(
                    &format!("/pages/{STATUSIO_ID}/rss"),
                    "statusio/constructed__page_rss.rss",
                    RSS,
                ),
            ],
        },
        "incidentio" => Family {
            platform: "incidentio",
            add: "/",
            answers: vec![
                a(
                    "/proxy/127.0.0.1",
                    "incidentio_native/constructed__proxy_page.json",
                    JSON,
                ),
                a(
                    "/history.atom",
                    "incidentio_native/constructed__history_atom.atom",
                    ATOM,
                ),
            ],
        },
        "instatus" => Family {
            platform: "instatus",
            add: "/",
            answers: vec![
                a(
                    "/summary.json",
                    "instatus/docs__summary_json_example.json",
                    JSON,
                ),
                a("/history.rss", "instatus/constructed__history_rss.rss", RSS),
            ],
        },
        "betterstack" => Family {
            platform: "betterstack",
            add: "/",
            answers: vec![a(
                "/index.json",
                "betterstack/constructed__index.json",
                JSON,
            )],
        },
        "cachet" => Family {
            platform: "cachet",
            add: "/",
            answers: vec![
                a(
                    "/api/v1/components",
                    "cachet/constructed__v2_components.json",
                    JSON,
                ),
                a(
                    "/api/v1/incidents",
                    "cachet/constructed__v2_incidents.json",
                    JSON,
                ),
                a(
                    "/api/v1/schedules",
                    "cachet/constructed__v2_schedules.json",
                    JSON,
                ),
            ],
        },
        "apple" => Family {
            platform: "apple",
            add: "/support/systemstatus/",
            answers: vec![a(
                "/support/systemstatus/data/system_status_en_US.js",
                "apple/constructed__system_status_en_US.js",
                "application/x-javascript",
            )],
        },
        "cstate" => Family {
            platform: "cstate",
            add: "/",
            answers: vec![
                a("/index.json", "cstate/constructed__index.json", JSON),
                a(
                    "/issues/index.json",
                    "cstate/constructed__issues_index.json",
                    JSON,
                ),
            ],
        },
        "uptimekuma" => Family {
            platform: "uptimekuma",
            add: "/status/ops",
            answers: vec![
                a(
                    "/api/status-page/ops",
                    "uptimekuma/constructed__status-page.json",
                    JSON,
                ),
                a(
                    "/api/status-page/heartbeat/ops",
                    "uptimekuma/constructed__heartbeat.json",
                    JSON,
                ),
            ],
        },
        "sorry" => Family {
            platform: "sorry",
            add: "/",
            answers: vec![
                a("/api/v1/status", "sorry/constructed__status.json", JSON),
                a("/api/v1/notices", "sorry/constructed__notices.json", JSON),
            ],
        },
        other => panic!("no family {other}"),
    }
}

/// Every way an answer goes wrong, with the words its failure must name.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Empty,
    Truncated,
    HtmlInstead,
    OtherShape,
    TooManyRequests,
    ServerError,
    Timeout,
    Trickle,
    OverCap,
    GzipBomb,
    /// The good answer with every date made impossible (30 February, 25:61).
    ImpossibleDates,
}

const FAULTS: [Fault; 11] = [
    Fault::Empty,
    Fault::Truncated,
    Fault::HtmlInstead,
    Fault::OtherShape,
    Fault::TooManyRequests,
    Fault::ServerError,
    Fault::Timeout,
    Fault::Trickle,
    Fault::OverCap,
    Fault::GzipBomb,
    Fault::ImpossibleDates,
];

/// The harness's body cap (see `support::Harness`).
const CAP: usize = 256 * 1024;

impl Fault {
    fn reply(self, good: &[u8], content_type: &'static str) -> Reply {
        let data = content_type == JSON;
        match self {
            Fault::Empty => Reply::bytes("", content_type),
            Fault::Truncated => Reply::bytes(good[..good.len() / 2].to_vec(), content_type),
            Fault::HtmlInstead => Reply::bytes(
                "<!DOCTYPE html><html><head><title>Down for maintenance</title></head>\
                 <body><h1>We'll be back soon</h1></body></html>",
                "text/html",
            ),
            Fault::OtherShape if data => Reply::bytes(r#"{"ok": true, "items": [1, 2]}"#, JSON),
            Fault::OtherShape => Reply::bytes(
                "<?xml version=\"1.0\"?><config><entry>1</entry></config>",
                content_type,
            ),
            Fault::TooManyRequests => Reply::Status(429, Some(900)),
            Fault::ServerError => Reply::Status(500, None),
            Fault::Timeout => Reply::Slow(Duration::from_secs(3)),
            Fault::Trickle => Reply::Trickle(Duration::from_secs(1), good.to_vec()),
            Fault::OverCap => {
                let mut big = good.to_vec();
                big.resize(CAP + 4096, b' ');
                Reply::bytes(big, content_type)
            }
            Fault::GzipBomb => Reply::gzip_bomb(64 * 1024 * 1024),
            Fault::ImpossibleDates => Reply::bytes(impossible_dates(good), content_type),
        }
    }

    /// Words the failure must name, where the fault fixes them.
    fn words(self) -> &'static [&'static str] {
        match self {
            Fault::Empty => &["empty"],
            Fault::TooManyRequests => &["HTTP 429"],
            Fault::ServerError => &["HTTP 500"],
            Fault::Timeout | Fault::Trickle => &["timed out"],
            Fault::OverCap | Fault::GzipBomb => &["cap"],
            Fault::ImpossibleDates => &["unreadable date `"],
            // What is wrong with a garbled body depends on where it broke;
            // the failure must still say what it could not read.
            Fault::Truncated | Fault::HtmlInstead | Fault::OtherShape => &[],
        }
    }
}

struct Watched {
    v: Vendor,
    h: Harness,
    src: Source,
    incidents: Vec<StoredIncident>,
    events: Vec<Event>,
}

async fn baseline(f: &Family) -> Watched {
    let v = Vendor::start().await;
    for (path, good, ct) in &f.answers {
        v.set(path, Reply::bytes(good.clone(), ct));
    }
    let h = Harness::new().await;
    let src = h.add(f.platform, &v.url(f.add), f.platform).await;
    let o = h.poll(&src).await;
    assert!(o.is_ok(), "{}: baseline poll {o:?}", f.platform);
    let incidents = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert!(
        !incidents.is_empty(),
        "{}: the good answer should store something to protect",
        f.platform
    );
    for (path, ..) in &f.answers {
        assert!(v.hits(path) > 0, "{}: {path} was never read", f.platform);
    }
    let events = h.store.events_after(0, 1000).await.unwrap();
    Watched {
        v,
        h,
        src,
        incidents,
        events,
    }
}

/// Every fault on every endpoint of the family, each against a vendor and a
/// store of its own (all at once): nothing stored changes and the health
/// says what happened.
async fn matrix(name: &str) {
    let f = family(name);
    let checks = f
        .answers
        .iter()
        .flat_map(|(path, good, ct)| FAULTS.map(|fault| (path, good, *ct, fault)))
        // An answer that states no date (a page's component list) has no
        // dates to break.
        .filter(|(_, good, _, fault)| {
            !matches!(fault, Fault::ImpossibleDates) || impossible_dates(good) != **good
        })
        .map(|(path, good, ct, fault)| check(&f, path, fault.reply(good, ct), fault));
    // Eight at a time: each has a vendor and a store of its own, and the
    // harness's 700 ms timeout must hold for the good answers under load.
    use futures::StreamExt;
    let results: Vec<(Fault, bool)> = futures::stream::iter(checks)
        .buffer_unordered(8)
        .collect()
        .await;
    assert!(results.len() >= f.answers.len() * (FAULTS.len() - 1));
    // Impossible dates where the adapter reads them refuse the answer; in
    // the family's other answers (a date nobody reads) they change nothing.
    assert!(
        results
            .iter()
            .any(|(fault, failed)| matches!(fault, Fault::ImpossibleDates) && *failed),
        "{name}: no answer with impossible dates was refused"
    );
}

/// One fault on one endpoint; whether the poll failed.
async fn check(f: &Family, path: &str, reply: Reply, fault: Fault) -> (Fault, bool) {
    let w = baseline(f).await;
    w.v.set(path, reply);
    // Past the history period, so the histories are read too.
    w.h.clock.advance(3600);
    let outcome = w.h.poll(&w.src).await;
    let at = format!("{} {path} {fault:?}", f.platform);
    let msg = match &outcome {
        Outcome::Failed(m) | Outcome::Suspect(m) => m.clone(),
        Outcome::Unchanged if matches!(fault, Fault::ImpossibleDates) => {
            // Dates this adapter does not read: nothing was taken from them.
            assert_eq!(
                w.h.store
                    .incidents(&IncidentQuery::default())
                    .await
                    .unwrap(),
                w.incidents,
                "{at}: stored incidents changed"
            );
            return (fault, false);
        }
        other => panic!("{at}: expected a failed poll, got {other:?}"),
    };
    for word in fault.words() {
        assert!(msg.contains(word), "{at}: `{msg}` should name `{word}`");
    }
    assert!(msg.contains(path), "{at}: `{msg}` should name the endpoint");
    assert_eq!(
        w.h.store
            .incidents(&IncidentQuery::default())
            .await
            .unwrap(),
        w.incidents,
        "{at}: stored incidents changed"
    );
    assert_eq!(
        w.h.store.events_after(0, 1000).await.unwrap(),
        w.events,
        "{at}: events recorded"
    );
    let s = w.h.store.source(w.src.id).await.unwrap();
    assert_eq!(s.health.consecutive_failures, 1, "{at}");
    assert_eq!(s.health.last_error.as_deref(), Some(msg.as_str()), "{at}");
    assert!(
        matches!(
            s.health.last_outcome,
            Some(PollOutcome::Error | PollOutcome::Suspect)
        ),
        "{at}: {:?}",
        s.health.last_outcome
    );
    if let Fault::TooManyRequests = fault {
        let wait = s.next_poll_at - s.health.last_poll_at.unwrap();
        assert!(
            wait >= chrono::Duration::seconds(900),
            "{at}: next poll in {wait}"
        );
    }
    (fault, true)
}

macro_rules! families {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                matrix(stringify!($name)).await;
            }
        )*
    };
}

families!(
    apple,
    cstate,
    uptimekuma,
    statuspage,
    feed,
    gcp,
    slack,
    aws,
    azure,
    heroku,
    statusio,
    incidentio,
    instatus,
    betterstack,
    cachet,
    sorry,
);

/// Every registered platform is in the matrix (a new one must add its
/// family above and its name to `families!`), but `html`, whose pages are
/// read by the generic extractor and have their faults in `html_source.rs`.
#[test]
fn every_platform_has_a_family() {
    let listed = include_str!("fault_matrix.rs");
    let names = listed
        .split("families!(")
        .nth(1)
        .and_then(|rest| rest.split(");").next())
        .expect("the families! list");
    for spec in statuswatch_sources::REGISTRY {
        if spec.name == "html" {
            continue;
        }
        let family = family(spec.name);
        assert_eq!(family.platform, spec.name);
        assert!(
            names.split(',').any(|n| n.trim() == spec.name),
            "platform {} has a family but no test in families!",
            spec.name
        );
    }
}

/// Every ISO-like date (`2026-08-18T…`) and every RFC 2822 day-month of the
/// body replaced by an impossible one (30 February, 25:61).
fn impossible_dates(good: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(good).into_owned();
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    while i < b.len() {
        // YYYY-MM-DDTHH:MM:SS
        if i + 19 <= b.len()
            && digits(&b[i..i + 4])
            && b[i + 4] == b'-'
            && digits(&b[i + 5..i + 7])
            && b[i + 7] == b'-'
            && digits(&b[i + 8..i + 10])
            && (b[i + 10] == b'T' || b[i + 10] == b' ')
            && digits(&b[i + 11..i + 13])
            && b[i + 13] == b':'
        {
            out.push_str("2026-02-30T25:61");
            i += 16;
            continue;
        }
        // "MM/DD/YYYY HH:MM" (Apple)
        if i + 16 <= b.len()
            && digits(&b[i..i + 2])
            && b[i + 2] == b'/'
            && digits(&b[i + 3..i + 5])
            && b[i + 5] == b'/'
            && digits(&b[i + 6..i + 10])
            && b[i + 10] == b' '
            && digits(&b[i + 11..i + 13])
            && b[i + 13] == b':'
        {
            out.push_str("02/30/2026 25:61");
            i += 16;
            continue;
        }
        // "DD Mon YYYY HH:MM" (RSS)
        if i + 17 <= b.len()
            && digits(&b[i..i + 2])
            && b[i + 2] == b' '
            && b[i + 3].is_ascii_uppercase()
            && b[i + 6] == b' '
            && digits(&b[i + 7..i + 11])
            && b[i + 11] == b' '
            && digits(&b[i + 12..i + 14])
            && b[i + 14] == b':'
        {
            out.push_str("30 Feb 2026 25:61");
            i += 17;
            continue;
        }
        // "Jun 11 2022 18:55" (JavaScript's Date.toString, Instatus)
        if i + 17 <= b.len()
            && b[i].is_ascii_uppercase()
            && b[i + 1].is_ascii_lowercase()
            && b[i + 3] == b' '
            && digits(&b[i + 4..i + 6])
            && b[i + 6] == b' '
            && digits(&b[i + 7..i + 11])
            && b[i + 11] == b' '
            && digits(&b[i + 12..i + 14])
            && b[i + 14] == b':'
        {
            out.push_str("Feb 30 2026 25:61");
            i += 17;
            continue;
        }
        let ch = text[i..].chars().next().unwrap();
        out.push(ch);
        i += ch.len_utf8();
    }
    out.into_bytes()
}
