//! `statuswatch catalog [search QUERY]`: the vendors shipped with the binary.

use crate::table;
use anyhow::Result;
use serde::Serialize;
use statuswatch_catalog::Vendor;
use std::process::ExitCode;

/// Arguments of `catalog`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// Only vendors of this platform (`detect` for those detected when added).
    #[arg(long, global = true)]
    pub platform: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

/// What to do with the catalog.
#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Vendors whose name, slug or status URL contain every word of the query.
    Search {
        /// Words to look for, e.g. `aws` or `google cloud`.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// How many vendors of each platform.
    Stats,
}

#[derive(Serialize)]
struct VendorJson<'a> {
    slug: &'a str,
    name: &'a str,
    homepage: Option<&'a str>,
    status_url: &'a str,
    platform: Option<&'a str>,
    origin: &'a str,
}

pub async fn run(args: Args) -> Result<ExitCode> {
    let vendors: Vec<&Vendor> = match &args.command {
        Some(Sub::Stats) => {
            let counts = statuswatch_catalog::platform_counts();
            let total: usize = counts.iter().map(|c| c.1).sum();
            if args.json {
                let map: serde_json::Map<String, serde_json::Value> = counts
                    .iter()
                    .map(|(p, n)| (p.unwrap_or("detect").to_string(), (*n).into()))
                    .collect();
                crate::out::outln!("{}", serde_json::to_string_pretty(&map)?);
            } else {
                // A platform the lists name that no adapter reads yet is
                // detected when added, like an unnamed one.
                let read = |p: &str| p.parse::<statuswatch_sources::Platform>().is_ok();
                let rows: Vec<Vec<String>> = counts
                    .iter()
                    .map(|(p, n)| {
                        vec![
                            p.unwrap_or("(detected when added)").to_string(),
                            n.to_string(),
                            match p {
                                Some(p) if read(p) => "read",
                                Some(_) => "not yet (detected when added)",
                                None => "-",
                            }
                            .to_string(),
                        ]
                    })
                    .collect();
                table::print(&["PLATFORM", "VENDORS", "ADAPTER"], &rows);
                let known: usize = counts.iter().filter(|c| c.0.is_some()).map(|c| c.1).sum();
                crate::out::outln!("{total} vendors in all; the platform is known for {known}");
            }
            return Ok(ExitCode::SUCCESS);
        }
        Some(Sub::Search { query }) => statuswatch_catalog::search(&query.join(" ")),
        None => statuswatch_catalog::all().iter().collect(),
    };
    let vendors: Vec<&Vendor> = match args.platform.as_deref() {
        Some("detect") => vendors
            .into_iter()
            .filter(|v| v.platform.is_none())
            .collect(),
        Some(p) => vendors
            .into_iter()
            .filter(|v| v.platform.is_some_and(|vp| vp.eq_ignore_ascii_case(p)))
            .collect(),
        None => vendors,
    };
    if args.json {
        let out: Vec<VendorJson> = vendors
            .iter()
            .map(|v| VendorJson {
                slug: v.slug,
                name: v.name,
                homepage: v.homepage,
                status_url: v.status_url,
                platform: v.platform,
                origin: v.origin,
            })
            .collect();
        crate::out::outln!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    if vendors.is_empty() {
        crate::out::outln!(
            "No vendor in the catalog matches. Add any page with `statuswatch add <URL>`."
        );
        return Ok(ExitCode::from(1));
    }
    let rows: Vec<Vec<String>> = vendors
        .iter()
        .map(|v| {
            vec![
                v.slug.to_string(),
                table::cut(v.name, 40),
                v.platform.unwrap_or("-").to_string(),
                v.status_url.to_string(),
            ]
        })
        .collect();
    table::print(&["SLUG", "NAME", "PLATFORM", "STATUS PAGE"], &rows);
    if args.command.is_none() {
        crate::out::outln!(
            "{} vendors. Add one with `statuswatch add <slug>`; platform `-` is detected when added.",
            vendors.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
