//! What the fleet bench reads off processes and answers: CPU and memory
//! from /proc, percentiles, `/metrics` figures, timed loads.

use anyhow::Result;
use std::process::Child;
use std::time::Instant;

/// CPU seconds (user + system) of a process.
pub fn cpu_of(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

/// A field of /proc/<pid>/status in MiB (`VmRSS`, `VmHWM`).
pub fn mib_of(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub struct Killer(pub Vec<Child>);
impl Drop for Killer {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18081)
}

pub async fn vendor_stats(c: &reqwest::Client, url: &str) -> Result<serde_json::Value> {
    let bytes = c.get(format!("{url}/_stats")).send().await?.bytes().await?;
    Ok(serde_json::from_slice(&bytes)?)
}

pub async fn get_text(c: &reqwest::Client, url: &str) -> Result<(String, f64)> {
    let t = Instant::now();
    let text = c.get(url).send().await?.text().await?;
    Ok((text, t.elapsed().as_secs_f64()))
}

/// The size and the median time of three loads.
pub async fn timed(c: &reqwest::Client, url: &str) -> (usize, f64) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..3 {
        if let Ok((text, secs)) = get_text(c, url).await {
            size = text.len();
            times.push(secs);
        }
    }
    times.sort_by(f64::total_cmp);
    (
        size,
        times.get(times.len() / 2).copied().unwrap_or(f64::NAN),
    )
}

pub fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        let (k, v) = l.rsplit_once(' ')?;
        (k == name).then(|| v.parse().ok())?
    })
}

/// Polls made by every node so far.
pub async fn polls_of(c: &reqwest::Client, nodes: &[(u32, String)]) -> f64 {
    let mut total = 0.0;
    for (_, listen) in nodes {
        if let Ok((text, _)) = get_text(c, &format!("http://{listen}/metrics")).await {
            for l in text
                .lines()
                .filter(|l| l.starts_with("statuswatch_polls_total{"))
            {
                total += l
                    .rsplit_once(' ')
                    .and_then(|(_, v)| v.parse::<f64>().ok())
                    .unwrap_or(0.0);
            }
        }
    }
    total
}
