//! `--pages`: a status page of one's own read hard while `serve` polls the
//! fleet, side by side with nginx serving the same bytes as static files,
//! in the same run (wrk, 2 threads, 32 connections, each URL in turn), and
//! how soon a publish by another process (the CLI) is seen while it is read.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a run of wrk measured.
pub struct Load {
    pub rate: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// The page's figures.
pub struct Figures {
    pub page_bytes: usize,
    pub summary_bytes: usize,
    /// `/status/<slug>`: ours, nginx's.
    pub page: (Load, Load),
    /// `summary.json`: ours, nginx's.
    pub summary: (Load, Load),
    /// A publish by the CLI to the first answer showing it, under load (ms).
    pub fresh_ms: Vec<f64>,
}

const SLUG: &str = "fleet-status";

fn cli(bin: &Path, db: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(bin)
        .args(["--db", db])
        .args(args)
        .output()
        .with_context(|| format!("running statuswatch {}", args.join(" ")))?;
    if !out.status.success() {
        bail!(
            "statuswatch {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Posts an update to the page's incident `id`, as its owner would.
fn post_update(bin: &Path, db: &str, id: &str, status: &str, message: &str) -> Result<()> {
    cli(
        bin,
        db,
        &[
            "page",
            "incident",
            "update",
            SLUG,
            id,
            "--status",
            status,
            "--message",
            message,
        ],
    )
    .map(drop)
}

/// The page of the issue: 12 components in 3 groups, 3 watched vendors
/// shown live, an open incident with 8 updates.
fn make_page(bin: &Path, db: &str) -> Result<String> {
    cli(bin, db, &["page", "add", SLUG, "--title", "Fleet Cloud"])?;
    for (k, group) in ["Core", "Data", "Edge"].iter().enumerate() {
        for name in ["API", "Dashboard", "Workers", "Webhooks"] {
            let name = format!("{name} {}", k + 1);
            cli(
                bin,
                db,
                &["page", "component", "add", SLUG, &name, "--group", group],
            )?;
        }
    }
    for vendor in ["vendor-1", "vendor-2", "vendor-3"] {
        cli(bin, db, &["page", "external", "add", SLUG, vendor])?;
    }
    let out = cli(
        bin,
        db,
        &[
            "page",
            "incident",
            "open",
            SLUG,
            "--title",
            "Elevated API errors",
            "--message",
            "We are investigating elevated error rates on the API.",
            "--impact",
            "major",
            "--component",
            "API 1",
            "--component",
            "Workers 2",
        ],
    )?;
    let id = out.lines().last().unwrap_or_default().trim().to_string();
    for k in 0..7 {
        let status = if k < 3 { "identified" } else { "monitoring" };
        let message = format!(
            "Update {}: a database failover is under way; error rates are falling in every region but one, and we are following it closely.",
            k + 2
        );
        post_update(bin, db, &id, status, &message)?;
    }
    Ok(id)
}

/// Runs wrk against `url` for `secs`.
fn wrk(url: &str, secs: u64) -> Result<Load> {
    let out = Command::new("wrk")
        .args(["-t2", "-c32", &format!("-d{secs}s"), "--latency", url])
        .output()
        .context("running wrk (scripts/bench-pages installs it)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let rate = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("wrk's rate in: {text}"))?;
    let p99_ms = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| duration_ms(v.trim()))
        .unwrap_or(f64::NAN);
    let errors = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Ok(Load {
        rate,
        p99_ms,
        errors,
    })
}

/// wrk's "12.34ms", "812.00us", "1.20s".
fn duration_ms(v: &str) -> f64 {
    let (n, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
    let n: f64 = n.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => f64::NAN,
    }
}

/// nginx, stopped as it asks (TERM to its master, which stops its
/// workers; a KILL would leave them serving).
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

/// nginx serving `www` on `port`, as a child of this process.
fn nginx(dir: &Path, port: u16) -> Result<Nginx> {
    let conf = dir.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off;\nworker_processes auto;\npid {d}/nginx.pid;\nerror_log {d}/nginx-error.log;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n  keepalive_requests 1000000;\n\
               types {{ text/html html; application/json json; }}\n\
               client_body_temp_path {d}/tmp;\n  proxy_temp_path {d}/tmp;\n  fastcgi_temp_path {d}/tmp;\n\
               server {{ listen 127.0.0.1:{port}; root {d}/www; }}\n}}\n",
            d = dir.display()
        ),
    )?;
    std::fs::create_dir_all(dir.join("tmp"))?;
    let child = Command::new("nginx")
        .args(["-c", conf.to_str().context("path")?, "-e", "stderr"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting nginx (scripts/bench-pages installs it)")?;
    Ok(Nginx(child))
}

/// Makes the page, then measures ours and nginx's, each URL for `secs`.
pub async fn measure(bin: &Path, db: &str, listen: &str, dir: &Path, secs: u64) -> Result<Figures> {
    let id = make_page(bin, db)?;
    let ours = format!("http://{listen}/status/{SLUG}");
    let summary = format!("{ours}/api/v2/summary.json");
    let client = reqwest::Client::new();
    // The same bytes, as static files.
    let www = dir.join("www");
    std::fs::create_dir_all(&www)?;
    let page_bytes = client.get(&ours).send().await?.bytes().await?;
    let summary_bytes = client.get(&summary).send().await?.bytes().await?;
    if !String::from_utf8_lossy(&page_bytes).contains("Elevated API errors") {
        bail!("the page does not show its incident");
    }
    std::fs::write(www.join("page.html"), &page_bytes)?;
    std::fs::write(www.join("summary.json"), &summary_bytes)?;
    let port = super::measure::free_port();
    let _nginx = nginx(dir, port)?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let static_page = format!("http://127.0.0.1:{port}/page.html");
    let static_summary = format!("http://127.0.0.1:{port}/summary.json");
    let check = client.get(&static_page).send().await?.bytes().await?;
    if check != page_bytes {
        bail!("nginx does not serve the page's bytes");
    }

    // Ours under load, with publishes by another process timed meanwhile.
    let loaded = {
        let ours = ours.clone();
        tokio::task::spawn_blocking(move || wrk(&ours, secs))
    };
    let mut fresh_ms = Vec::new();
    tokio::time::sleep(Duration::from_secs(1)).await;
    for k in 0..5 {
        let marker = format!("Fresh update {k}");
        post_update(bin, db, &id, "monitoring", &marker)?;
        let t = Instant::now();
        loop {
            let body = client.get(&summary).send().await?.text().await?;
            if body.contains(&marker) {
                fresh_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                break;
            }
            if t.elapsed() > Duration::from_secs(30) {
                bail!("a publish was not seen in 30 s");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(
            (secs * 1000 / 6).saturating_sub(1000).max(200),
        ))
        .await;
    }
    let page_ours = loaded.await??;
    let page_nginx = tokio::task::spawn_blocking(move || wrk(&static_page, secs)).await??;
    let summary_ours = {
        let s = summary.clone();
        tokio::task::spawn_blocking(move || wrk(&s, secs)).await??
    };
    let summary_nginx = tokio::task::spawn_blocking(move || wrk(&static_summary, secs)).await??;
    Ok(Figures {
        page_bytes: page_bytes.len(),
        summary_bytes: summary_bytes.len(),
        page: (page_ours, page_nginx),
        summary: (summary_ours, summary_nginx),
        fresh_ms,
    })
}

/// The figures as table rows.
pub fn print(f: &Figures) {
    let row = |what: &str, bytes: usize, (ours, nginx): &(Load, Load)| {
        println!(
            "| {what} ({:.0} KiB): statuswatch / nginx, same bytes | {:.0} / {:.0} req/s ({:.0} %), p99 {:.1} / {:.1} ms{} |",
            bytes as f64 / 1024.0,
            ours.rate,
            nginx.rate,
            100.0 * ours.rate / nginx.rate.max(1.0),
            ours.p99_ms,
            nginx.p99_ms,
            if ours.errors + nginx.errors > 0 {
                format!(", {} / {} non-2xx", ours.errors, nginx.errors)
            } else {
                String::new()
            }
        );
    };
    row("`/status/<slug>`", f.page_bytes, &f.page);
    row(
        "`/status/<slug>/api/v2/summary.json`",
        f.summary_bytes,
        &f.summary,
    );
    let mut fresh = f.fresh_ms.clone();
    fresh.sort_by(f64::total_cmp);
    println!(
        "| publish by the CLI → seen in summary.json, under load (max of {}) | {:.0} ms |",
        fresh.len(),
        fresh.last().copied().unwrap_or(f64::NAN)
    );
}
