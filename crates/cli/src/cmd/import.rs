//! `statuswatch import FILE`: many sources at once from OPML or CSV/TSV.

use super::add::{add_one, AlreadyWatched};
use crate::db;
use anyhow::{bail, Context, Result};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An OPML file, or a CSV/TSV with a name and a URL per line (a header line is skipped).
    pub file: PathBuf,
    /// URLs detected at once. One host still sees at most the fetcher's
    /// per-host share (2 requests at once, 250 ms apart), however many of
    /// its URLs the file lists; distinct hosts are detected side by side.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
}

/// URLs detected at once by default: enough that a list of distinct hosts
/// imports at hundreds a second, while the answers held at once stay
/// bounded (each at most the fetcher's body limit).
pub const DEFAULT_CONCURRENCY: usize = 128;

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: Option<String>,
    pub url: String,
}

enum Result1 {
    Added(String, String),
    Skipped(String, String),
    Refused(String, String),
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let text = crate::input::read_text(&args.file, crate::input::IMPORT_LIMIT)?;
    let entries = parse_entries(&text, &args.file)?;
    if entries.is_empty() {
        bail!("{} lists no URLs", args.file.display());
    }
    let store = db::open(settings.db.clone()).await?;
    let fetcher = super::fetcher(settings.fetch.clone())?;
    let bar = ProgressBar::new(entries.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut seen = HashSet::new();
    let mut results = Vec::new();
    let mut work = Vec::new();
    for e in entries {
        if seen.insert(e.url.clone()) {
            work.push(e);
        } else {
            results.push(Result1::Skipped(e.url, "listed twice in the file".into()));
            bar.inc(1);
        }
    }
    let mut stream = futures::stream::iter(work.into_iter().map(|e| {
        let store = store.clone();
        let fetcher = fetcher.clone();
        async move {
            let url = match super::parse_url(&e.url) {
                Ok(u) => u,
                Err(err) => return Result1::Refused(e.url, format!("{err:#}")),
            };
            let mut outcome = add_one(&store, &fetcher, &url, e.name.clone(), None, false).await;
            if let Err(err) = &outcome {
                if err.to_string().contains("already exists") {
                    // Two vendors with one name: tell them apart by host.
                    let name = format!(
                        "{} ({})",
                        e.name.clone().unwrap_or_else(|| "source".into()),
                        url.host_str().unwrap_or("")
                    );
                    outcome = add_one(&store, &fetcher, &url, Some(name), None, false).await;
                }
            }
            match outcome {
                Ok((s, d)) => Result1::Added(s.name, d.platform.to_string()),
                Err(err) if err.downcast_ref::<AlreadyWatched>().is_some() => {
                    Result1::Skipped(e.url, err.to_string())
                }
                Err(err) => Result1::Refused(e.url, format!("{err:#}").replace('\n', " ")),
            }
        }
    }))
    .buffer_unordered(args.concurrency.max(1));
    while let Some(r) = stream.next().await {
        if let Result1::Added(name, _) = &r {
            bar.set_message(name.clone());
        }
        bar.inc(1);
        results.push(r);
    }
    bar.finish_and_clear();
    let (mut added, mut skipped, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    for r in results {
        match r {
            Result1::Added(n, p) => added.push(format!("  {n} ({p})")),
            Result1::Skipped(u, why) => skipped.push(format!("  {u}: {why}")),
            Result1::Refused(u, why) => refused.push(format!("  {u}: {why}")),
        }
    }
    crate::out::outln!(
        "Added {}, skipped {}, refused {}.",
        added.len(),
        skipped.len(),
        refused.len()
    );
    for (title, list) in [
        ("Added:", &added),
        ("Skipped:", &skipped),
        ("Refused:", &refused),
    ] {
        if !list.is_empty() {
            crate::out::outln!("{title}");
            for l in list {
                crate::out::outln!("{l}");
            }
        }
    }
    Ok(if added.is_empty() && skipped.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads OPML (by extension or content) or CSV/TSV.
pub fn parse_entries(text: &str, path: &std::path::Path) -> Result<Vec<Entry>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let head = text.trim_start();
    if ext == "opml" || ext == "xml" || head.starts_with("<?xml") || head.starts_with("<opml") {
        return parse_opml(text);
    }
    parse_delimited(
        text,
        if ext == "tsv" || text.lines().next().is_some_and(|l| l.contains('\t')) {
            b'\t'
        } else {
            b','
        },
    )
}

fn parse_opml(text: &str) -> Result<Vec<Entry>> {
    let doc = opml::OPML::from_str(text).context("not a valid OPML file")?;
    let mut out = Vec::new();
    fn walk(outlines: &[opml::Outline], out: &mut Vec<Entry>) {
        for o in outlines {
            if let Some(url) = o.xml_url.as_ref().or(o.html_url.as_ref()) {
                let name = o.title.clone().unwrap_or_else(|| o.text.clone());
                out.push(Entry {
                    name: Some(name.trim().to_string()).filter(|n| !n.is_empty()),
                    url: url.trim().to_string(),
                });
            }
            walk(&o.outlines, out);
        }
    }
    walk(&doc.body.outlines, &mut out);
    Ok(out)
}

fn looks_like_url(s: &str) -> bool {
    let s = s.trim();
    s.contains("://") || (s.contains('.') && !s.contains(' ') && !s.is_empty())
}

fn parse_delimited(text: &str, delimiter: u8) -> Result<Vec<Entry>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("line {} is not valid CSV", i + 1))?;
        let fields: Vec<&str> = record.iter().map(str::trim).collect();
        let Some(url_at) = fields.iter().position(|f| looks_like_url(f)) else {
            continue; // a header or a blank line
        };
        let name = fields
            .iter()
            .enumerate()
            .find(|(j, f)| *j != url_at && !f.is_empty())
            .map(|(_, f)| f.to_string());
        out.push(Entry {
            name,
            url: fields[url_at].to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn csv_tsv_and_opml() {
        let csv = "name,url\nGitHub,https://www.githubstatus.com\n# a comment\n\nhttps://status.example.com\n";
        let e = parse_entries(csv, Path::new("list.csv")).unwrap();
        assert_eq!(
            e,
            vec![
                Entry {
                    name: Some("GitHub".into()),
                    url: "https://www.githubstatus.com".into()
                },
                Entry {
                    name: None,
                    url: "https://status.example.com".into()
                },
            ]
        );
        let tsv = "Cursor\tstatus.cursor.com\n";
        assert_eq!(
            parse_entries(tsv, Path::new("x.tsv")).unwrap()[0].url,
            "status.cursor.com"
        );
        let opml = r#"<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
            <outline text="Cloud"><outline text="GitHub" type="rss" xmlUrl="https://www.githubstatus.com/history.atom"/></outline>
            </body></opml>"#;
        let e = parse_entries(opml, Path::new("feeds.opml")).unwrap();
        assert_eq!(
            e,
            vec![Entry {
                name: Some("GitHub".into()),
                url: "https://www.githubstatus.com/history.atom".into()
            }]
        );
        assert!(parse_entries("<opml", Path::new("bad.opml")).is_err());
    }
}
