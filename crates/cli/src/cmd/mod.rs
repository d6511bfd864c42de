//! One module per subcommand.

pub mod add;
pub mod backup;
pub mod catalog;
pub mod channel;
pub mod components;
pub mod deliveries;
pub mod docs;
pub mod extract;
pub mod import;
pub mod incidents;
pub mod page;
pub mod poll;
pub mod prune;
pub mod serve;
pub mod show;
pub mod sources;
pub mod test_alert;

use anyhow::{bail, Context, Result};
use statuswatch_fetch::{FetchConfig, Fetcher};
use std::sync::Arc;
use url::Url;

/// Reads a URL a person typed: a missing scheme means https; only http(s).
pub fn parse_url(input: &str) -> Result<Url> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        bail!("the URL is empty");
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    };
    let url = Url::parse(&with_scheme).with_context(|| format!("`{input}` is not a valid URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        bail!("`{input}`: only http and https URLs can be watched");
    }
    if url.host_str().is_none_or(str::is_empty) {
        bail!("`{input}` has no host");
    }
    Ok(url)
}

/// The fetcher for one-shot commands.
pub fn fetcher(config: FetchConfig) -> Result<Arc<Fetcher>> {
    Ok(Arc::new(
        Fetcher::new(config).context("building the HTTP client")?,
    ))
}

/// The moment a command runs, from the system clock (the engine's one).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use statuswatch_engine::Clock;
    statuswatch_engine::SystemClock.now()
}

#[cfg(test)]
mod tests {
    use super::parse_url;

    #[test]
    fn urls_people_type() {
        assert_eq!(
            parse_url("githubstatus.com").unwrap().as_str(),
            "https://githubstatus.com/"
        );
        assert!(parse_url("ftp://x.example")
            .unwrap_err()
            .to_string()
            .contains("only http"));
        assert!(parse_url("").is_err());
        assert!(parse_url("http://").is_err());
    }
}
