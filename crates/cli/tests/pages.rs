//! A status page of one's own, made only with the CLI, served by `serve`, and
//! read back by a second statuswatch through `add …/status/<slug>` as any
//! Statuspage page: the same titles, statuses, impact, components, update
//! times and window. Its API v2 answers have the keys and types of real
//! Statuspage answers (the committed captures).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn cmd(db: &Path) -> Command {
    let mut c = Command::cargo_bin("statuswatch").unwrap();
    c.env("STATUSWATCH_DB", db).env_remove("STATUSWATCH_LOG");
    c
}

/// Runs `args`, asserts success, returns stdout.
fn run(db: &Path, args: &[&str]) -> String {
    let out = cmd(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn last_line(s: &str) -> String {
    s.lines().last().unwrap().trim().to_string()
}

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(db: &Path) -> (Serve, u16) {
    serve_with(db, free_port(), &[], &[])
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `statuswatch BEFORE… serve --listen … AFTER…` on `port`, once it listens.
fn serve_with(db: &Path, port: u16, before: &[&str], after: &[&str]) -> (Serve, u16) {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("statuswatch"))
        .args(before)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(after)
        .env("STATUSWATCH_DB", db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not listen");
        std::thread::sleep(Duration::from_millis(100));
    }
    (Serve(child), port)
}

fn get(port: u16, path: &str) -> (u16, String) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let r = reqwest::get(format!("http://127.0.0.1:{port}{path}"))
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    })
}

/// What `serve` answers at `path` once it has seen a change another process
/// wrote: a page is served as rendered and re-read within a second of a
/// change (`status::FRESH`); asked every 100 ms until `seen` holds (3 s at
/// most, for a loaded machine), the last answer is returned either way.
fn after_change(port: u16, path: &str, seen: impl Fn(u16, &str) -> bool) -> (u16, String) {
    eventually(|| get(port, path), |(status, body)| seen(*status, body))
}

/// `ask` until `seen` holds of its answer (see [`after_change`]).
fn eventually<T>(ask: impl Fn() -> T, seen: impl Fn(&T) -> bool) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let answer = ask();
        if seen(&answer) || std::time::Instant::now() > deadline {
            return answer;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Makes the page of the issue's "done when": a component, an incident from
/// investigating to resolved with a postmortem, and a maintenance.
fn make_page(db: &Path) -> (String, String) {
    run(db, &["page", "add", "acme", "--title", "Acme Cloud"]);
    run(db, &["page", "component", "add", "acme", "API"]);
    run(
        db,
        &[
            "page",
            "component",
            "add",
            "acme",
            "Dashboard",
            "--group",
            "Web",
        ],
    );
    let id = last_line(&run(
        db,
        &[
            "page",
            "incident",
            "open",
            "acme",
            "--title",
            "API errors",
            "--message",
            "We are looking into errors on the API.",
            "--impact",
            "major",
            "--component",
            "API",
        ],
    ));
    for (status, message) in [
        ("identified", "A bad deploy; rolling back."),
        ("monitoring", "Rolled back; watching."),
        ("resolved", "Errors are back to normal."),
    ] {
        run(
            db,
            &[
                "page",
                "incident",
                "update",
                "acme",
                &id,
                "--status",
                status,
                "--message",
                message,
            ],
        );
    }
    run(
        db,
        &[
            "page",
            "incident",
            "postmortem",
            "acme",
            &id,
            "--message",
            "Root cause: a config flag.",
        ],
    );
    let m = last_line(&run(
        db,
        &[
            "page",
            "maintenance",
            "add",
            "acme",
            "--title",
            "Database upgrade",
            "--from",
            "2031-01-10T02:00:00Z",
            "--until",
            "2031-01-10T03:30:00Z",
            "--message",
            "We will upgrade the database.",
            "--component",
            "Dashboard",
        ],
    ));
    (id, m)
}

/// The fields a reader must get back, per incident, by title.
fn essentials(incidents: &Value) -> Vec<Value> {
    let mut v: Vec<Value> = incidents
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let updates: Vec<Value> = i["updates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| serde_json::json!([u["status"], u["at"], u["body"]]))
                .collect();
            serde_json::json!({
                "title": i["title"], "kind": i["kind"], "status": i["status"], "impact": i["impact"],
                "components": i["components"], "started_at": i["started_at"], "resolved_at": i["resolved_at"],
                "scheduled_for": i["scheduled_for"], "scheduled_until": i["scheduled_until"], "updates": updates,
            })
        })
        .collect();
    v.sort_by_key(|x| x["title"].as_str().unwrap().to_string());
    v
}

