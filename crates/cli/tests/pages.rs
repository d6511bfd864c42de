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
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("statuswatch"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
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
    assert_eq!(get(port, "/status/nope/api/v2/summary.json").0, 404);
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
    let (_, html) = get(port, "/status/acme");
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
    let (_, body) = get(port, "/status/acme/api/v2/components.json");
    assert!(!body.contains("Cursor (all)") && body.contains("Cursor Grok Bot"));
    let out = cmd(&db)
        .args(["page", "external", "remove", "acme", "Cursor (all)"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("shows no `Cursor (all)`"));
    run(&db, &["page", "set", "acme", "--title", "Acme Cloud"]);
    let (_, html) = get(port, "/status/acme");
    assert!(html.contains("<h1>Acme Cloud</h1>"), "{html}");
    let out = cmd(&db).args(["page", "remove", "acme"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --yes"));
    assert_eq!(
        get(port, "/status/acme").0,
        200,
        "not removed without --yes"
    );
    run(&db, &["page", "remove", "acme", "--yes"]);
    assert_eq!(get(port, "/status/acme").0, 404);
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
