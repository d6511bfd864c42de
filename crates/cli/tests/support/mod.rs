//! Helpers shared by the binary's tests.

#![allow(dead_code)]

use std::str::FromStr;

/// A fresh database on the test server, dropped when this is dropped.
pub struct Database {
    admin: String,
    name: String,
    pub url: String,
}

impl Database {
    /// `sw_<what>_<pid>` on the server of `server` (a URL).
    pub fn create(rt: &tokio::runtime::Runtime, server: &str, what: &str) -> Database {
        let name = format!("sw_{what}_{}", std::process::id());
        let opts = sqlx::postgres::PgConnectOptions::from_str(server).unwrap();
        rt.block_on(async {
            let admin = sqlx::PgPool::connect_with(opts)
                .await
                .expect("PostgreSQL reachable");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .unwrap();
        });
        let mut url = url::Url::parse(server).unwrap();
        url.set_path(&format!("/{name}"));
        Database {
            admin: server.to_string(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Its own runtime: drop may run while unwinding from a panic.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                if let Ok(pool) = sqlx::PgPool::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&pool)
                        .await;
                }
            });
        })
        .join();
    }
}

/// A TCP proxy in front of a server (PostgreSQL) that can play the server
/// restarting: every connection through it cut at once, and new ones refused
/// until it is up again.
pub struct Proxy {
    /// Where it listens.
    pub addr: std::net::SocketAddr,
    state: std::sync::Arc<std::sync::Mutex<ProxyState>>,
}

struct ProxyState {
    up: bool,
    links: Vec<tokio::task::AbortHandle>,
}

impl Proxy {
    /// Listens on a free loopback port (inside a Tokio runtime), forwarding
    /// to `upstream`.
    pub async fn start(upstream: std::net::SocketAddr) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = std::sync::Arc::new(std::sync::Mutex::new(ProxyState {
            up: true,
            links: Vec::new(),
        }));
        let s = state.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let mut st = s.lock().unwrap();
                if !st.up {
                    drop(client); // refused, as a server starting up would
                    continue;
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                st.links.retain(|l| !l.is_finished());
                st.links.push(link.abort_handle());
            }
        });
        Proxy { addr, state }
    }

    /// The server "goes down": every connection is cut, new ones refused.
    pub fn down(&self) {
        let mut st = self.state.lock().unwrap();
        st.up = false;
        for l in st.links.drain(..) {
            l.abort();
        }
    }

    /// The server is back.
    pub fn up(&self) {
        self.state.lock().unwrap().up = true;
    }
}

/// The `statuswatch` binary on the database `db`, its log level left to its
/// default.
pub fn statuswatch(db: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("statuswatch"));
    c.env_remove("STATUSWATCH_LOG").arg("--db").arg(db);
    c
}

/// Runs `args` on `db`, asserts it succeeded, and reads what it printed as JSON.
pub fn json(db: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> serde_json::Value {
    let out = statuswatch(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Cursor's real Statuspage answer, with its incidents replaced by a
/// scripted life: after `step` steps of `script` (who, status, text), each
/// incident (id `{prefix}{who}`) with its updates newest first, 5 minutes
/// apart, its status the last one's.
pub fn scripted_incidents(
    prefix: &str,
    script: &[(&str, &str, &str)],
    step: usize,
) -> Vec<serde_json::Value> {
    use serde_json::json;
    let base = cursor()["incidents"][0].clone();
    let mut incidents: Vec<serde_json::Value> = Vec::new();
    for (n, (who, status, body)) in script.iter().take(step).enumerate() {
        let id = format!("{prefix}{who}");
        let at = format!("2026-09-26T00:{:02}:00.000Z", n * 5);
        let pos = match incidents.iter().position(|i| i["id"] == id) {
            Some(p) => p,
            None => {
                let mut i = base.clone();
                i["id"] = json!(id);
                i["name"] = json!(format!("Incident {id}"));
                i["incident_updates"] = json!([]);
                i["components"] = json!([]);
                incidents.push(i);
                incidents.len() - 1
            }
        };
        let inc = &mut incidents[pos];
        let update = json!({"id": format!("{id}-{n}"), "status": status, "body": body, "incident_id": id,
            "created_at": at, "updated_at": at, "display_at": at, "affected_components": null});
        inc["incident_updates"]
            .as_array_mut()
            .unwrap()
            .insert(0, update);
        inc["status"] = json!(status);
        if *status == "resolved" {
            inc["resolved_at"] = json!(at);
        }
    }
    incidents
}

/// Cursor's real summary answer.
pub fn cursor() -> serde_json::Value {
    serde_json::from_slice(&statuswatch_testkit::fixture!(
        "cursor__summary_2026-09-25_incident.json"
    ))
    .unwrap()
}

/// Serves a Statuspage page at `base` (`/p1`, or `` for the root) whose
/// history is `incidents` and whose summary lists those not over, after
/// `summary_delay`.
pub fn serve_statuspage(
    v: &statuswatch_testkit::Vendor,
    base: &str,
    incidents: Vec<serde_json::Value>,
    summary_delay: std::time::Duration,
) {
    use serde_json::json;
    use statuswatch_testkit::Reply;
    let mut summary = cursor();
    let page = summary["page"].clone();
    summary["incidents"] = json!(incidents
        .iter()
        .filter(|i| i["status"] != "resolved" && i["status"] != "postmortem")
        .collect::<Vec<_>>());
    v.set(
        &format!("{base}/api/v2/summary.json"),
        Reply::json(&summary).after(summary_delay),
    );
    v.set(
        &format!("{base}/api/v2/incidents.json"),
        Reply::json(&json!({"page": page, "incidents": incidents})),
    );
    v.set(
        &format!("{base}/api/v2/scheduled-maintenances.json"),
        Reply::json(&json!({"page": page, "scheduled_maintenances": []})),
    );
}
