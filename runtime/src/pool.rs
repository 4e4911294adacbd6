//! Hosting threads: where hosted futures run when a thread is free.
//!
//! A hosted call must move its future off the caller's thread. Spawning it as a tokio task costs
//! two cross-thread wake-ups (waking a parked worker through the runtime's driver, then waking the
//! caller), which dominate the call on a virtual machine. A hosting thread is a plain thread that
//! drives one hosted future at a time with the host runtime's handle entered, exactly as a
//! `Direct` call does on a plain thread: the future's timers, sockets and spawns use the host
//! runtime, and `yield_now` wakes it at once (no scheduler runs on this thread). After a job it
//! spins briefly before it parks, and so does the caller, so back-to-back hosted calls hand over
//! without a futex sleep on either side.
//!
//! Threads are started on demand, up to [`MAX_THREADS`], named like the host's workers, and reused;
//! when all are busy the caller falls back to spawning a tokio task on the host. No thread is
//! started per call. When the application gave the host its own runtime (`host::use_handle`),
//! hosted futures run as tasks of that runtime instead.

use crate::park::Signal;
use std::any::Any;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Waker};
use std::time::Duration;

/// Most hosting threads alive at once; beyond that, hosted calls become tokio tasks.
pub(crate) const MAX_THREADS: usize = 64;

/// How long an idle hosting thread, and a waiting caller, spin before they park.
pub(crate) const SPIN: Duration = Duration::from_micros(50);

/// A type-erased hosted future (see `erase.rs` for how its lifetime is handled).
pub(crate) type Task = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// What a hosted call and its hosting thread share.
pub(crate) struct Completion {
    /// Set once the future has been dropped (finished, cancelled or panicked).
    done: AtomicBool,
    /// Asks the hosting thread to drop the future (timeout, or the caller unwinding).
    cancel: AtomicBool,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    /// Whether the future ran to completion.
    finished: AtomicBool,
    caller: Arc<Signal>,
    worker: Arc<Signal>,
}

impl Completion {
    pub(crate) fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Asks the hosting thread to drop the future at its next wake-up.
    pub(crate) fn cancel(&self) {
        self.cancel.store(true, Ordering::Release);
        self.worker.notify();
    }

    /// How the future ended; call after [`is_done`](Self::is_done) returned `true`.
    pub(crate) fn outcome(&self) -> Result<(), Option<Box<dyn Any + Send>>> {
        if self.finished.load(Ordering::Acquire) {
            return Ok(());
        }
        Err(self.panic.lock().unwrap_or_else(|e| e.into_inner()).take())
    }
}

struct Worker {
    signal: Arc<Signal>,
    job: Mutex<Option<(Task, Arc<Completion>)>>,
}

static IDLE: Mutex<Vec<Arc<Worker>>> = Mutex::new(Vec::new());
static STARTED: AtomicUsize = AtomicUsize::new(0);

/// Hands `task` to a free hosting thread; gives it back if none is free and no more may start.
pub(crate) fn hand_off(task: Task, caller: Arc<Signal>) -> Result<Arc<Completion>, Task> {
    // With an application's runtime as the host, its own threads run hosted futures.
    let Some(name) = crate::host::hosting_thread_name() else { return Err(task) };
    let Some(worker) = idle_worker(name) else { return Err(task) };
    let completion = Arc::new(Completion {
        done: AtomicBool::new(false),
        cancel: AtomicBool::new(false),
        panic: Mutex::new(None),
        finished: AtomicBool::new(false),
        caller,
        worker: worker.signal.clone(),
    });
    *worker.job.lock().unwrap_or_else(|e| e.into_inner()) = Some((task, completion.clone()));
    worker.signal.notify();
    Ok(completion)
}

fn idle_worker(name: &str) -> Option<Arc<Worker>> {
    if let Some(worker) = IDLE.lock().unwrap_or_else(|e| e.into_inner()).pop() {
        return Some(worker);
    }
    // Reserve a slot, then start a thread for it.
    let started = STARTED.fetch_add(1, Ordering::Relaxed);
    if started >= MAX_THREADS {
        STARTED.fetch_sub(1, Ordering::Relaxed);
        return None;
    }
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new().name(name.to_owned()).spawn(move || {
        let worker = Arc::new(Worker { signal: Signal::for_current_thread(), job: Mutex::new(None) });
        let _ = tx.send(worker.clone());
        worker_loop(&worker);
    });
    match spawned.ok().and_then(|_| rx.recv().ok()) {
        Some(worker) => Some(worker),
        None => {
            STARTED.fetch_sub(1, Ordering::Relaxed);
            None
        }
    }
}

fn worker_loop(worker: &Arc<Worker>) {
    let waker = Waker::from(worker.signal.clone());
    loop {
        let job = worker.job.lock().unwrap_or_else(|e| e.into_inner()).take();
        match job {
            Some((task, completion)) => {
                run(task, &completion, &worker.signal, &waker);
                IDLE.lock().unwrap_or_else(|e| e.into_inner()).push(worker.clone());
            }
            None => {
                let _ = worker.signal.wait_spinning(None, SPIN);
            }
        }
    }
}

/// Drives `task` to completion (or until cancelled) with the host's handle entered, then tells
/// the caller, after the future has been dropped.
fn run(task: Task, completion: &Completion, signal: &Signal, waker: &Waker) {
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        // Entered before `task` is bound, so that the future is dropped (on cancellation, a
        // return below) while the host runtime is still entered: its destructor may need it.
        let _enter = crate::host::handle().ok().map(|h| h.enter());
        let mut task = task;
        let mut cx = Context::from_waker(waker);
        loop {
            if completion.cancel.load(Ordering::Acquire) {
                return false; // `task` is dropped here, before `done` is set
            }
            let mut unconstrained = tokio::task::coop::unconstrained(task.as_mut());
            if Pin::new(&mut unconstrained).poll(&mut cx).is_ready() {
                return true;
            }
            let _ = signal.wait(None);
        }
    }));
    match result {
        Ok(finished) => completion.finished.store(finished, Ordering::Release),
        Err(payload) => *completion.panic.lock().unwrap_or_else(|e| e.into_inner()) = Some(payload),
    }
    completion.done.store(true, Ordering::Release);
    completion.caller.notify();
}
