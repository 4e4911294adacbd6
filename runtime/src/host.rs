//! The facade host: one lazily started multi_thread runtime per process that runs hosted futures
//! (and whose handle `Direct` calls enter where no usable runtime is entered).
//!
//! It is leaked into a `static`, so it is never dropped, least of all on a caller's thread inside
//! async code ("Cannot drop a runtime in a context where blocking is not allowed"). A `fork()`
//! child, which has none of the parent's threads, starts a fresh host on first use and leaves the
//! parent's runtime object alone (dropping it would wait for threads that are not there). Configure it before
//! first use with [`configure`], or hand it the application's own runtime with [`use_handle`].

use crate::erase::Leaked;
use crate::fork;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::runtime::{Handle, Runtime};

/// Settings of the host runtime, applied by [`configure`] before the host starts.
#[derive(Clone, Debug)]
pub struct HostConfig {
    worker_threads: usize,
    thread_name: String,
    keep_alive: std::time::Duration,
}

impl Default for HostConfig {
    /// Two worker threads named `sync-facade-host`. Hosted futures are usually short waits on IO
    /// started by the caller; raise the count for CPU-heavy hosted work.
    fn default() -> Self {
        HostConfig {
            worker_threads: 2,
            thread_name: "sync-facade-host".to_owned(),
            keep_alive: crate::pool::DEFAULT_KEEP_ALIVE,
        }
    }
}

impl HostConfig {
    /// The default configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of worker threads (at least 1).
    pub fn worker_threads(mut self, n: usize) -> Self {
        self.worker_threads = n.max(1);
        self
    }

    /// How long an idle hosting thread waits for another hosted call before it exits (default
    /// 10 s, as tokio's blocking pool). Hosting threads are started on demand, at most 64 at once;
    /// past that, hosted calls queue for the next free one.
    pub fn keep_alive(mut self, keep_alive: std::time::Duration) -> Self {
        self.keep_alive = keep_alive;
        self
    }

    /// Name of the host's threads, as shown by debuggers and `top -H`.
    pub fn thread_name(mut self, name: impl Into<String>) -> Self {
        self.thread_name = name.into();
        self
    }
}

/// Why the host could not be configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigureError {
    /// The host has already started (a call was hosted or driven on it, or it was configured or
    /// replaced before): settings only apply before first use.
    AlreadyStarted,
    /// [`use_handle`] was given a current_thread runtime's handle: nothing would drive it while
    /// its callers wait.
    NotMultiThread,
}

impl std::fmt::Display for ConfigureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConfigureError::AlreadyStarted => {
                "the sync-facade host runtime has already started; configure it before the first blocking call"
            }
            ConfigureError::NotMultiThread => {
                "the sync-facade host needs a multi_thread runtime's handle; build the runtime with \
                 `tokio::runtime::Builder::new_multi_thread()`"
            }
        })
    }
}

impl std::error::Error for ConfigureError {}

pub(crate) struct Host {
    handle: Handle,
    /// The name of the host's threads, for its hosting threads too; `None` when the application
    /// supplied its own runtime (then hosted futures run as tasks of that runtime).
    thread_name: Option<String>,
    /// The `fork::generation` this host was started in: in a forked child it is stale (its
    /// threads do not exist there) and a fresh host starts.
    generation: u64,
    /// Set once an application-supplied runtime has shut down (a sentinel task of it was dropped).
    app_down: Option<Arc<AtomicBool>>,
    // Kept for the life of the process (leaked, never dropped: not even in a forked child, where
    // its threads do not exist); `None` when the application supplied its own runtime.
    _runtime: Option<Runtime>,
}

static HOST: Leaked<Host> = Leaked::new();

/// Stack size of the host's threads in a forked child: larger than the parent's threads' (2 MiB
/// for tokio's and std's), so that no stack of theirs is reused (see `start`).
pub(crate) const CHILD_STACK: usize = 8 << 20;
static CONFIG: Mutex<Option<HostConfig>> = Mutex::new(None);

/// The host of this process, if it has started (a host inherited through `fork()` does not count).
#[inline]
fn current() -> Option<&'static Host> {
    HOST.get().filter(|host| host.generation == fork::generation())
}

