//! Detecting that this process is a `fork()` child of the one that started the host and its
//! hosting threads: none of those threads exist in the child.
//!
//! A `pthread_atfork` child handler, registered once when the host starts, bumps a counter in the
//! child; a check is one relaxed atomic load. Before the host starts there is nothing a child could
//! inherit (no host runtime, no hosting thread), so registering late loses nothing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// A number that differs in a forked child from the parent's: state tagged with an older value
/// belongs to threads that do not exist in this process. 0 in a process that was not forked (or
/// was forked before the host started).
#[inline]
pub(crate) fn generation() -> u64 {
    GENERATION.load(Ordering::Relaxed)
}

/// Runs in the child right after `fork()`, on the only thread the child has: async-signal-safe.
extern "C" fn in_child() {
    GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// Starts watching for forks (once per process; inherited by forked children).
pub(crate) fn watch() {
    static WATCH: Once = Once::new();
    WATCH.call_once(|| {
        #[cfg(unix)]
        let _ = crate::erase::on_fork_in_child(in_child);
        #[cfg(not(unix))]
        let _ = in_child; // no fork() outside unix
    });
}
