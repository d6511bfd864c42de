//! One reading path: a page watched with `--platform html` is stored exactly
//! as `statuswatch extract` reads it, through the phases of its incident
//! (updates added, an empty answer), whether it shows one incident (under
//! headings of its own: a title, `Updates`, each update's label) or lists
//! several.

mod support;

use chrono::{DateTime, Utc};
use statuswatch_engine::{EngineConfig, Outcome};
use statuswatch_extract::{extract, extract_all};
use statuswatch_model::Incident;
use statuswatch_store::IncidentQuery;
use support::{Harness, Reply, Vendor};

/// What a reader compares of an incident.
fn essence(i: &Incident) -> String {
    let updates: Vec<String> = i
        .updates
        .iter()
        .map(|u| {
            format!(
                "{} | {:?} | {:?} | {}",
                u.label,
                u.status,
                u.at,
                u.body.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect();
    format!(
        "title={:?} kind={:?} impact={:?} status={:?} start={:?} end={:?} window={:?}..{:?} components={:?}\n{}",
        i.title,
        i.kind,
        i.impact,
        i.status,
        i.started_at,
        i.resolved_at,
        i.scheduled_for,
        i.scheduled_until,
        i.components,
        updates.join("\n")
    )
}

async fn stored(h: &Harness) -> Vec<Incident> {
    let mut all: Vec<Incident> = h
        .store
        .incidents(&IncidentQuery::default())
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.incident)
        .collect();
    all.sort_by(|a, b| a.title.cmp(&b.title));
    all
}

fn now(h: &Harness) -> DateTime<Utc> {
    use statuswatch_engine::Clock;
    h.clock.now()
}

/// A vendor's own incident page in the shape of a custom status page: the
/// brand, the incident's title as `h1`, a state badge with the components
/// it is on, when it started and how long it lasted, `Updates`, and each
/// update as its label (`h3`), its text and its time. Written here.
fn single_page(updates: &[(&str, &str, &str)], over: bool) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Acme Cloud Status</title></head><body>\
         <header><a href=\"/\">Acme Cloud</a> <span>Platform Status</span></header><main>\
         <h1>[Storage] Elevated Error Rates on Object Uploads</h1>\
         <p><span class=\"badge\">Major outage</span> <span>Global</span> <span>Dashboard</span> <span>DE-FRA-1</span> <span>Object Storage</span></p>",
    );
    if over {
        html.push_str("<p><time>2026-03-02 09:10 CET</time> · 1 hour, 25 minutes</p>");
    } else {
        html.push_str("<p><time>2026-03-02 09:10 CET</time></p>");
    }
    html.push_str("<h2>Updates</h2>");
    for (label, body, at) in updates {
        html.push_str(&format!(
            "<article class=\"update\"><h3>{label}</h3><p>{body}</p><p><time>{at}</time></p></article>"
        ));
    }
    html.push_str("</main><a href=\"/\">← Back</a></body></html>");
    html
}

const FIRST: [(&str, &str, &str); 2] = [
    (
        "Investigating",
        "We are investigating elevated error rates on uploads in DE-FRA-1.",
        "March 2, 2026 · 09:22 CET",
    ),
    (
        "Issue",
        "Uploads to object storage fail for some customers.",
        "March 2, 2026 · 09:10 CET",
    ),
];

