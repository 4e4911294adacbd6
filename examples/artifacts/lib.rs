//! An async, versioned artifact store on the local file system, and the [`ToolContext`] that
//! tools save their artifacts through.
//!
//! Layout: `STORE/NAME/v1`, `STORE/NAME/v2`, ... Versions are never overwritten, and the versions
//! of one name are always `1..=n`, without gaps or duplicates, even under heavy concurrency from
//! tasks and threads of one process (and, by retrying on conflicts, from several processes).
//!
//! # How a save works
//!
//! 1. The bytes go to a fresh temp file `STORE/NAME/.tmp-PID-N` (`create_new`), are written and
//!    `fsync`ed: at this point nothing is visible.
//! 2. Under a per-name async mutex, the next version `N` is *committed* by hard-linking the temp
//!    file to `vN`. A hard link never replaces an existing file: if another process took `vN`, the
//!    link fails with `AlreadyExists`, the directory is rescanned and the next number is tried.
//!    A version number is used only by a successful link, so no gap can appear.
//! 3. The temp name is removed and the directory is `fsync`ed, so the new name is durable (one
//!    directory `fsync` covers every save committed before it started: a group commit).
//!
//! A reader sees a version only after it was completely written and synced: there are no
//! half-written versions. The save runs as a spawned task that cleans up after itself; if the
//! caller stops waiting (a timeout of a blocking twin drops the future), the save is cancelled
//! before its commit and removes its temp file, or, if it already committed, finishes.
//! [`ArtifactStore::wait_idle`] waits for such detached saves.
//!
//! This file is a module shared by the `artifacts` and `agent` examples and the tests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// Why an artifact operation failed.
#[derive(Debug)]
pub enum ArtifactError {
    /// The name is empty, contains `/`, `\` or `..`, starts with `.`, or has characters outside
    /// `A-Z a-z 0-9 . _ -`. Nothing is written for such a name.
    InvalidName {
        /// The rejected name.
        name: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// No artifact has this name.
    NotFound {
        /// The name.
        name: String,
    },
    /// The artifact exists but not in this version.
    VersionNotFound {
        /// The name.
        name: String,
        /// The version asked for.
        version: u64,
        /// The latest version.
        latest: u64,
    },
    /// A file-system operation failed.
    Io {
        /// What was being done.
        action: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The caller stopped waiting before the save committed; nothing was written.
    Cancelled,
    /// No tokio runtime to run the save on (use the blocking twins from sync code).
    NoRuntime,
    /// The blocking call itself failed (for example it timed out).
    Facade(sync_facade::Error),
}

impl fmt::Display for ArtifactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArtifactError::InvalidName { name, reason } => {
                write!(f, "invalid artifact name {name:?}: {reason}")
            }
            ArtifactError::NotFound { name } => write!(f, "no artifact named `{name}`"),
            ArtifactError::VersionNotFound { name, version, latest } => {
                write!(f, "artifact `{name}` has no version {version} (versions are 1..={latest})")
            }
            ArtifactError::Io { action, source } => write!(f, "cannot {action}: {source}"),
            ArtifactError::Cancelled => write!(f, "the save was cancelled before it committed; nothing was written"),
            ArtifactError::NoRuntime => write!(f, "artifact operations need a tokio runtime"),
            ArtifactError::Facade(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ArtifactError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ArtifactError::Io { source, .. } => Some(source),
            ArtifactError::Facade(e) => Some(e),
            _ => None,
        }
    }
}

/// Lets the `flatten` twins return `Result<T, ArtifactError>` directly.
impl From<sync_facade::Error> for ArtifactError {
    fn from(e: sync_facade::Error) -> Self {
        ArtifactError::Facade(e)
    }
}

fn io(action: impl Into<String>) -> impl FnOnce(std::io::Error) -> ArtifactError {
    let action = action.into();
    move |source| ArtifactError::Io { action, source }
}

