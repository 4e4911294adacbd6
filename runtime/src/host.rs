//! The facade host: one lazily started multi_thread runtime per process that runs hosted futures
//! (and whose handle `Direct` calls enter where no usable runtime is entered).
//!
//! It lives in a `static`, so it is never dropped, least of all on a caller's thread inside async
//! code ("Cannot drop a runtime in a context where blocking is not allowed"). Configure it before
//! first use with [`configure`], or hand it the application's own runtime with [`use_handle`].

use std::sync::{Mutex, OnceLock};
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

struct Host {
    handle: Handle,
    /// The name of the host's threads, for its hosting threads too; `None` when the application
    /// supplied its own runtime (then hosted futures run as tasks of that runtime).
    thread_name: Option<String>,
    // Kept for the life of the process; `None` when the application supplied its own runtime.
    _runtime: Option<Runtime>,
}

static HOST: OnceLock<Host> = OnceLock::new();
static CONFIG: Mutex<Option<HostConfig>> = Mutex::new(None);

/// Sets the host's configuration. Fails once the host has started.
pub fn configure(config: HostConfig) -> Result<(), ConfigureError> {
    let mut slot = CONFIG.lock().unwrap_or_else(|e| e.into_inner());
    if HOST.get().is_some() {
        return Err(ConfigureError::AlreadyStarted);
    }
    *slot = Some(config);
    Ok(())
}

/// Hosts futures on the application's own multi_thread runtime instead of starting one.
///
/// The runtime behind `handle` must outlive every blocking call: once it shuts down, hosted calls
/// fail with [`ErrorKind::HostShutdown`](crate::ErrorKind::HostShutdown). A current_thread
/// runtime's handle is refused: nothing would drive it while its callers wait.
pub fn use_handle(handle: Handle) -> Result<(), ConfigureError> {
    let _slot = CONFIG.lock().unwrap_or_else(|e| e.into_inner());
    if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
        return Err(ConfigureError::NotMultiThread);
    }
    HOST.set(Host { handle, thread_name: None, _runtime: None }).map_err(|_| ConfigureError::AlreadyStarted)
}

/// Whether the host has started.
pub fn is_started() -> bool {
    HOST.get().is_some()
}

/// The name for hosting threads (`pool.rs`), or `None` if hosted futures must run as tasks of an
/// application-supplied runtime. Only meaningful once the host has started.
pub(crate) fn hosting_thread_name() -> Option<&'static str> {
    HOST.get().and_then(|h| h.thread_name.as_deref())
}

/// The host's handle, starting the host on first use.
pub fn handle() -> std::io::Result<&'static Handle> {
    if let Some(host) = HOST.get() {
        return Ok(&host.handle);
    }
    start()
}

#[cold]
fn start() -> std::io::Result<&'static Handle> {
    let config = CONFIG.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(host) = HOST.get() {
        return Ok(&host.handle);
    }
    let config = config.clone().unwrap_or_default();
    crate::pool::set_keep_alive(config.keep_alive);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.worker_threads)
        .thread_name(config.thread_name.clone())
        .enable_all()
        .build()?;
    let handle = runtime.handle().clone();
    let host = HOST.get_or_init(|| Host { handle, thread_name: Some(config.thread_name), _runtime: Some(runtime) });
    Ok(&host.handle)
}