/// Sets the host's configuration. Fails once the host has started.
pub fn configure(config: HostConfig) -> Result<(), ConfigureError> {
    let mut slot = CONFIG.lock().unwrap_or_else(|e| e.into_inner());
    if current().is_some() {
        return Err(ConfigureError::AlreadyStarted);
    }
    *slot = Some(config);
    Ok(())
}

/// Hosts futures on the application's own multi_thread runtime instead of starting one.
///
/// The runtime behind `handle` must outlive every blocking call: once it shuts down, calls that
/// need it fail with [`ErrorKind::HostShutdown`](crate::ErrorKind::HostShutdown), hosted and
/// `Direct` ones alike. A current_thread runtime's handle is refused: nothing would drive it while
/// its callers wait. A `fork()` child cannot use the parent's runtime (its threads are not in the
/// child): there the facade starts its own host, with the configuration given to [`configure`].
pub fn use_handle(handle: Handle) -> Result<(), ConfigureError> {
    let _slot = CONFIG.lock().unwrap_or_else(|e| e.into_inner());
    if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
        return Err(ConfigureError::NotMultiThread);
    }
    if current().is_some() {
        return Err(ConfigureError::AlreadyStarted);
    }
    fork::watch();
    // A task that never finishes: the runtime drops it when it shuts down, which tells `Direct`
    // calls (which do not go through the runtime's scheduler) that its drivers are gone.
    let app_down = Arc::new(AtomicBool::new(false));
    let sentinel = SetOnDrop(app_down.clone());
    drop(handle.spawn(async move {
        let _sentinel = sentinel;
        std::future::pending::<()>().await
    }));
    HOST.set(Host {
        handle,
        thread_name: None,
        generation: fork::generation(),
        app_down: Some(app_down),
        _runtime: None,
    });
    Ok(())
}

struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Whether the host has started.
pub fn is_started() -> bool {
    current().is_some()
}

/// The name for hosting threads (`pool.rs`), or `None` if hosted futures must run as tasks of an
/// application-supplied runtime. Only meaningful once the host has started.
pub(crate) fn hosting_thread_name() -> Option<&'static str> {
    current().and_then(|h| h.thread_name.as_deref())
}

impl Host {
    /// The host runtime's handle.
    #[inline]
    pub(crate) fn handle(&'static self) -> &'static Handle {
        &self.handle
    }

    /// Whether this is an application's runtime given to [`use_handle`] (which can shut down).
    #[inline]
    pub(crate) fn is_app_runtime(&self) -> bool {
        self.app_down.is_some()
    }
}

/// Whether the host is an application's runtime that has shut down.
pub(crate) fn app_runtime_down() -> bool {
    current().and_then(|h| h.app_down.as_ref()).is_some_and(|down| down.load(Ordering::Acquire))
}

/// The host's handle, starting the host on first use (and afresh in a forked child).
pub fn handle() -> std::io::Result<&'static Handle> {
    get().map(Host::handle)
}

/// The host, started on first use (and afresh in a forked child).
#[inline]
pub(crate) fn get() -> std::io::Result<&'static Host> {
    match current() {
        Some(host) => Ok(host),
        None => start(),
    }
}

#[cold]
fn start() -> std::io::Result<&'static Host> {
    let config = CONFIG.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(host) = current() {
        return Ok(host);
    }
    fork::watch();
    let config = config.clone().unwrap_or_default();
    crate::pool::set_keep_alive(config.keep_alive);
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.worker_threads(config.worker_threads).thread_name(config.thread_name.clone()).enable_all();
    if fork::generation() != 0 {
        // A forked child: glibc hands the stacks of the parent's threads (gone here) to the next
        // threads started, and parking_lot's process-wide wait queues (tokio's `parking_lot`
        // feature) still list the parent's parked threads by addresses on those stacks: a new
        // thread parked at such an address corrupts the queue (seen as hangs). Stacks larger than
        // any cached one are freshly mapped.
        builder.thread_stack_size(CHILD_STACK);
    }
    let runtime = builder.build()?;
    let host = HOST.set(Host {
        handle: runtime.handle().clone(),
        thread_name: Some(config.thread_name),
        generation: fork::generation(),
        app_down: None,
        _runtime: Some(runtime),
    });
    Ok(host)
}