#[test]
fn a_page_made_with_the_cli_is_read_back_by_another_statuswatch() {
    let dir = tempfile::tempdir().unwrap();
    let ours: PathBuf = dir.path().join("ours.db");
    let theirs: PathBuf = dir.path().join("theirs.db");
    make_page(&ours);
    let mine = serde_json::from_str::<Value>(&run(&ours, &["incidents", "--json"])).unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 2);
    assert!(mine
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["provider"] == "Acme Cloud"));
    let (_serve, port) = serve(&ours);

    let added = run(
        &theirs,
        &["add", &format!("http://127.0.0.1:{port}/status/acme")],
    );
    assert!(added.contains("statuspage"), "{added}");
    run(&theirs, &["poll"]);
    let read = serde_json::from_str::<Value>(&run(&theirs, &["incidents", "--json"])).unwrap();
    assert_eq!(
        essentials(&read),
        essentials(&mine),
        "timeline for timeline"
    );
    let comps =
        serde_json::from_str::<Value>(&run(&theirs, &["components", "Acme Cloud", "--json"]))
            .unwrap();
    let names: Vec<(String, Value)> = comps
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["group"].clone()))
        .collect();
    assert!(names.contains(&("API".into(), Value::Null)), "{names:?}");
    assert!(
        names.contains(&("Dashboard".into(), Value::String("Web".into()))),
        "{names:?}"
    );

    // The maintenance as an iCalendar event, for subscribers' calendars.
    let (code, ics) = get(port, "/status/acme/maintenances.ics");
    assert_eq!(code, 200);
    // Unfold RFC 5545's continuation lines before reading properties.
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"), "{ics}");
    assert_eq!(
        lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
        1,
        "{ics}"
    );
    for want in [
        "SUMMARY:Database upgrade",
        "DTSTART:20310110T020000Z",
        "DTEND:20310110T033000Z",
        "X-STATUSWATCH-STATUS:scheduled",
    ] {
        assert!(lines.contains(&want), "{want} in\n{ics}");
    }
    assert!(lines
        .iter()
        .any(|l| l.starts_with("UID:") && l.ends_with("@statuswatch/acme")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("DESCRIPTION:") && l.contains("upgrade the database")));
}

/// Every key of `theirs` is in `ours` with the same JSON type (null matches
/// any), and `ours` has no key `theirs` lacks (a group's member list aside).
fn same_shape(ours: &Value, theirs: &Value, path: &str, errors: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(o), Value::Object(t)) => {
            for (k, tv) in t {
                match o.get(k) {
                    Some(ov) => same_shape(ov, tv, &format!("{path}.{k}"), errors),
                    None => errors.push(format!("{path}.{k} missing")),
                }
            }
            for k in o.keys() {
                let group_members = k == "components" && o.get("group") == Some(&Value::Bool(true));
                if !t.contains_key(k) && !group_members {
                    errors.push(format!("{path}.{k} is not in Statuspage's answer"));
                }
            }
        }
        (Value::Array(o), Value::Array(t)) => {
            if let Some(first) = t.first() {
                for (n, ov) in o.iter().enumerate() {
                    same_shape(ov, first, &format!("{path}[{n}]"), errors);
                }
            }
        }
        (o, t) => {
            let kind = |v: &Value| match v {
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
                Value::Null => "null",
            };
            if kind(o) != kind(t) {
                errors.push(format!(
                    "{path}: {} where Statuspage has {}",
                    kind(o),
                    kind(t)
                ));
            }
        }
    }
}

#[test]
fn the_api_v2_answers_have_statuspage_s_keys_and_types() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ours.db");
    make_page(&db);
    // An open incident too, so the summary lists one.
    run(
        &db,
        &[
            "page",
            "incident",
            "open",
            "acme",
            "--title",
            "Slow dashboard",
            "--message",
            "Looking.",
            "--component",
            "Dashboard",
        ],
    );
    let (_serve, port) = serve(&db);
    let fixture = |name: &str| -> Value {
        serde_json::from_slice(&statuswatch_testkit::fixture!(name)).unwrap()
    };
    let summary = fixture("cursor__summary_2026-09-25_incident.json");
    let incidents = fixture("github__incidents_2026-08-18.json");
    let maintenances = fixture("anthropic-claude__scheduled-maintenances_2026-09-15.json");
    let reference = |path: &str| -> Value {
        match path {
            "summary.json" => {
                let mut s = summary.clone();
                s["scheduled_maintenances"] = maintenances["scheduled_maintenances"].clone();
                s
            }
            "status.json" => {
                serde_json::json!({"page": summary["page"], "status": summary["status"]})
            }
            "components.json" => {
                serde_json::json!({"page": summary["page"], "components": summary["components"]})
            }
            p if p.starts_with("incidents") => incidents.clone(),
            _ => maintenances.clone(),
        }
    };
    let mut errors = Vec::new();
    for path in [
        "summary.json",
        "status.json",
        "components.json",
        "incidents.json",
        "incidents/unresolved.json",
        "scheduled-maintenances.json",
        "scheduled-maintenances/upcoming.json",
        "scheduled-maintenances/active.json",
    ] {
        let (status, body) = get(port, &format!("/status/acme/api/v2/{path}"));
        assert_eq!(status, 200, "{path}");
        let ours: Value = serde_json::from_str(&body).unwrap();
        same_shape(&ours, &reference(path), path, &mut errors);
    }
    assert!(errors.is_empty(), "{errors:#?}");
    // What the answers say.
    let (_, s) = get(port, "/status/acme/api/v2/summary.json");
    let s: Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["page"]["name"], "Acme Cloud");
    assert_eq!(s["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(s["incidents"][0]["name"], "Slow dashboard");
    assert_eq!(s["scheduled_maintenances"][0]["name"], "Database upgrade");
    let dash = s["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Dashboard")
        .unwrap();
    assert_eq!(
        dash["status"], "degraded_performance",
        "a minor incident on it"
    );
    assert_eq!(s["status"]["indicator"], "minor");
    // For people, and as feeds.
    let (status, html) = get(port, "/status/acme");
    assert_eq!(status, 200);
    assert!(html.contains("Acme Cloud") && html.contains("Slow dashboard"));
    let (status, atom) = get(port, "/status/acme/history.atom");
    assert_eq!(status, 200);
    let feed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 3);
    let (status, rss) = get(port, "/status/acme/history.rss");
    assert_eq!(status, 200);
    assert_eq!(
        feed_rs::parser::parse(rss.as_bytes())
            .unwrap()
            .entries
            .len(),
        3
    );
    // No such page answers as a private one does (401), so a private
    // page's name cannot be told by its answer.
    assert_eq!(get(port, "/status/nope/api/v2/summary.json").0, 401);
}