/// The error of reading (`verb`) version `version` of `name` at `path`: a file gone (a version
/// that does not exist, past the checks of `locate`) is `VersionNotFound`, anything else IO.
fn version_gone<'a>(
    name: &'a str,
    version: u64,
    latest: u64,
    verb: &'a str,
    path: &'a std::path::Path,
) -> impl FnOnce(std::io::Error) -> ArtifactError + 'a {
    move |source| match source.kind() {
        std::io::ErrorKind::NotFound => ArtifactError::VersionNotFound { name: name.to_string(), version, latest },
        _ => io(format!("{verb} {}", path.display()))(source),
    }
}

/// Checks an artifact name: non-empty, at most 128 bytes of `A-Z a-z 0-9 . _ -`, not starting
/// with `.` (which also rules out `.`, `..` and the store's temp files). So a name is always a
/// single, ordinary directory entry inside the store.
pub fn validate_name(name: &str) -> Result<(), ArtifactError> {
    let reason = if name.is_empty() {
        "it is empty"
    } else if name.contains('/') || name.contains('\\') {
        "it contains a path separator"
    } else if name.contains("..") {
        "it contains `..`"
    } else if name.starts_with('.') {
        "it starts with `.`"
    } else if name.len() > 128 {
        "it is longer than 128 bytes"
    } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
        "only A-Z, a-z, 0-9, `.`, `_` and `-` are allowed"
    } else {
        return Ok(());
    };
    Err(ArtifactError::InvalidName { name: name.to_string(), reason })
}

/// The versions of one artifact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtifactInfo {
    /// The name.
    pub name: String,
    /// Its versions, ascending (always `1..=n`).
    pub versions: Vec<u64>,
    /// The size in bytes of the latest version.
    pub latest_size: u64,
}

/// Options of a store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// `fsync` the data and the directory on every save (default `true`).
    pub fsync: bool,
    /// Test hook: a pause between the write and the commit of every save, to interrupt saves.
    pub commit_delay: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { fsync: true, commit_delay: Duration::ZERO }
    }
}

/// A versioned artifact store in a directory. Cheap to clone; clones share their state.
#[derive(Clone)]
pub struct ArtifactStore {
    inner: Arc<Inner>,
}

struct Inner {
    root: PathBuf,
    options: StoreOptions,
    /// Per-name state: the commit lock and the directory-sync bookkeeping.
    slots: Mutex<HashMap<String, Arc<NameState>>>,
    in_flight: AtomicUsize,
    idle: tokio::sync::Notify,
}

#[derive(Default)]
struct NameState {
    /// The commit lock, holding the next version number once known.
    commit: tokio::sync::Mutex<Slot>,
    /// Commits made by this store so far (a sequence number, not a version).
    committed: AtomicU64,
    /// Group commit of the directory `fsync`: the commits known durable. A save that finds its
    /// commit already covered by another save's `fsync` skips its own.
    durable: tokio::sync::Mutex<u64>,
}

