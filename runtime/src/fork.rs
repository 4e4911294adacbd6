//! Detecting that this process is a `fork()` child of the one that started the host and its
//! hosting threads: none of those threads exist in the child.
//!
//! Placeholder: the process id (a `getpid` system call per check). To be replaced by a cheap
//! counter bumped from a `pthread_atfork` child handler.

/// A number that differs in a forked child from the parent's: state tagged with an older value
/// belongs to threads that do not exist in this process.
#[allow(dead_code)] // used by `host` and `pool` once fork handling lands
pub(crate) fn generation() -> u64 {
    u64::from(std::process::id())
}