/// An update as the page shows it: its heading, its text, its time.
type Update = (&'static str, &'static str, &'static str);

async fn harness() -> Harness {
    Harness::with_fetch(Vec::new(), EngineConfig::default(), 8 * 1024 * 1024).await
}

#[tokio::test]
async fn a_single_incident_page_is_stored_as_extract_reads_it_through_its_phases() {
    let v = Vendor::start().await;
    let h = harness().await;
    let src = h.add("acme", &v.url("/incidents/42"), "html").await;

    let mut phases: Vec<(Vec<Update>, bool)> = vec![(FIRST.to_vec(), false)];
    let mut more = vec![
        (
            "Monitoring",
            "A fix is deployed; we are watching uploads.",
            "March 2, 2026 · 10:05 CET",
        ),
        (
            "Update",
            "The faulty storage node is out of rotation.",
            "March 2, 2026 · 09:48 CET",
        ),
    ];
    more.extend(FIRST);
    phases.push((more.clone(), false));
    let mut last = vec![(
        "Resolved",
        "Uploads succeed again for all customers.",
        "March 2, 2026 · 10:35 CET",
    )];
    last.extend(more);
    phases.push((last, true));

    for (k, (updates, over)) in phases.iter().enumerate() {
        let page = single_page(updates, *over);
        v.set("/incidents/42", Reply::bytes(page.clone(), "text/html"));
        let out = h.poll(&src).await;
        assert!(out.is_ok(), "phase {k}: {out:?}");
        let read = extract(&page, now(&h)).unwrap().incident;
        let all = stored(&h).await;
        assert_eq!(all.len(), 1, "phase {k}: one incident, never split");
        assert_eq!(essence(&all[0]), essence(&read), "phase {k}");
        assert_eq!(
            read.updates.len(),
            updates.len(),
            "phase {k}: every update read"
        );
    }
    let done = &stored(&h).await[0];
    assert_eq!(
        done.title,
        "[Storage] Elevated Error Rates on Object Uploads"
    );
    assert_eq!(done.status, statuswatch_model::Status::Resolved);
    assert_eq!(done.impact, Some(statuswatch_model::Impact::Major));
    let names: Vec<(Option<&str>, &str)> = done
        .components
        .iter()
        .map(|c| (c.group.as_deref(), c.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (Some("Global"), "Dashboard"),
            (Some("DE-FRA-1"), "Object Storage")
        ]
    );

    // An empty page: held as suspect, nothing lost.
    let before = stored(&h).await;
    v.set(
        "/incidents/42",
        Reply::bytes(
            "<!DOCTYPE html><html><body><p>Loading…</p></body></html>",
            "text/html",
        ),
    );
    assert!(matches!(h.poll(&src).await, Outcome::Suspect(_)));
    assert_eq!(stored(&h).await, before);
}

/// A page listing several incidents, each a block of its own (no heading
/// cuts them: a day list of a history page). Written here.
fn history_page(third: bool) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Acme Status</title></head><body><h1>Acme Status</h1>\
         <div class=\"days\">",
    );
    if third {
        html.push_str(
            "<div class=\"day\"><p class=\"date\">Mar 4, 2026</p>\
             <div class=\"incident\"><p class=\"name\">Webhooks delayed</p>\
             <p><strong>Investigating</strong> - Webhooks are delayed.</p><p><small>Mar 4, 2026 - 08:00 UTC</small></p></div></div>",
        );
    }
    html.push_str(
        "<div class=\"day\"><p class=\"date\">Mar 3, 2026</p>\
         <div class=\"incident\"><p class=\"name\">API errors</p>\
         <p><strong>Resolved</strong> - Fixed.</p><p><small>Mar 3, 2026 - 12:00 UTC</small></p>\
         <p><strong>Investigating</strong> - Looking into errors.</p><p><small>Mar 3, 2026 - 11:00 UTC</small></p></div></div>\
         <div class=\"day\"><p class=\"date\">Mar 1, 2026</p>\
         <div class=\"incident\"><p class=\"name\">Dashboard slow</p>\
         <p><strong>Resolved</strong> - Back to normal.</p><p><small>Mar 1, 2026 - 16:30 UTC</small></p>\
         <p><strong>Identified</strong> - A slow query.</p><p><small>Mar 1, 2026 - 15:00 UTC</small></p></div></div>\
         </div></body></html>",
    );
    html
}

#[tokio::test]
async fn a_page_listing_incidents_is_stored_as_extract_all_reads_it() {
    let v = Vendor::start().await;
    let h = harness().await;
    let src = h.add("acme", &v.url("/history"), "html").await;
    for third in [false, true] {
        let page = history_page(third);
        v.set("/history", Reply::bytes(page.clone(), "text/html"));
        assert!(h.poll(&src).await.is_ok());
        let mut read: Vec<Incident> = extract_all(&page, now(&h))
            .unwrap()
            .into_iter()
            .map(|x| x.incident)
            .collect();
        read.sort_by(|a, b| a.title.cmp(&b.title));
        assert_eq!(read.len(), if third { 3 } else { 2 });
        let all = stored(&h).await;
        assert_eq!(
            all.iter().map(essence).collect::<Vec<_>>(),
            read.iter().map(essence).collect::<Vec<_>>()
        );
    }
    let titles: Vec<String> = stored(&h).await.into_iter().map(|i| i.title).collect();
    assert_eq!(titles, ["API errors", "Dashboard slow", "Webhooks delayed"]);
}

/// The seed documents the project was specified from (`../shared/seeds`),
/// served as HTML pages (each line a paragraph, the title its `h1`, each
/// update's label an `h3`) and watched: each read as its text is read.
#[tokio::test]
async fn the_seed_documents_watched_as_pages_read_as_their_text() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if !dir.is_dir() {
        statuswatch_testkit::skip("../shared/seeds is not here");
        return;
    }
    for n in 1..=5 {
        let text = std::fs::read_to_string(dir.join(format!("00{n}.txt"))).unwrap();
        let html = as_html(&text);
        let v = Vendor::start().await;
        let h = harness().await;
        let src = h.add("seed", &v.url("/page"), "html").await;
        v.set("/page", Reply::bytes(html.clone(), "text/html"));
        assert!(h.poll(&src).await.is_ok(), "seed {n}");
        let from_text = extract(&text, now(&h)).unwrap().incident;
        let from_html = extract(&html, now(&h)).unwrap().incident;
        let all = stored(&h).await;
        assert_eq!(all.len(), 1, "seed {n}: one incident");
        assert_eq!(
            essence(&from_html),
            essence(&from_text),
            "seed {n}: HTML as text"
        );
        assert_eq!(
            essence(&all[0]),
            essence(&from_text),
            "seed {n}: watched as read"
        );
    }
}

/// A page's text as HTML: the first line that reads as a title an `h1`,
/// a line that is an update's status word an `h3`, every other line a
/// paragraph (its text escaped).
fn as_html(text: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut html = String::from("<!DOCTYPE html><html><body>");
    let status = |l: &str| {
        statuswatch_model::Status::from_word(l.trim()).is_some()
            || matches!(l.trim(), "Update" | "Issue" | "Escalate" | "Post-mortem")
    };
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if status(line) {
            html.push_str(&format!("<h3>{}</h3>", esc(line)));
        } else {
            html.push_str(&format!("<p>{}</p>", esc(line)));
        }
    }
    html.push_str("</body></html>");
    html
}
