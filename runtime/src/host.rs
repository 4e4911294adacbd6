//! The facade host: one lazily started multi_thread runtime per process that runs hosted futures
//! (and whose handle `Direct` calls enter where no usable runtime is entered).
//!
//! `Direct` calls are spread over several host runtimes, *shards* (see
//! [`HostConfig::direct_shards`]): entering a runtime's handle clones and drops its shared
//! reference count, and with every calling thread entering the one host that count bounces
//! between cores on every call. Shard 0 is the host itself; each calling thread is seated once at
//! the shard with the fewest live threads seated, and further shards start only when a second
//! thread makes `Direct` calls while the first one lives. A resource created in a `Direct` call
//! (a socket, a timer, a spawned task) belongs to its shard's runtime, whose own workers drive it,
//! so it keeps working when it is used later from any other thread, shard or hosted call.
//!
//! It is leaked into a `static`, so it is never dropped, least of all on a caller's thread inside
//! async code ("Cannot drop a runtime in a context where blocking is not allowed"). A `fork()`
//! child, which has none of the parent's threads, starts a fresh host on first use and leaves the
//! parent's runtime object alone (dropping it would wait for threads that are not there). Configure it before
//! first use with [`configure`], or hand it the application's own runtime with [`use_handle`].

use crate::erase::Leaked;
use crate::fork;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::runtime::{Handle, Runtime};

/// Settings of the host runtime, applied by [`configure`] before the host starts.
#[derive(Clone, Debug)]
pub struct HostConfig {
    worker_threads: usize,
    thread_name: String,
    keep_alive: std::time::Duration,
    /// `None`: one per core.
    direct_shards: Option<usize>,
}

impl Default for HostConfig {
    /// Two worker threads named `sync-facade-host`. Hosted futures are usually short waits on IO
    /// started by the caller; raise the count for CPU-heavy hosted work.
    fn default() -> Self {
        HostConfig {
            worker_threads: 2,
            thread_name: "sync-facade-host".to_owned(),
            keep_alive: crate::pool::DEFAULT_KEEP_ALIVE,
            direct_shards: None,
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

    /// Number of host runtimes that `Direct` calls are spread over (at least 1, at most 1024;
    /// default: one per core, `std::thread::available_parallelism`).
    ///
    /// Each calling thread is seated once at one of them, the one with the fewest live threads
    /// seated, and enters its handle for its `Direct` calls, so that threads calling at once do
    /// not share one runtime's reference count. Shard 0 is the host itself (`worker_threads`
    /// workers, also used by hosted calls and [`handle`]); the others are started only once that
    /// many threads make `Direct` calls at the same time, each with `worker_threads / n` workers
    /// (at least 1), and like the host they live as long as the process. Tasks spawned and
    /// resources created inside a `Direct` call belong to the calling thread's shard and stay
    /// usable from every thread. `1` puts every `Direct` call on the host runtime. Not used with
    /// [`use_handle`]: there every call enters the application's runtime.
    pub fn direct_shards(mut self, n: usize) -> Self {
        self.direct_shards = Some(n.clamp(1, MAX_SHARDS));
        self
    }

    /// Name of the host's threads, as shown by debuggers and `top -H`.
    pub fn thread_name(mut self, name: impl Into<String>) -> Self {
        self.thread_name = name.into();
        self
    }
}

/// The most shards of `Direct` calls (each started one is a runtime with at least one thread).
const MAX_SHARDS: usize = 1024;

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
    /// Whose runtime `handle` belongs to: the facade's own, or an application's.
    runtime: HostRuntime,
    /// The `fork::generation` this host was started in: in a forked child it is stale (its
    /// threads do not exist there) and a fresh host starts.
    generation: u64,
    /// Shards 1.. of `Direct` calls (shard 0 is `handle`), each started on first use; `None`
    /// inside when it could not be started (its threads then use shard 0). Never dropped, as the
    /// host's own runtime. Empty with one shard or an application-supplied runtime.
    shards: Box<[OnceLock<Option<Runtime>>]>,
    /// Live threads seated at each shard (`shards.len() + 1` entries).
    seated: Box<[AtomicUsize]>,
    /// Worker threads of each of shards 1.. (named as the host's).
    shard_workers: usize,
}

/// The runtime behind a [`Host`].
enum HostRuntime {
    /// The facade's own, started by [`start`].
    Own {
        /// The name of its threads, for the hosting threads too.
        thread_name: String,
        /// How long an idle hosting thread waits for work before it exits
        /// (`HostConfig::keep_alive`).
        keep_alive: std::time::Duration,
        /// Kept for the life of the process (leaked, never dropped: not even in a forked child,
        /// where its threads do not exist).
        _runtime: Runtime,
    },
    /// An application's, given to [`use_handle`]: hosted futures run as its tasks.
    App {
        /// Set once it has shut down (a sentinel task of it was dropped).
        down: Arc<AtomicBool>,
    },
}

static HOST: Leaked<Host> = Leaked::new();

/// Stack size of the host's threads in a forked child: larger than the parent's threads' (2 MiB
/// for tokio's and std's), so that no stack of theirs is reused (see `start`).
pub(crate) const CHILD_STACK: usize = 8 << 20;
static CONFIG: Mutex<Option<HostConfig>> = Mutex::new(None);

/// The host of this process, if it has started (a host inherited through `fork()` does not count).
#[inline]
pub(crate) fn current() -> Option<&'static Host> {
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
/// `Direct` ones alike. Every `Direct` call enters this one runtime: it is not sharded (see
/// [`HostConfig::direct_shards`]). A current_thread runtime's handle is refused: nothing would
/// drive it while its callers wait. A `fork()` child cannot use the parent's runtime (its threads
/// are not in the child): there the facade starts its own host, with the configuration given to
/// [`configure`].
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
        runtime: HostRuntime::App { down: app_down },
        generation: fork::generation(),
        shards: Box::new([]),
        seated: Box::new([]),
        shard_workers: 0,
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

/// The name and keep-alive of hosting threads (`pool.rs`), or `None` if hosted futures must run
/// as tasks of an application-supplied runtime. Only meaningful once the host has started.
pub(crate) fn hosting() -> Option<(&'static str, std::time::Duration)> {
    current().and_then(|h| match &h.runtime {
        HostRuntime::Own { thread_name, keep_alive, .. } => Some((thread_name.as_str(), *keep_alive)),
        HostRuntime::App { .. } => None,
    })
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
        matches!(self.runtime, HostRuntime::App { .. })
    }

