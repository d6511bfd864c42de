//! Parsing off the async runtime. Reading an answer is CPU work (a large
//! JSON history, a web page's tree), and on the runtime's worker threads a
//! slow one would hold up every request the web server answers and every
//! poll in flight. Each parse runs on tokio's blocking threads, at most
//! [`slots`] at once (one fewer than the machine's cores, at least one), so
//! a core always stays free for the runtime; what waits for a slot waits
//! asynchronously. The adapters themselves bound what one answer may cost
//! (the HTML budget of `statuswatch_extract::Limits`).

use bytes::Bytes;
use statuswatch_model::Snapshot;
use statuswatch_sources::{parse, Context, ParseError, Role};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// Parses at once, process-wide: one fewer than the cores, at least one.
pub fn slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .saturating_sub(1)
        .max(1)
}

fn pool() -> &'static Semaphore {
    static POOL: OnceLock<Semaphore> = OnceLock::new();
    POOL.get_or_init(|| Semaphore::new(slots()))
}

/// What a parse off the runtime gives back: the adapter's answer and the
/// context it may have updated.
pub(crate) type Parsed = (Result<Snapshot, ParseError>, Context);

/// Parses `body` with `role` on a blocking thread, waiting for a slot.
/// `Err` only when the parse panicked (an adapter bug), with its message.
pub(crate) async fn parse_off_runtime(
    role: &'static Role,
    body: Bytes,
    ctx: Context,
) -> Result<Parsed, String> {
    off_runtime(move || {
        let mut ctx = ctx;
        let result = parse(role, &body, &mut ctx);
        (result, ctx)
    })
    .await
    .map_err(|e| format!("the {} parser failed: {e}", role.platform))
}

/// Runs CPU work that reads a vendor's answer on a blocking thread, waiting
/// for a slot. `Err` when it panicked.
pub(crate) async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    let _slot = pool()
        .acquire()
        .await
        .expect("the parse pool is never closed");
    tokio::task::spawn_blocking(work).await
}
