//! Files and standard input read with a bound: `/dev/zero`, a FIFO that
//! never ends or a huge file given by mistake is refused once past what such
//! an input can hold, instead of filling memory.

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::Path;

/// The most a config file may hold.
pub const CONFIG_LIMIT: u64 = 1024 * 1024;
/// The most a list of vendors to import may hold.
pub const IMPORT_LIMIT: u64 = 64 * 1024 * 1024;
/// The most a page given to `extract` may hold (the fetcher's cap for a URL is 8 MiB).
pub const PAGE_LIMIT: u64 = 32 * 1024 * 1024;
/// The most a key given on standard input may hold.
pub const LINE_LIMIT: u64 = 4096;

/// Reads at most `limit` bytes from `r`; more is an error naming `what`.
pub fn read_bounded(r: impl Read, limit: u64, what: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {what}"))?;
    if buf.len() as u64 > limit {
        bail!(
            "{what} holds more than {} MiB; that is not what it should be",
            limit / (1024 * 1024)
        );
    }
    Ok(buf)
}

/// A file's bytes, at most `limit`.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    read_bounded(f, limit, &path.display().to_string())
}

/// A file's text (UTF-8), at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    String::from_utf8(read_file(path, limit)?)
        .with_context(|| format!("{} is not UTF-8 text", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_input_is_refused_at_its_bound() {
        let endless = std::io::repeat(0);
        let e = read_bounded(endless, 1024 * 1024, "/dev/zero").unwrap_err();
        assert!(
            format!("{e:#}").contains("/dev/zero holds more than 1 MiB"),
            "{e:#}"
        );
        assert_eq!(read_bounded(&b"abc"[..], 3, "x").unwrap(), b"abc");
    }
}