    /// The handle that `Direct` calls from this thread enter: its shard's (seating the thread on
    /// its first call, starting the shard on first use), or the host's where there is one shard.
    #[inline]
    pub(crate) fn direct_handle(&'static self) -> &'static Handle {
        if self.shards.is_empty() {
            return &self.handle;
        }
        match DIRECT.try_with(Cell::get) {
            Ok(Some((host, handle))) if std::ptr::eq(host, self) => handle,
            _ => self.seat_here(),
        }
    }

    /// Seats this thread at the shard with the fewest live threads seated (the lowest first) and
    /// remembers its handle. A seat at an older host (this thread forked the process) leaves that
    /// host's count as it is: its other threads are gone.
    #[cold]
    fn seat_here(&'static self) -> &'static Handle {
        let seated = SEAT.try_with(|seat| match seat.0.get() {
            Some((host, shard)) if std::ptr::eq(host, self) => shard,
            _ => {
                let shard = (0..self.seated.len()).min_by_key(|&i| self.seated[i].load(Ordering::Relaxed)).unwrap_or(0);
                self.seated[shard].fetch_add(1, Ordering::Relaxed);
                seat.0.set(Some((self, shard)));
                shard
            }
        });
        // No seat once this thread's thread-locals are being destroyed (a call from another
        // thread-local's destructor): shard 0, not remembered.
        let Ok(shard) = seated else { return &self.handle };
        let handle = if shard == 0 { &self.handle } else { self.shard(shard) };
        let _ = DIRECT.try_with(|direct| direct.set(Some((self, handle))));
        handle
    }

    /// Whether `handle` is one of the host's runtimes (the host itself or a started shard).
    pub(crate) fn runs(&self, handle: &Handle) -> bool {
        let id = handle.id();
        self.handle.id() == id
            || self.shards.iter().any(|s| s.get().and_then(Option::as_ref).is_some_and(|r| r.handle().id() == id))
    }

    /// Shard `shard` (1..)'s handle, started on first use; the host's if it cannot start.
    fn shard(&'static self, shard: usize) -> &'static Handle {
        let runtime = self.shards[shard - 1].get_or_init(|| match &self.runtime {
            HostRuntime::Own { thread_name, .. } => build(self.shard_workers, thread_name.clone()).ok(),
            HostRuntime::App { .. } => None, // an application's runtime is not sharded
        });
        runtime.as_ref().map_or(&self.handle, Runtime::handle)
    }
}

/// The shard this thread is seated at, and the host it belongs to; the seat is given up when the
/// thread exits.
struct Seat(Cell<Option<(&'static Host, usize)>>);

impl Drop for Seat {
    fn drop(&mut self) {
        if let Some((host, shard)) = self.0.get() {
            host.seated[shard].fetch_sub(1, Ordering::Relaxed);
        }
    }
}

thread_local! {
    static SEAT: Seat = const { Seat(Cell::new(None)) };
    /// The handle `Direct` calls from this thread enter, and the host it belongs to (no
    /// destructor: the fast path of every `Direct` call reads it).
    static DIRECT: Cell<Option<(&'static Host, &'static Handle)>> = const { Cell::new(None) };
}

/// Whether the host is an application's runtime that has shut down.
pub(crate) fn app_runtime_down() -> bool {
    current().is_some_and(|h| match &h.runtime {
        HostRuntime::App { down } => down.load(Ordering::Acquire),
        HostRuntime::Own { .. } => false,
    })
}

/// The host's handle, starting the host on first use (and afresh in a forked child). This is the
/// runtime of hosted calls and shard 0 of `Direct` calls (see [`HostConfig::direct_shards`]).
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
    let shards = config
        .direct_shards
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_SHARDS));
    let runtime = build(config.worker_threads, config.thread_name.clone())?;
    let host = HOST.set(Host {
        handle: runtime.handle().clone(),
        runtime: HostRuntime::Own { thread_name: config.thread_name, keep_alive: config.keep_alive, _runtime: runtime },
        generation: fork::generation(),
        shards: (1..shards).map(|_| OnceLock::new()).collect(),
        seated: (0..shards).map(|_| AtomicUsize::new(0)).collect(),
        shard_workers: (config.worker_threads / shards).max(1),
    });
    Ok(host)
}

/// A host runtime: the host itself, or a shard of `Direct` calls.
fn build(workers: usize, thread_name: String) -> std::io::Result<Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.worker_threads(workers).thread_name(thread_name).enable_all();
    if fork::generation() != 0 {
        // A forked child: glibc hands the stacks of the parent's threads (gone here) to the next
        // threads started, and parking_lot's process-wide wait queues (tokio's `parking_lot`
        // feature) still list the parent's parked threads by addresses on those stacks: a new
        // thread parked at such an address corrupts the queue (seen as hangs). Stacks larger than
        // any cached one are freshly mapped.
        builder.thread_stack_size(CHILD_STACK);
    }
    builder.build()
}