#[derive(Default)]
struct Slot {
    /// The next free version, `None` until the directory has been scanned.
    next: Option<u64>,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Parses a version file name `vN`.
fn parse_version(file_name: &str) -> Option<u64> {
    let digits = file_name.strip_prefix('v')?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The entries of `dir`, or `None` when it does not exist (yet).
async fn read_dir_if_exists(dir: &Path) -> Result<Option<tokio::fs::ReadDir>, ArtifactError> {
    match tokio::fs::read_dir(dir).await {
        Ok(entries) => Ok(Some(entries)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(format!("list {}", dir.display()))(e)),
    }
}

/// The versions present in `dir`, ascending; empty when `dir` does not exist.
async fn scan_versions(dir: &Path) -> Result<Vec<u64>, ArtifactError> {
    let mut versions = Vec::new();
    let Some(mut entries) = read_dir_if_exists(dir).await? else { return Ok(versions) };
    while let Some(entry) = entries.next_entry().await.map_err(io(format!("list {}", dir.display())))? {
        if let Some(v) = entry.file_name().to_str().and_then(parse_version) {
            versions.push(v);
        }
    }
    versions.sort_unstable();
    Ok(versions)
}

/// Removes the temp file when a save ends in any way but a commit (error, cancellation, runtime
/// shutdown).
struct TempFile {
    path: Option<PathBuf>,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Tells the detached save job that its caller stopped waiting.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Counts a detached save job until it ends.
struct InFlight(Arc<Inner>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl ArtifactStore {
    /// A store in `root` (created on the first save).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self::with_options(root, StoreOptions::default())
    }

    /// A store in `root` with `options`.
    pub fn with_options(root: impl Into<PathBuf>, options: StoreOptions) -> Self {
        ArtifactStore {
            inner: Arc::new(Inner {
                root: root.into(),
                options,
                slots: Mutex::new(HashMap::new()),
                in_flight: AtomicUsize::new(0),
                idle: tokio::sync::Notify::new(),
            }),
        }
    }

    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    fn name_state(&self, name: &str) -> Arc<NameState> {
        let mut slots = self.inner.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(name.to_string()).or_default().clone()
    }

    /// Saves `bytes` as a new version of `name` and returns its number (1 for a new name).
    ///
    /// Atomic: the version appears complete or not at all. Must run in a tokio runtime (the
    /// blocking twins take care of that).
    pub async fn save(&self, name: &str, bytes: Vec<u8>) -> Result<u64, ArtifactError> {
        validate_name(name)?;
        let handle = tokio::runtime::Handle::try_current().map_err(|_| ArtifactError::NoRuntime)?;
        let cancel = CancelOnDrop(Arc::new(AtomicBool::new(false)));
        self.inner.in_flight.fetch_add(1, Ordering::SeqCst);
        let in_flight = InFlight(self.inner.clone());
        let (store, name, cancelled) = (self.clone(), name.to_string(), cancel.0.clone());
        let job = handle.spawn(async move {
            let _in_flight = in_flight;
            store.save_job(&name, bytes, &cancelled).await
        });
        match job.await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(ArtifactError::Cancelled),
        }
    }

    async fn save_job(&self, name: &str, bytes: Vec<u8>, cancelled: &AtomicBool) -> Result<u64, ArtifactError> {
        let dir = self.inner.root.join(name);
        tokio::fs::create_dir_all(&dir).await.map_err(io(format!("create {}", dir.display())))?;
        let unique = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp_path = dir.join(format!(".tmp-{}-{unique}", std::process::id()));
        // Armed before the open: whatever happens from here, the temp file goes away.
        let mut temp = TempFile { path: Some(temp_path.clone()) };
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp_path)
            .await
            .map_err(io(format!("create {}", temp_path.display())))?;
        file.write_all(&bytes).await.map_err(io(format!("write {}", temp_path.display())))?;
        file.flush().await.map_err(io(format!("write {}", temp_path.display())))?;
        if self.inner.options.fsync {
            file.sync_all().await.map_err(io(format!("sync {}", temp_path.display())))?;
        }
        drop(file);
        if !self.inner.options.commit_delay.is_zero() {
            tokio::time::sleep(self.inner.options.commit_delay).await;
        }

        // Commit: the first free version, taken by a hard link that never replaces a file.
        let state = self.name_state(name);
        let mut slot = state.commit.lock().await;
        let (mut version, mut sequence) = (0, 0);
        for _attempt in 0..10_000 {
            if cancelled.load(Ordering::SeqCst) {
                return Err(ArtifactError::Cancelled);
            }
            let next = match slot.next {
                Some(next) => next,
                None => scan_versions(&dir).await?.last().map_or(1, |v| v + 1),
            };
            let target = dir.join(format!("v{next}"));
            match tokio::fs::hard_link(&temp_path, &target).await {
                Ok(()) => {
                    slot.next = Some(next + 1);
                    version = next;
                    sequence = state.committed.fetch_add(1, Ordering::SeqCst) + 1;
                    break;
                }
                // Another process committed this version first: rescan and try the next one.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => slot.next = None,
                Err(e) => return Err(io(format!("commit {}", target.display()))(e)),
            }
        }
        drop(slot);
        if version == 0 {
            return Err(io(format!("commit a version of `{name}`"))(std::io::Error::other("too many conflicts")));
        }
        temp.path = None;
        // The version is committed; a failure to tidy up must not turn it into an error.
        let _ = tokio::fs::remove_file(&temp_path).await;
        if self.inner.options.fsync {
            let mut durable = state.durable.lock().await;
            if *durable < sequence {
                // This fsync covers every commit made so far, including those of the saves now
                // waiting for the lock: they will skip theirs.
                let upto = state.committed.load(Ordering::SeqCst);
                if sync_dir(&dir).await.is_ok() {
                    *durable = upto;
                }
            }
        }
        Ok(version)
    }

    /// Version `version` of `name` (the latest when `None`), read whole.
    pub async fn load(&self, name: &str, version: Option<u64>) -> Result<Vec<u8>, ArtifactError> {
        let (path, version, latest) = self.locate(name, version).await?;
        tokio::fs::read(&path).await.map_err(version_gone(name, version, latest, "read", &path))
    }

    /// Version `version` of `name` (the latest when `None`), opened for reading: its bytes are
    /// read as they are consumed, never whole. A committed version is never overwritten, so the
    /// file stays what it was while it is read.
    pub async fn open(&self, name: &str, version: Option<u64>) -> Result<tokio::fs::File, ArtifactError> {
        let (path, version, latest) = self.locate(name, version).await?;
        tokio::fs::File::open(&path).await.map_err(version_gone(name, version, latest, "open", &path))
    }

    /// The file of version `version` of `name` (the latest when `None`), that version and the
    /// latest one.
    async fn locate(&self, name: &str, version: Option<u64>) -> Result<(PathBuf, u64, u64), ArtifactError> {
        validate_name(name)?;
        let dir = self.inner.root.join(name);
        let versions = scan_versions(&dir).await?;
        let Some(&latest) = versions.last() else {
            return Err(ArtifactError::NotFound { name: name.to_string() });
        };
        let version = version.unwrap_or(latest);
        if version == 0 || version > latest {
            return Err(ArtifactError::VersionNotFound { name: name.to_string(), version, latest });
        }
        Ok((dir.join(format!("v{version}")), version, latest))
    }

    /// Every artifact with its versions, by name.
    pub async fn list(&self) -> Result<Vec<ArtifactInfo>, ArtifactError> {
        let root = &self.inner.root;
        let mut out = Vec::new();
        let Some(mut entries) = read_dir_if_exists(root).await? else { return Ok(out) };
        while let Some(entry) = entries.next_entry().await.map_err(io(format!("list {}", root.display())))? {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if validate_name(&name).is_err() {
                continue;
            }
            let dir = entry.path();
            let versions = scan_versions(&dir).await?;
            let Some(latest) = versions.last() else {
                continue;
            };
            let latest_size = tokio::fs::metadata(dir.join(format!("v{latest}"))).await.map(|m| m.len()).unwrap_or(0);
            out.push(ArtifactInfo { name, versions, latest_size });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Removes temp files (`NAME/.tmp-*`) older than `older_than`: what a save leaves only when
    /// its process is killed between creating and committing or removing its temp file. Temp
    /// files are never listed or loaded, so this only reclaims space; `older_than` keeps the temp
    /// files of saves still running in other processes. Returns how many were removed.
    pub async fn remove_stale_temp_files(&self, older_than: Duration) -> Result<usize, ArtifactError> {
        let root = &self.inner.root;
        let mut removed = 0;
        let mut names = match tokio::fs::read_dir(root).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(io(format!("list {}", root.display()))(e)),
        };
        while let Some(name) = names.next_entry().await.map_err(io(format!("list {}", root.display())))? {
            let Ok(mut files) = tokio::fs::read_dir(name.path()).await else { continue };
            while let Ok(Some(file)) = files.next_entry().await {
                if !file.file_name().to_string_lossy().starts_with(".tmp-") {
                    continue;
                }
                let age = file.metadata().await.ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
                if age.is_some_and(|age| age >= older_than) && tokio::fs::remove_file(file.path()).await.is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// Waits until no save started by this store (or its clones) is still running, including
    /// saves whose callers stopped waiting.
    pub async fn wait_idle(&self) {
        loop {
            let notified = self.inner.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.inner.in_flight.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// Makes a directory's new entries durable.
async fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let dir = tokio::fs::File::open(dir).await?;
        dir.sync_all().await?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// One artifact saved through a [`ToolContext`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The artifact's name.
    pub name: String,
    /// The version the save created.
    pub version: u64,
}

/// What tools get to persist their results: the store plus a record of what they saved.
#[derive(Clone)]
pub struct ToolContext {
    store: ArtifactStore,
    saved: Arc<Mutex<Vec<Saved>>>,
}

impl ToolContext {
    /// A context saving into `store`.
    pub fn new(store: ArtifactStore) -> Self {
        ToolContext { store, saved: Arc::default() }
    }

    /// The store.
    pub fn store(&self) -> &ArtifactStore {
        &self.store
    }

    /// Everything saved through this context (and its clones), in order.
    pub fn saved(&self) -> Vec<Saved> {
        self.saved.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

// The async API of the context. `#[sync_facade]` on the impl block gives every async method a
// blocking twin (`blocking_save_artifact`, ...) for sync tools and callbacks; with `flatten` the
// twins return `Result<T, ArtifactError>`.
#[sync_facade::sync_facade(timeout = 30, flatten)]
impl ToolContext {
    /// Saves `part` as a new version of artifact `name`; returns the version.
    pub async fn save_artifact(&self, name: &str, part: Vec<u8>) -> Result<u64, ArtifactError> {
        let version = self.store.save(name, part).await?;
        self.saved.lock().unwrap_or_else(|e| e.into_inner()).push(Saved { name: name.to_string(), version });
        Ok(version)
    }

    /// Loads version `version` of artifact `name` (the latest when `None`).
    pub async fn load_artifact(&self, name: &str, version: Option<u64>) -> Result<Vec<u8>, ArtifactError> {
        self.store.load(name, version).await
    }

    /// Opens version `version` of artifact `name` (the latest when `None`) for reading, without
    /// loading it. Its twin, `blocking_open_artifact`, hands sync callers a `std::io::Read` (and
    /// `BufRead`) whose every read that reaches the file is one blocking call (64 KiB at a time,
    /// or the caller's buffer if larger), in any calling context.
    pub async fn open_artifact(
        &self,
        name: &str,
        version: Option<u64>,
    ) -> Result<impl tokio::io::AsyncRead + Send + Unpin, ArtifactError> {
        self.store.open(name, version).await
    }

    /// Lists the store's artifacts.
    pub async fn list_artifacts(&self) -> Result<Vec<ArtifactInfo>, ArtifactError> {
        self.store.list().await
    }

    /// Removes temp files left by killed processes; see [`ArtifactStore::remove_stale_temp_files`].
    pub async fn remove_stale_temp_files(&self, older_than: Duration) -> Result<usize, ArtifactError> {
        self.store.remove_stale_temp_files(older_than).await
    }

    /// Waits for detached saves; see [`ArtifactStore::wait_idle`].
    pub async fn wait_idle(&self) -> Result<(), ArtifactError> {
        self.store.wait_idle().await;
        Ok(())
    }
}