#[test]
fn page_commands_refuse_what_is_wrong_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ours.db");
    let fails = |args: &[&str], says: &str| {
        let out = cmd(&db).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    };
    fails(
        &["page", "add", "Not A Slug", "--title", "X"],
        "lower-case letters",
    );
    fails(
        &["page", "component", "add", "acme", "API"],
        "no page `acme`; make one",
    );
    run(&db, &["page", "add", "acme", "--title", "Acme"]);
    fails(
        &["page", "add", "acme", "--title", "Other"],
        "exists already",
    );
    run(&db, &["page", "component", "add", "acme", "Typo"]);
    fails(
        &["page", "component", "remove", "acme", "Tpyo"],
        "no component `Tpyo`; the page's components: Typo",
    );
    run(&db, &["page", "component", "remove", "acme", "Typo"]);
    fails(
        &["page", "component", "remove", "acme", "Typo"],
        "no component `Typo`: the page has none yet",
    );
    fails(
        &[
            "page",
            "incident",
            "open",
            "acme",
            "--title",
            "T",
            "--message",
            "M",
            "--component",
            "API",
        ],
        "no component `API`",
    );
    fails(
        &[
            "page",
            "incident",
            "open",
            "acme",
            "--title",
            "T",
            "--message",
            "M",
            "--status",
            "resolved",
        ],
        "status `resolved`: one of investigating, identified, monitoring",
    );
    let id = last_line(&run(
        &db,
        &[
            "page",
            "incident",
            "open",
            "acme",
            "--title",
            "T",
            "--message",
            "M",
        ],
    ));
    fails(
        &[
            "page",
            "incident",
            "postmortem",
            "acme",
            &id,
            "--message",
            "P",
        ],
        "resolve it before its postmortem",
    );
    fails(
        &[
            "page",
            "maintenance",
            "add",
            "acme",
            "--title",
            "M",
            "--from",
            "tomorrow",
            "--until",
            "2031-01-01T00:00:00Z",
        ],
        "not an RFC 3339 time",
    );
    // Nothing above left a trace: one page, one incident.
    let list: Value = serde_json::from_str(&run(&db, &["page", "list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["open"].as_array().unwrap().len(), 1);
}

/// Watched vendors on one's own page: GitHub-Actions-style external
/// components whose state and incidents are read live from the watched
/// source, shown for people (linked to the vendor's incident page) and for
/// machines (in a group of their own in the API), never changing the page's
/// own state.
#[test]
fn a_watched_vendor_is_shown_on_the_page_live() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    // Cursor's real page: "Grok Bot" degraded by an open incident.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let vendor = rt.block_on(statuswatch_testkit::Vendor::start());
    let fixture = |n: &str| statuswatch_testkit::fixture!(n);
    let summary: Value =
        serde_json::from_slice(&fixture("cursor__summary_2026-09-25_incident.json")).unwrap();
    let page = summary["page"].clone();
    let set = |summary: &Value| {
        vendor.set(
            "/sp/api/v2/summary.json",
            statuswatch_testkit::Reply::json(summary),
        );
        vendor.set(
            "/sp/api/v2/incidents.json",
            statuswatch_testkit::Reply::json(
                &serde_json::json!({"page": page, "incidents": summary["incidents"]}),
            ),
        );
        vendor.set(
            "/sp/api/v2/scheduled-maintenances.json",
            statuswatch_testkit::Reply::json(
                &serde_json::json!({"page": page, "scheduled_maintenances": []}),
            ),
        );
    };
    set(&summary);
    run(
        &db,
        &["add", &vendor.url("/sp/"), "--platform", "statuspage"],
    );
    run(&db, &["poll"]);
    run(&db, &["page", "add", "acme", "--title", "Acme"]);
    run(&db, &["page", "component", "add", "acme", "API"]);
    let added = run(
        &db,
        &[
            "page",
            "external",
            "add",
            "acme",
            "Cursor",
            "--component",
            "Grok Bot",
        ],
    );
    assert!(added.contains("Cursor Grok Bot"), "{added}");
    run(
        &db,
        &[
            "page",
            "external",
            "add",
            "acme",
            "Cursor",
            "--label",
            "Cursor (all)",
        ],
    );
    // Wrong names are refused, naming what there is.
    for (args, says) in [
        (
            &["page", "external", "add", "acme", "Nobody"][..],
            "no watched source named `Nobody`",
        ),
        (
            &[
                "page",
                "external",
                "add",
                "acme",
                "Cursor",
                "--component",
                "Nope",
            ][..],
            "lists no component `Nope`",
        ),
        (
            &[
                "page",
                "external",
                "add",
                "acme",
                "Cursor",
                "--component",
                "Grok Bot",
            ][..],
            "already on the page",
        ),
        (
            &["page", "external", "add", "nopage", "Cursor"][..],
            "nopage",
        ),
    ] {
        let out = cmd(&db).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let list: Value = serde_json::from_str(&run(&db, &["page", "list", "--json"])).unwrap();
    assert_eq!(list[0]["externals"].as_array().unwrap().len(), 2);

    let (_serve, port) = serve(&db);
    let (code, html) = get(port, "/status/acme");
    assert_eq!(code, 200);
    assert!(html.contains("Third-party services"), "{html}");
    assert!(
        html.contains(r#"data-external="Cursor Grok Bot">Degraded"#),
        "the vendor's component shows its state: {html}"
    );
    let incidents: Value = serde_json::from_str(&run(&db, &["incidents", "--json"])).unwrap();
    let vendor_incident = incidents
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["provider"] == "Cursor")
        .unwrap();
    let link = format!("/incidents/{}", vendor_incident["id"].as_str().unwrap());
    assert!(
        html.contains(&link),
        "linked to the vendor's incident page {link}"
    );
    let (code, _) = get(port, &link);
    assert_eq!(code, 200);

    // For machines: the vendor's components in a group of their own; the
    // page's own state is its own components' (all operational).
    let (_, body) = get(port, "/status/acme/api/v2/summary.json");
    let v: Value = serde_json::from_str(&body).unwrap();
    let comps = v["components"].as_array().unwrap();
    let by_name = |n: &str| comps.iter().find(|c| c["name"] == n).unwrap().clone();
    let group = by_name("Third-party services");
    assert_eq!(group["group"], true);
    assert_eq!(group["status"], "degraded_performance");
    let grok = by_name("Cursor Grok Bot");
    assert_eq!(grok["status"], "degraded_performance");
    assert_eq!(grok["group_id"], group["id"]);
    assert_eq!(by_name("Cursor (all)")["status"], "degraded_performance");
    assert_eq!(by_name("API")["status"], "operational");
    assert_eq!(v["status"]["indicator"], "none");

    // Live: the vendor resolves; one poll later the page says so.
    let mut fixed = summary.clone();
    fixed["components"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .for_each(|c| c["status"] = "operational".into());
    let mut inc = fixed["incidents"][0].clone();
    inc["status"] = "resolved".into();
    inc["resolved_at"] = "2026-09-26T01:00:00.000Z".into();
    let id = inc["id"].clone();
    inc["incident_updates"].as_array_mut().unwrap().insert(
        0,
        serde_json::json!({"id": "fix1", "status": "resolved", "body": "Fixed.", "incident_id": id,
            "created_at": "2026-09-26T01:00:00.000Z", "updated_at": "2026-09-26T01:00:00.000Z",
            "display_at": "2026-09-26T01:00:00.000Z", "affected_components": null}),
    );
    fixed["incidents"] = serde_json::json!([]);
    set(&fixed);
    vendor.set(
        "/sp/api/v2/incidents.json",
        statuswatch_testkit::Reply::json(&serde_json::json!({"page": page, "incidents": [inc]})),
    );
    run(&db, &["poll"]);
    let (_, html) = after_change(port, "/status/acme", |_, html| {
        html.contains(r#"data-external="Cursor Grok Bot">Operational"#)
    });
    assert!(
        html.contains(r#"data-external="Cursor Grok Bot">Operational"#),
        "{html}"
    );
    assert!(
        !html.contains(&link),
        "a resolved vendor incident leaves the page"
    );

    // Taken off, renamed, removed.
    run(&db, &["page", "external", "remove", "acme", "Cursor (all)"]);
    let (_, body) = after_change(port, "/status/acme/api/v2/components.json", |_, b| {
        !b.contains("Cursor (all)")
    });
    assert!(!body.contains("Cursor (all)") && body.contains("Cursor Grok Bot"));
    let out = cmd(&db)
        .args(["page", "external", "remove", "acme", "Cursor (all)"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("shows no `Cursor (all)`"));
    run(&db, &["page", "set", "acme", "--title", "Acme Cloud"]);
    let (_, html) = after_change(port, "/status/acme", |_, h| h.contains("Acme Cloud"));
    assert!(
        html.contains("<h1 class=\"name\">Acme Cloud</h1>"),
        "{html}"
    );
    let out = cmd(&db).args(["page", "remove", "acme"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --yes"));
    assert_eq!(
        get(port, "/status/acme").0,
        200,
        "not removed without --yes"
    );
    run(&db, &["page", "remove", "acme", "--yes"]);
    assert_eq!(
        after_change(port, "/status/acme", |s, _| s == 401).0,
        401,
        "gone: answered as private"
    );
    let list: Value = serde_json::from_str(&run(&db, &["page", "list", "--json"])).unwrap();
    assert_eq!(list, serde_json::json!([]));
    // The watched vendor itself is untouched.
    assert!(run(&db, &["sources"]).contains("Cursor"));
}

/// Subscribers of a page's components: a webhook subscription filtered by
/// the page (its title is the provider) and one of its components gets that
/// component's incidents through the same outbox as every alert, once each,
/// signed as the webhook channel signs; another component's incident is not
/// sent to it.
#[test]
fn a_page_s_subscribers_get_their_components_incidents_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let receiver = rt.block_on(statuswatch_testkit::Receiver::start());
    let config = dir.path().join("sw.toml");
    std::fs::write(
        &config,
        format!(
            "[[channel]]\nname = \"api-watchers\"\nkind = \"webhook\"\nurl = \"{}\"\nsecret = \"s3cret\"\n\n\
             [[subscription]]\nchannel = \"api-watchers\"\nproviders = [\"Acme\"]\ncomponents = [\"API\"]\n",
            receiver.url()
        ),
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    let with = |args: &[&str]| {
        let mut a = vec!["--config", cfg];
        a.extend_from_slice(args);
        run(&db, &a)
    };
    with(&["page", "add", "acme", "--title", "Acme"]);
    with(&["page", "component", "add", "acme", "API"]);
    with(&["page", "component", "add", "acme", "Dashboard"]);
    let api = last_line(&with(&[
        "page",
        "incident",
        "open",
        "acme",
        "--title",
        "API errors",
        "--message",
        "Looking.",
        "--component",
        "API",
    ]));
    with(&[
        "page",
        "incident",
        "open",
        "acme",
        "--title",
        "Slow dashboard",
        "--message",
        "Looking.",
        "--component",
        "Dashboard",
    ]);
    with(&[
        "page",
        "incident",
        "update",
        "acme",
        &api,
        "--status",
        "resolved",
        "--message",
        "Fixed.",
    ]);
    // The dispatcher of `serve` sends what the commands queued.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _serve = Serve(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("statuswatch"))
            .args([
                "--config",
                cfg,
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .env("STATUSWATCH_DB", &db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while receiver.received().len() < 2 {
        assert!(Instant::now() < deadline, "{:?}", receiver.received().len());
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let got = receiver.received();
    let bodies: Vec<Value> = got
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let seen: Vec<(&str, &str)> = bodies
        .iter()
        .map(|b| {
            (
                b["type"].as_str().unwrap(),
                b["incident"]["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("incident.opened", "API errors"),
            ("incident.resolved", "API errors")
        ],
        "the API's subscribers hear of the API's incident, once per change, and not of the dashboard's"
    );
    for r in &got {
        assert!(r.headers["statuswatch-signature"].starts_with("t="));
        assert!(!r.headers["idempotency-key"].is_empty());
    }
}

/// One HTTP request to `serve`: status, headers, body.
fn http(
    method: &str,
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, String)>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut req = client.request(
            method.parse().unwrap(),
            format!("http://127.0.0.1:{port}{path}"),
        );
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some((ctype, b)) = body {
            req = req.header("content-type", ctype).body(b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let h = r.headers().clone();
        (status, h, r.text().await.unwrap())
    })
}

const TOKEN: &str = "test-admin-token-0123456789";

fn api(method: &str, port: u16, path: &str, body: Option<Value>) -> (u16, Value) {
    let auth = format!("Bearer {TOKEN}");
    let (status, _, text) = http(
        method,
        port,
        path,
        &[("authorization", &auth)],
        body.map(|b| ("application/json", b.to_string())),
    );
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A page managed only through the JSON API: the same checks as the CLI,
/// written the same way (its incidents in the one model, its API v2 as the
/// states they leave), and refused without the admin token.
#[test]
fn a_page_is_managed_from_the_json_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    let (_serve, port) = serve_with(&db, free_port(), &[], &["--admin-token", TOKEN]);
    let page = serde_json::json!({"slug": "shop", "title": "Shop"});
    let (status, _, _) = http(
        "POST",
        port,
        "/api/v1/pages",
        &[],
        Some(("application/json", page.to_string())),
    );
    assert_eq!(status, 401, "no token, no page");
    assert_eq!(
        api("GET", port, "/api/v1/pages", None).1,
        serde_json::json!([])
    );
    let (status, made) = api("POST", port, "/api/v1/pages", Some(page.clone()));
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["path"], "/status/shop");
    assert_eq!(api("POST", port, "/api/v1/pages", Some(page)).0, 409);
    let (status, err) = api(
        "POST",
        port,
        "/api/v1/pages",
        Some(serde_json::json!({"slug": "Bad Slug", "title": "X"})),
    );
    assert_eq!(status, 422);
    assert!(
        err["error"].as_str().unwrap().contains("lower-case"),
        "{err}"
    );

    let (status, p) = api(
        "POST",
        port,
        "/api/v1/pages/shop/components",
        Some(serde_json::json!({"name": "Checkout", "group": "Store"})),
    );
    assert_eq!(status, 201, "{p}");
    assert_eq!(p["components"][0]["status"], "operational");
    let (status, err) = api(
        "POST",
        port,
        "/api/v1/pages/shop/incidents",
        Some(serde_json::json!({"title": "Payments fail", "components": ["Nope"]})),
    );
    assert_eq!(status, 404, "{err}");
    let (status, err) = api(
        "POST",
        port,
        "/api/v1/pages/shop/incidents",
        Some(serde_json::json!({"title": "Payments fail", "status": "resolved"})),
    );
    assert_eq!(status, 422, "{err}");
    let (status, opened) = api(
        "POST",
        port,
        "/api/v1/pages/shop/incidents",
        Some(serde_json::json!({
            "title": "Payments fail", "message": "Card payments are failing.",
            "impact": "critical", "components": ["Checkout"]
        })),
    );
    assert_eq!(status, 201, "{opened}");
    let id = opened["id"].as_str().unwrap().to_string();
    let (_, body) = get(port, "/status/shop/api/v2/components.json");
    let comps: Value = serde_json::from_str(&body).unwrap();
    let checkout = comps["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Checkout")
        .unwrap();
    assert_eq!(checkout["status"], "major_outage", "{comps}");
    assert_eq!(
        api(
            "POST",
            port,
            &format!("/api/v1/pages/shop/incidents/{id}/postmortem"),
            Some(serde_json::json!({"message": "too early"}))
        )
        .0,
        422,
        "no postmortem before it is resolved"
    );
    let (status, resolved) = api(
        "POST",
        port,
        &format!("/api/v1/pages/shop/incidents/{id}/updates"),
        Some(serde_json::json!({"status": "resolved", "message": "Payments work again."})),
    );
    assert_eq!(status, 200, "{resolved}");
    assert!(resolved["resolved_at"].is_string());
    let (status, pm) = api(
        "POST",
        port,
        &format!("/api/v1/pages/shop/incidents/{id}/postmortem"),
        Some(serde_json::json!({"message": "An expired certificate."})),
    );
    assert_eq!(status, 200, "{pm}");
    assert_eq!(pm["status"], "postmortem");
    assert_eq!(pm["updates"].as_array().unwrap().len(), 3);
    let (status, err) = api(
        "POST",
        port,
        "/api/v1/pages/shop/maintenances",
        Some(
            serde_json::json!({"title": "Upgrade", "from": "2031-01-10T03:00:00Z", "until": "2031-01-10T02:00:00Z"}),
        ),
    );
    assert_eq!(status, 422, "{err}");
    let (status, m) = api(
        "POST",
        port,
        "/api/v1/pages/shop/maintenances",
        Some(serde_json::json!({
            "title": "Upgrade", "message": "Database upgrade.",
            "from": "2031-01-10T02:00:00Z", "until": "2031-01-10T03:00:00Z", "components": ["Store/Checkout"]
        })),
    );
    assert_eq!(status, 201, "{m}");
    let (status, _) = api(
        "POST",
        port,
        &format!(
            "/api/v1/pages/shop/maintenances/{}/updates",
            m["id"].as_str().unwrap()
        ),
        Some(serde_json::json!({"status": "in_progress"})),
    );
    assert_eq!(status, 200);
    // Its look: a style sheet of its accent, its logo.
    let (status, err) = api(
        "PATCH",
        port,
        "/api/v1/pages/shop",
        Some(serde_json::json!({"accent": "red", "title": "Renamed"})),
    );
    assert_eq!(status, 422, "{err}");
    let (status, p) = api(
        "PATCH",
        port,
        "/api/v1/pages/shop",
        Some(serde_json::json!({"accent": "#0B7285", "logo_url": "https://shop.example/logo.png"})),
    );
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["title"], "Shop", "a refused change changed nothing");
    assert_eq!(p["accent"], "#0b7285");
    let (_, html) = get(port, "/status/shop");
    assert!(html.contains("/status/shop/style.css?v=0b7285"), "{html}");
    assert!(html.contains("src=\"https://shop.example/logo.png\""));
    assert!(
        !html.contains("href=\"/admin\""),
        "no aggregator navigation"
    );
    assert!(get(port, "/status/shop/style.css").1.contains("#0b7285"));

    // The one incident model: what the API wrote, the CLI lists.
    let mine: Value = serde_json::from_str(&run(&db, &["incidents", "--json"])).unwrap();
    let titles: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(titles.contains(&"Payments fail") && titles.contains(&"Upgrade"));
    let pm = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Payments fail")
        .unwrap();
    assert_eq!(pm["status"], "postmortem");
    assert_eq!(pm["impact"], "critical");

    // A component taken off: gone from the page's answers, its incidents
    // still name it.
    let (status, _) = api(
        "POST",
        port,
        "/api/v1/pages/shop/components",
        Some(serde_json::json!({"name": "Typo"})),
    );
    assert_eq!(status, 201);
    assert_eq!(
        api("DELETE", port, "/api/v1/pages/shop/components/Nope", None).0,
        404
    );
    assert_eq!(
        api("DELETE", port, "/api/v1/pages/shop/components/Typo", None).0,
        204
    );
    assert_eq!(
        api(
            "DELETE",
            port,
            "/api/v1/pages/shop/components/Store%2FCheckout",
            None
        )
        .0,
        204,
        "by Group/Name"
    );
    let (_, p) = api("GET", port, "/api/v1/pages/shop", None);
    assert_eq!(p["components"], serde_json::json!([]), "{p}");
    // The stored incidents keep naming it (the page's API v2, like
    // Statuspage's, lists only components it has).
    let stored = run(&db, &["incidents", "--json"]);
    assert!(stored.contains("\"Checkout\""), "{stored}");

    assert_eq!(api("DELETE", port, "/api/v1/pages/shop", None).0, 204);
    assert_eq!(api("GET", port, "/api/v1/pages/shop", None).0, 404);
    assert_eq!(
        get(port, "/status/shop").0,
        401,
        "gone: answered as private"
    );
}

/// A private page: refused without its key everywhere it is served, read
/// with it (query, bearer, or the cookie its form sets), and left out of
/// every public view of the aggregator (dashboard, API, feed, badges).
#[test]
fn a_private_page_is_served_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    make_page(&db);
    let out = run(&db, &["page", "set", "acme", "--private"]);
    let key = last_line(&out);
    assert_eq!(key.len(), 32, "{out}");
    let stored: Value = serde_json::from_str(&run(&db, &["incidents", "--json"])).unwrap();
    let stored_id = stored[0]["id"].as_str().unwrap().to_string();
    let (_serve, port) = serve(&db);

    for path in [
        "/status/acme",
        "/status/acme/api/v2/summary.json",
        "/status/acme/api/v2/incidents.json",
        "/status/acme/history.atom",
        "/status/acme/maintenances.ics",
    ] {
        let (status, headers, body) = http("GET", port, path, &[], None);
        assert_eq!(status, 401, "{path}: {body}");
        assert!(!body.contains("API errors"), "{path} leaked: {body}");
        if path == "/status/acme" {
            assert!(body.contains("This status page is private"));
            assert!(body.contains("action=\"/status/acme/access\""));
        } else {
            assert_eq!(headers["www-authenticate"], "Bearer");
        }
        let (status, _, body) = http("GET", port, &format!("{path}?key={key}"), &[], None);
        assert_eq!(status, 200, "{path} with its key");
        if path.ends_with("incidents.json") || path == "/status/acme" {
            assert!(body.contains("API errors"), "{path}");
        }
        let bearer = format!("Bearer {key}");
        assert_eq!(
            http("GET", port, path, &[("authorization", &bearer)], None).0,
            200
        );
        assert_eq!(
            http("GET", port, &format!("{path}?key=wrong-key-123"), &[], None).0,
            401
        );
    }
    // The form: a wrong key says so; the right one sets a cookie that opens
    // the page and its incident pages.
    let form = |k: &str| {
        http(
            "POST",
            port,
            "/status/acme/access",
            &[],
            Some(("application/x-www-form-urlencoded", format!("key={k}"))),
        )
    };
    let (status, _, body) = form("not-the-key");
    assert_eq!(status, 401);
    assert!(body.contains("That key does not open this page"));
    let (status, headers, _) = form(&key);
    assert_eq!(status, 303);
    let cookie = headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Path=/status/acme"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_string();
    let (status, _, body) = http("GET", port, "/status/acme", &[("cookie", &pair)], None);
    assert_eq!(status, 200);
    assert!(body.contains("API errors"));

    // Nowhere public.
    for path in [
        "/",
        "/api/v1/incidents",
        "/api/v1/sources",
        "/api/v1/events",
        "/feed.atom",
        "/search?q=errors",
        "/stats",
    ] {
        let (status, body) = get(port, path);
        assert_eq!(status, 200, "{path}");
        assert!(
            !body.contains("API errors") && !body.contains("Acme Cloud"),
            "{path} shows the private page: {body}"
        );
    }
    assert_eq!(get(port, &format!("/incidents/{stored_id}")).0, 404);
    assert_eq!(get(port, &format!("/api/v1/incidents/{stored_id}")).0, 404);
    assert_eq!(get(port, "/badge/Acme%20Cloud").0, 404);

    // Public again: served to all, listed again.
    run(&db, &["page", "set", "acme", "--public"]);
    assert_eq!(after_change(port, "/status/acme", |s, _| s == 200).0, 200);
    assert!(get(port, "/api/v1/incidents").1.contains("API errors"));
    // The old cookie is of the old key: a new key (read from standard
    // input, out of the shell's history) ends it.
    let out = cmd(&db)
        .args(["page", "set", "acme", "--key", "-"])
        .write_stdin("a-new-secret\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cmd(&db)
        .args(["page", "set", "acme", "--key", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input gave no key"));
    assert_eq!(
        eventually(
            || http("GET", port, "/status/acme", &[("cookie", &pair)], None).0,
            |s| *s == 401
        ),
        401
    );
    assert_eq!(get(port, "/status/acme?key=a-new-secret").0, 200);
}

/// Email subscribers: a confirmation mail with its link (double opt-in),
/// nothing before the link is followed, then one mail per change of the
/// components chosen, each with a one-click unsubscribe (RFC 8058), and
/// nothing after it.
#[test]
fn an_email_subscriber_confirms_hears_and_unsubscribes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sink = rt.block_on(statuswatch_testkit::SmtpSink::start());
    let port = free_port();
    let config = dir.path().join("sw.toml");
    std::fs::write(
        &config,
        format!(
            "[web]\npublic_url = \"http://127.0.0.1:{port}/\"\n\n[pages]\nmail = \"mail\"\n\n\
             [[channel]]\nname = \"mail\"\nkind = \"email\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\n\
             smtp_security = \"none\"\nfrom = \"status@acme.example\"\nto = [\"ops@acme.example\"]\n",
            sink.addr.port()
        ),
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    let with = |args: &[&str]| {
        let mut a = vec!["--config", cfg];
        a.extend_from_slice(args);
        run(&db, &a)
    };
    with(&["page", "add", "acme", "--title", "Acme"]);
    with(&["page", "component", "add", "acme", "API"]);
    with(&["page", "component", "add", "acme", "Dashboard"]);
    let (_serve, _) = serve_with(&db, port, &["--config", cfg], &[]);
    let (_, page) = get(port, "/status/acme");
    assert!(page.contains("action=\"/status/acme/subscribe\""), "{page}");

    let subscribe = |body: &str| {
        http(
            "POST",
            port,
            "/status/acme/subscribe",
            &[],
            Some(("application/x-www-form-urlencoded", body.to_string())),
        )
    };
    let (status, _, body) = subscribe("email=not-an-address");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("is not an email address"));
    let (status, _, body) = subscribe("email=dev%40example.com&component=API");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Check your inbox"));
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["dev@example.com"]);
    assert!(mails[0].data.contains("Confirm your subscription to Acme"));
    // Asking again at once sends no second mail.
    assert_eq!(subscribe("email=DEV%40example.com&component=API").0, 200);
    assert_eq!(sink.mails().len(), 1);
    let data = mails[0].data.replace("=\n", "").replace("=3D", "=");
    let prefix = format!("http://127.0.0.1:{port}/status/acme/subscribers/confirm?token=");
    let at = data.find(&prefix).expect("the confirmation link");
    let token: String = data[at + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    assert_eq!(token.len(), 64);
    let subscribers = |with: &dyn Fn(&[&str]) -> String| -> Value {
        serde_json::from_str(&with(&["page", "subscribers", "acme", "--json"])).unwrap()
    };
    assert!(subscribers(&with)[0]["confirmed_at"].is_null());

    // Opened (by a person or a mail scanner): a button, nothing confirmed.
    let confirm = format!("/status/acme/subscribers/confirm?token={token}");
    let (status, _, body) = http("GET", port, &confirm, &[], None);
    assert_eq!(status, 200);
    assert!(body.contains("Confirm"));
    assert!(subscribers(&with)[0]["confirmed_at"].is_null());
    // Not yet confirmed: an incident on the API sends nothing to them.
    let early = last_line(&with(&[
        "page",
        "incident",
        "open",
        "acme",
        "--title",
        "Early",
        "--message",
        "m",
        "--component",
        "API",
    ]));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(sink.mails().len(), 1, "nothing before the confirmation");
    let (status, _, body) = http("POST", port, &confirm, &[], None);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Subscribed"));
    assert!(subscribers(&with)[0]["confirmed_at"].is_string());

    // The dashboard's incident: not theirs. The API's: theirs, once.
    with(&[
        "page",
        "incident",
        "open",
        "acme",
        "--title",
        "Slow dashboard",
        "--message",
        "m",
        "--component",
        "Dashboard",
    ]);
    with(&[
        "page",
        "incident",
        "update",
        "acme",
        &early,
        "--status",
        "resolved",
        "--message",
        "Fixed.",
    ]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while sink.mails().len() < 2 {
        assert!(Instant::now() < deadline, "no notification mail");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let mails = sink.mails();
    assert_eq!(
        mails.len(),
        2,
        "one mail: {:?}",
        mails.iter().map(|m| &m.data).collect::<Vec<_>>()
    );
    let note = &mails[1];
    assert_eq!(note.to, ["dev@example.com"]);
    assert!(note.data.contains("Resolved: Early"), "{}", note.data);
    let unsubscribe =
        format!("http://127.0.0.1:{port}/status/acme/subscribers/unsubscribe?token={token}");
    assert!(
        note.data
            .contains(&format!("List-Unsubscribe: <{unsubscribe}>")),
        "{}",
        note.data
    );
    assert!(note
        .data
        .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));

    // One click (RFC 8058): the mail client posts to the link.
    let (status, _, body) = http(
        "POST",
        port,
        &format!("/status/acme/subscribers/unsubscribe?token={token}"),
        &[],
        Some((
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click".into(),
        )),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Unsubscribed"));
    assert_eq!(subscribers(&with), serde_json::json!([]));
    with(&[
        "page",
        "incident",
        "open",
        "acme",
        "--title",
        "After",
        "--message",
        "m",
        "--component",
        "API",
    ]);
    std::thread::sleep(Duration::from_millis(2000));
    assert_eq!(sink.mails().len(), 2, "nothing after unsubscribing");

    // Each request may send a mail, so one client asks 5 times in 10
    // minutes (3 so far), then waits.
    assert_eq!(subscribe("email=a%40example.com").0, 200);
    assert_eq!(subscribe("email=b%40example.com").0, 200);
    assert_eq!(sink.mails().len(), 4);
    let (status, headers, body) = subscribe("email=c%40example.com");
    assert_eq!(status, 429, "{body}");
    assert!(headers.contains_key("retry-after"));
    assert!(body.contains("Too many subscriptions"));
    assert_eq!(sink.mails().len(), 4, "no mail for a refused request");
}
