//! Hosting threads: where hosted futures run.
//!
//! A hosted call must move its future off the caller's thread. Spawning it as a tokio task costs
//! two cross-thread wake-ups (waking a parked worker through the runtime's driver, then waking the
//! caller), which dominate the call on a virtual machine. A hosting thread is a plain thread that
//! drives one hosted future at a time with the host runtime's handle entered, exactly as a
//! `Direct` call does on a plain thread: the future's timers, sockets and spawns use the host
//! runtime, and `yield_now` wakes it at once (no scheduler runs on this thread).
//!
//! # Load
//!
//! Like tokio's blocking pool: threads are started on demand, up to [`MAX_THREADS`], and reused;
//! past the cap, hosted futures wait in a FIFO queue for the next free hosting thread. A future
//! therefore always runs the same way, on a hosting thread, at any load, and overload never
//! lands on the host runtime's workers, whose timers and sockets `Direct` callers depend on. The
//! price of a cap: hosted futures that wait for each other (one waits on a channel another one
//! feeds) can deadlock once more than [`MAX_THREADS`] of them are waiting, until their timeouts.
//! A facade call made inside a hosted future runs in place on its hosting thread and needs no
//! second thread.
//!
//! Idle threads wait for work for the host's keep-alive (`HostConfig::keep_alive`, 10 s by
//! default), then exit. The most recently used idle thread is reused first, so a steady trickle of
//! calls keeps one thread and lets the others go; except for pairs (below).
//!
//! # Pairs
//!
//! A caller that hands over again within [`PAIR_WINDOW`] of its last hand-over goes back to the
//! hosting thread it used then, if that thread is idle. Several callers calling back to back then
//! each talk to a thread of their own, instead of each call going to whichever thread finished
//! last (usually another caller's partner). Measured with 4 callers on 2 cores (`benches/README.md`,
//! "Four callers on two cores"): the CPU per call falls by about a third, the p99.9 latency by a
//! quarter to a half, and the wake-up that answers a caller lands on the answering thread's own
//! CPU twice as often (60 % of them against 30 %). The cost: a caller that keeps calling keeps its
//! idle thread alive, so up to one idle thread per caller that called in the last millisecond.
//!
//! # Hand-over latency
//!
//! A hand-over to an idle thread is one lock, a slot write and a notify. An idle thread spins for
//! the next job only while jobs have recently come back to back (for four times the last gap,
//! at most [`IDLE_SPIN_MAX`]); the waiting caller spins likewise for about twice its recent wait
//! (see `park.rs`). Both spins yield the CPU after two microseconds, so a thread queued on the
//! spinning CPU (a woken thread usually is) runs at once instead of waiting the spin out. A
//! process that makes no calls has no spinning thread.
//!
//! # fork
//!
//! A `fork()` child has none of the parent's hosting threads. The pool's state is tagged with
//! `crate::fork::generation()`: the first hand-over in a child finds the tag stale, forgets the
//! parent's pool (leaked, never touched again, so a lock a parent thread held at the fork cannot
//! block the child) and starts a new one.
//!
//! When the application gave the host its own runtime (`host::use_handle`), hosted futures run as
//! tasks of that runtime instead.

use crate::park::{Elapsed, Signal};
use crate::sync::{self, Arc, AtomicBool, Mutex, Ordering};
use std::any::Any;
use std::collections::VecDeque;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// Most hosting threads alive at once; past it, hosted futures queue for a free thread.
pub(crate) const MAX_THREADS: usize = 64;

/// Longest an idle hosting thread spins for its next job before it parks.
pub(crate) const IDLE_SPIN_MAX: Duration = Duration::from_micros(10);

/// How long an idle hosting thread waits for work before it exits, unless configured.
pub(crate) const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(10);

/// A type-erased hosted future (see `erase.rs` for how its lifetime is handled).
pub(crate) type Task = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// What a hosted call and its hosting thread share.
pub(crate) struct Completion {
    /// Set once the future has been dropped (finished, cancelled or panicked).
    done: AtomicBool,
    /// Asks the hosting thread to drop the future (timeout, or the caller unwinding).
    cancel: AtomicBool,
    /// Whether the future ran to completion.
    finished: AtomicBool,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    caller: Arc<Signal>,
    /// The signal of the hosting thread that took the job, once one has.
    worker: Mutex<Option<Arc<Signal>>>,
    pool: &'static Pool,
}

/// Waits on `caller` (the signal the job was submitted with) until the job has ended.
#[cfg(test)]
fn wait_done(completion: &Completion, caller: &Signal) {
    while !completion.is_done() {
        let _ = caller.wait(None);
    }
}

impl Completion {
    pub(crate) fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Asks for the future to be dropped: a queued job is taken out of the queue and dropped here
    /// (it never ran); a running one is dropped by its hosting thread at its next wake-up.
    pub(crate) fn cancel(self: &Arc<Self>) {
        self.cancel.store(true, Ordering::SeqCst);
        if let Some(job) = self.pool.dequeue(self) {
            drop(job.task);
            self.finish(None);
            return;
        }
        // Not queued: a hosting thread has taken it. It publishes its signal in `worker` before it
        // first reads `cancel`, so either it sees the flag or we see its signal (both under locks).
        let worker = sync::lock(&self.worker).clone();
        if let Some(worker) = worker {
            worker.notify();
        }
    }

    /// How the future ended; call after [`is_done`](Self::is_done) returned `true`.
    pub(crate) fn outcome(&self) -> Result<(), Option<Box<dyn Any + Send>>> {
        if self.finished.load(Ordering::Acquire) {
            return Ok(());
        }
        Err(sync::lock(&self.panic).take())
    }

    /// Records how the future ended (after it was dropped) and wakes the caller.
    fn finish(&self, result: Option<std::thread::Result<bool>>) {
        match result {
            Some(Ok(finished)) => self.finished.store(finished, Ordering::Release),
            Some(Err(payload)) => *sync::lock(&self.panic) = Some(payload),
            None => {}
        }
        crate::park::hand_over_ended();
        self.done.store(true, Ordering::Release);
        self.caller.notify();
    }
}

/// A caller whose last hosted call was handed over less than this long ago goes back to the same
/// hosting thread, if it is idle (see "Pairs" in the module docs).
pub(crate) const PAIR_WINDOW: Duration = Duration::from_millis(1);

thread_local! {
    // The hosting thread this caller's last hosted call went to (the address of its `Worker`,
    // only ever compared, never dereferenced) and when that call was handed over.
    static PARTNER: std::cell::Cell<(usize, Option<Instant>)> = const { std::cell::Cell::new((0, None)) };
}

/// A hosted future on its way to a hosting thread.
pub(crate) struct Job {
    task: Task,
    completion: Arc<Completion>,
    deadline: Option<Instant>,
    /// When the caller handed it over (an idle thread adapts its spin to the gaps between jobs).
    sent: Instant,
}

struct Worker {
    signal: Arc<Signal>,
    /// Written under the pool's lock by the caller that took this worker off the idle list.
    job: Mutex<Option<Job>>,
}

/// The hosting threads of one process (one generation, see the module docs).
pub(crate) struct Pool {
    state: Mutex<State>,
    cap: usize,
    generation: u64,
    /// [`PAIR_WINDOW`], but for tests that must not depend on timing.
    pair_window: Duration,
}

struct State {
    /// Idle threads, the most recently used last.
    idle: Vec<Arc<Worker>>,
    /// Jobs waiting for a thread: only non-empty when `threads == cap`, or while a thread starts.
    queue: VecDeque<Job>,
    /// Threads started and not exited.
    threads: usize,
}

impl State {
    /// Takes an idle thread off the list: `partner` (a `Worker`'s address) if it is idle, else
    /// the most recently used one.
    fn take_idle(&mut self, partner: Option<usize>) -> Option<Arc<Worker>> {
        let paired = partner.and_then(|p| self.idle.iter().rposition(|w| Arc::as_ptr(w) as usize == p));
        match paired {
            Some(i) => Some(self.idle.remove(i)),
            None => self.idle.pop(),
        }
    }

    /// Takes the job of `completion` out of the queue, if it is still there.
    fn remove(&mut self, completion: &Arc<Completion>) -> Option<Job> {
        let position = self.queue.iter().position(|j| Arc::ptr_eq(&j.completion, completion))?;
        self.queue.remove(position)
    }
}

impl Pool {
    pub(crate) fn new(cap: usize, generation: u64) -> Pool {
        Pool {
            state: Mutex::new(State { idle: Vec::new(), queue: VecDeque::new(), threads: 0 }),
            cap: cap.max(1),
            generation,
            pair_window: PAIR_WINDOW,
        }
    }

    /// Hands `task` to an idle thread, or to a new one (`spawn` starts a thread that runs
    /// [`worker`](Self::worker); it returns `false` if it could not), or queues it. Gives the task
    /// back only if no hosting thread exists and none could be started.
    pub(crate) fn submit(
        &'static self,
        task: Task,
        caller: Arc<Signal>,
        deadline: Option<Instant>,
        spawn: impl FnOnce(&'static Pool) -> bool,
    ) -> Result<Arc<Completion>, Task> {
        let completion = Arc::new(Completion {
            done: AtomicBool::new(false),
            cancel: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            panic: Mutex::new(None),
            caller,
            worker: Mutex::new(None),
            pool: self,
        });
        let job = Job { task, completion: completion.clone(), deadline, sent: Instant::now() };
        crate::park::hand_over_started();
        let partner = PARTNER.try_with(std::cell::Cell::get).ok().and_then(|(worker, sent)| {
            let recent = sent.is_some_and(|s| job.sent.saturating_duration_since(s) < self.pair_window);
            recent.then_some(worker)
        });
        let mut state = sync::lock(&self.state);
        if let Some(worker) = state.take_idle(partner) {
            let _ = PARTNER.try_with(|p| p.set((Arc::as_ptr(&worker) as usize, Some(job.sent))));
            *sync::lock(&worker.job) = Some(job);
            drop(state);
            crate::park::set_partner_woken(worker.signal.looks_parked());
            worker.signal.notify();
            return Ok(completion);
        }
        crate::park::set_partner_woken(true);
        state.queue.push_back(job);
        if state.threads >= self.cap {
            return Ok(completion);
        }
        // The new thread starts by taking the oldest queued job (or finds that a thread that
        // finished first took it, and goes idle).
        state.threads += 1;
        drop(state);
        if spawn(self) {
            return Ok(completion);
        }
        let mut state = sync::lock(&self.state);
        state.threads -= 1;
        if state.threads > 0 {
            return Ok(completion); // a running thread takes it when it is free
        }
        match state.remove(&completion) {
            Some(job) => {
                crate::park::hand_over_ended();
                Err(job.task)
            }
            None => Ok(completion), // cannot happen without threads; kept safe regardless
        }
    }

    /// Takes the job of `completion` out of the queue, if it is still there.
    fn dequeue(&self, completion: &Arc<Completion>) -> Option<Job> {
        sync::lock(&self.state).remove(completion)
    }

    /// The oldest queued job for `worker` to run next, or else puts `worker` on the idle list
    /// (under the one lock, so that no job is queued while the thread goes idle).
    fn next_or_idle(&self, worker: &Arc<Worker>) -> Option<Job> {
        let mut state = sync::lock(&self.state);
        let next = state.queue.pop_front();
        if next.is_none() {
            state.idle.push(worker.clone());
        }
        next
    }

    /// The body of a hosting thread: runs jobs until it has been idle for `keep_alive`.
    pub(crate) fn worker(&'static self, keep_alive: Duration) {
        let worker = Arc::new(Worker { signal: Signal::for_current_thread(), job: Mutex::new(None) });
        let waker = Waker::from(worker.signal.clone());
        let mut spin = Duration::ZERO;
        // Start with the oldest queued job, or (a thread that finished first took it) go idle.
        let mut next = self.next_or_idle(&worker);
        loop {
            let job = match next.take() {
                Some(job) => job,
                None => {
                    // On the idle list (pushed under the lock that found the queue empty). Invariant:
                    // a thread waiting here is on the idle list, or has a job in its slot.
                    let idle_since = Instant::now();
                    let Some(job) = self.wait_for_job(&worker, spin, idle_since.checked_add(keep_alive)) else {
                        return;
                    };
                    // Spin next time only if this job came soon after the last one: four times
                    // the gap, so that back-to-back calls are caught and spaced ones cost nothing.
                    let gap = job.sent.saturating_duration_since(idle_since);
                    spin = if gap <= IDLE_SPIN_MAX {
                        (gap * 4).clamp(Duration::from_micros(2), IDLE_SPIN_MAX)
                    } else {
                        Duration::ZERO
                    };
                    job
                }
            };
            let (completion, result) = run(job, &worker.signal, &waker);
            // Take the next queued job, or go back on the idle list, *before* telling the caller:
            // its next call must find this thread free, not start another one.
            next = self.next_or_idle(&worker);
            completion.finish(Some(result));
            if !crate::park::spin_pays() {
                spin = Duration::ZERO;
            }
        }
    }

    /// Waits on the idle list for a job; `None` once `until` (the end of the keep-alive) passed
    /// and the thread has taken itself off the list (it must then exit).
    fn wait_for_job(&self, worker: &Arc<Worker>, spin: Duration, until: Option<Instant>) -> Option<Job> {
        let mut spin = spin;
        loop {
            let waited = worker.signal.wait_spinning(until, spin, false);
            spin = Duration::ZERO;
            if let Some(job) = sync::lock(&worker.job).take() {
                return Some(job);
            }
            if let Err(Elapsed) = waited {
                let mut state = sync::lock(&self.state);
                if let Some(i) = state.idle.iter().position(|w| Arc::ptr_eq(w, worker)) {
                    state.idle.remove(i);
                    state.threads -= 1;
                    return None;
                }
                // A caller took this thread off the list: its job was written under the lock.
                drop(state);
                if let Some(job) = sync::lock(&worker.job).take() {
                    return Some(job);
                }
            }
            // A stale wake (a waker of an earlier job): wait on.
        }
    }

    #[cfg(test)]
    pub(crate) fn threads(&self) -> usize {
        sync::lock(&self.state).threads
    }
}

/// Drives a job's future to completion (or until cancelled, or its deadline passes) with the
/// host's handle entered; returns once the future has been dropped, with how it ended.
fn run(job: Job, signal: &Arc<Signal>, waker: &Waker) -> (Arc<Completion>, std::thread::Result<bool>) {
    let Job { task, completion, deadline, .. } = job;
    *sync::lock(&completion.worker) = Some(signal.clone());
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        // Entered before `task` is bound, so that the future is dropped (on cancellation, a
        // return below) while the host runtime is still entered: its destructor may need it.
        #[cfg(not(sync_facade_loom))]
        let _enter = crate::host::handle().ok().map(|h| h.enter());
        let mut task = task;
        let mut cx = Context::from_waker(waker);
        loop {
            if completion.cancel.load(Ordering::SeqCst) {
                return false; // `task` is dropped here, before `done` is set
            }
            let mut unconstrained = tokio::task::coop::unconstrained(task.as_mut());
            if Pin::new(&mut unconstrained).poll(&mut cx).is_ready() {
                return true;
            }
            // As `park::drive` does: the deadline is checked after every wake, so a future that
            // wakes itself at once (a `yield_now` loop) times out as it would on the caller.
            if signal.wait(deadline).is_err() || deadline.is_some_and(|d| Instant::now() >= d) {
                return false;
            }
        }
    }));
    (completion, result)
}

/// Pools of successive process generations: the current one is the last initialised slot.
#[cfg(not(sync_facade_loom))]
static POOLS: [std::sync::OnceLock<Pool>; GENERATIONS] = [const { std::sync::OnceLock::new() }; GENERATIONS];
/// How many fork generations (in one line of descent) can host calls on threads; past that,
/// hosted futures run as tasks of the host runtime.
#[cfg(not(sync_facade_loom))]
const GENERATIONS: usize = 32;
#[cfg(not(sync_facade_loom))]
static CURRENT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The pool of this process. A `fork()` child moves on to a fresh slot: the parent's pool (and any
/// lock one of its threads held at the fork) is never touched again.
#[cfg(not(sync_facade_loom))]
fn pool() -> Option<&'static Pool> {
    pool_for(crate::fork::generation())
}

/// The pool of process generation `generation`: the current slot's if it is of that generation,
/// else a fresh one in the next slot (slots only move forward).
#[cfg(not(sync_facade_loom))]
fn pool_for(generation: u64) -> Option<&'static Pool> {
    use std::sync::atomic::Ordering::{AcqRel, Acquire};
    loop {
        let i = CURRENT.load(Acquire);
        let pool = POOLS.get(i)?.get_or_init(|| Pool::new(MAX_THREADS, generation));
        if pool.generation == generation {
            return Some(pool);
        }
        let _ = CURRENT.compare_exchange(i, i + 1, AcqRel, Acquire);
    }
}

/// Hands `task` to a hosting thread (or queues it for the next free one); gives it back, wrapped
/// so that it honours `deadline`, if it must run as a task of the host runtime instead (an
/// application's runtime given with `host::use_handle`, or no thread could be started).
#[cfg(not(sync_facade_loom))]
pub(crate) fn hand_off(task: Task, caller: Arc<Signal>, deadline: Option<Instant>) -> Result<Arc<Completion>, Task> {
    // With an application's runtime as the host, its own threads run hosted futures.
    let Some((name, keep_alive)) = crate::host::hosting() else { return Err(with_deadline(task, deadline)) };
    let spawn = |pool: &'static Pool| {
        let mut builder = std::thread::Builder::new().name(name.to_owned());
        if crate::fork::generation() != 0 {
            // A forked child: fresh stacks, for the reason the host's threads get them (host.rs).
            builder = builder.stack_size(crate::host::CHILD_STACK);
        }
        builder.spawn(move || pool.worker(keep_alive)).is_ok()
    };
    let Some(pool) = pool() else { return Err(with_deadline(task, deadline)) };
    pool.submit(task, caller, deadline, spawn).map_err(|task| with_deadline(task, deadline))
}

/// A task that stops polling its future once woken after `deadline`: the caller, whose own
/// deadline has then passed too, aborts it (so a hosted task times out as a hosting thread does).
fn with_deadline(task: Task, deadline: Option<Instant>) -> Task {
    let Some(deadline) = deadline else { return task };
    let mut polled = false;
    let mut task = Some(task);
    Box::pin(std::future::poll_fn(move |cx| {
        if polled && Instant::now() >= deadline {
            task = None; // dropped here, inside the runtime; the caller's abort ends the task
        }
        polled = true;
        match task.as_mut() {
            Some(task) => task.as_mut().poll(cx),
            None => Poll::Pending,
        }
    }))
}

#[cfg(all(test, not(sync_facade_loom)))]
mod tests {
    use super::*;

    fn leak_pool(cap: usize) -> &'static Pool {
        Box::leak(Box::new(Pool::new(cap, 0)))
    }

    fn spawn(keep_alive: Duration) -> impl FnOnce(&'static Pool) -> bool {
        move |pool| std::thread::Builder::new().spawn(move || pool.worker(keep_alive)).is_ok()
    }

    /// Which hosting thread a caller's next call goes to, with `window` as the pair window, after
    /// this: two idle threads; the caller's last call went to one of them (P), and the other (Q)
    /// was used by another thread since, so Q is the most recently used.
    fn next_thread_after_another_callers_call(window: Duration) -> (std::thread::ThreadId, std::thread::ThreadId) {
        let pool: &'static Pool = Box::leak(Box::new(Pool { pair_window: window, ..Pool::new(8, 0) }));
        let caller = Signal::for_current_thread();
        let ran_on = || {
            let id = std::sync::Arc::new(std::sync::Mutex::new(None));
            let slot = id.clone();
            let task: Task = Box::pin(async move {
                *slot.lock().unwrap() = Some(std::thread::current().id());
            });
            (task, id)
        };
        // Two threads (two jobs that run at once), both idle afterwards.
        let both_running = std::sync::Arc::new(std::sync::Barrier::new(3));
        let started: Vec<_> = (0..2)
            .map(|_| {
                let both_running = both_running.clone();
                let task: Task = Box::pin(async move {
                    both_running.wait();
                });
                pool.submit(task, caller.clone(), None, spawn(DEFAULT_KEEP_ALIVE)).ok().unwrap()
            })
            .collect();
        both_running.wait();
        for c in &started {
            wait_done(c, &caller);
        }
        // Another thread holds Q (the most recently used); the caller's call goes to P.
        let (release_q, q_released) = std::sync::mpsc::channel::<()>();
        let q_task: Task = Box::pin(async move {
            let _ = q_released.recv();
        });
        let (submitted, q_taken) = std::sync::mpsc::channel();
        let other = std::thread::spawn(move || {
            let signal = Signal::for_current_thread();
            let q = pool.submit(q_task, signal.clone(), None, |_| panic!("a thread is idle")).ok().unwrap();
            submitted.send(()).unwrap();
            wait_done(&q, &signal);
        });
        q_taken.recv().unwrap();
        let (task, p) = ran_on();
        let c = pool.submit(task, caller.clone(), None, |_| panic!("a thread is idle")).ok().unwrap();
        wait_done(&c, &caller);
        // Q finishes last: on top of the idle list.
        drop(release_q);
        other.join().unwrap();
        let (task, next) = ran_on();
        let c = pool.submit(task, caller.clone(), None, |_| panic!("a thread is idle")).ok().unwrap();
        wait_done(&c, &caller);
        // Bound first: the guards must be dropped before `p` and `next` are.
        let (p, next) = (p.lock().unwrap().unwrap(), next.lock().unwrap().unwrap());
        (p, next)
    }

    #[test]
    fn a_caller_calling_again_soon_goes_back_to_its_thread() {
        let (last, next) = next_thread_after_another_callers_call(Duration::from_secs(3600));
        assert_eq!(last, next, "paired with the thread of its last call, not the most recently used one");
    }

    #[test]
    fn a_caller_calling_again_later_takes_the_most_recently_used_thread() {
        let (last, next) = next_thread_after_another_callers_call(Duration::ZERO);
        assert_ne!(last, next, "past the pair window, the most recently used thread is reused first");
    }

    #[test]
    fn past_the_cap_jobs_queue_and_all_finish() {
        let pool = leak_pool(2);
        let caller = Signal::for_current_thread();
        let gate = std::sync::Arc::new(std::sync::Barrier::new(3));
        let mut calls = Vec::new();
        for _ in 0..2 {
            let gate = gate.clone();
            let task: Task = Box::pin(async move {
                gate.wait();
            });
            calls.push(pool.submit(task, caller.clone(), None, spawn(DEFAULT_KEEP_ALIVE)).ok().unwrap());
        }
        // Both threads are busy: the third job queues, no third thread starts.
        let third = pool.submit(Box::pin(async {}), caller.clone(), None, |_| panic!("over the cap")).ok().unwrap();
        assert_eq!(pool.threads(), 2);
        gate.wait();
        for c in calls.iter().chain([&third]) {
            wait_done(c, &caller);
            assert!(c.outcome().is_ok());
        }
    }

    #[test]
    fn a_cancelled_queued_job_is_dropped_without_running() {
        let pool = leak_pool(1);
        let caller = Signal::for_current_thread();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let blocker: Task = Box::pin(async move {
            let _ = rx.recv();
        });
        let first = pool.submit(blocker, caller.clone(), None, spawn(DEFAULT_KEEP_ALIVE)).ok().unwrap();
        let queued =
            pool.submit(Box::pin(async { panic!("must not run") }), caller.clone(), None, |_| false).ok().unwrap();
        queued.cancel();
        assert!(queued.is_done());
        assert!(matches!(queued.outcome(), Err(None)));
        drop(tx);
        wait_done(&first, &caller);
    }

    #[test]
    fn idle_threads_exit_after_the_keep_alive() {
        let pool = leak_pool(8);
        let caller = Signal::for_current_thread();
        let c = pool.submit(Box::pin(async {}), caller.clone(), None, spawn(Duration::from_millis(20))).ok().unwrap();
        wait_done(&c, &caller);
        let start = Instant::now();
        while pool.threads() > 0 {
            assert!(start.elapsed() < Duration::from_secs(60), "the idle thread never exited");
            std::thread::sleep(Duration::from_millis(5));
        }
        // And a new job starts a new thread.
        let c = pool.submit(Box::pin(async {}), caller.clone(), None, spawn(Duration::from_millis(20))).ok().unwrap();
        wait_done(&c, &caller);
        assert!(c.outcome().is_ok());
    }

    #[test]
    fn a_self_waking_future_meets_its_deadline() {
        let pool = leak_pool(1);
        let caller = Signal::for_current_thread();
        let task: Task = Box::pin(async {
            loop {
                tokio::task::yield_now().await;
            }
        });
        let deadline = Some(Instant::now() + Duration::from_millis(1));
        let c = pool.submit(task, caller.clone(), deadline, spawn(DEFAULT_KEEP_ALIVE)).ok().unwrap();
        wait_done(&c, &caller);
        assert!(matches!(c.outcome(), Err(None)), "cancelled at the deadline");
    }

    #[test]
    fn a_new_process_generation_gets_a_fresh_pool_without_the_old_threads() {
        // What a fork child sees: the parent's pool, with its threads, is left behind.
        let caller = Signal::for_current_thread();
        let generation = crate::fork::generation();
        let parent = pool_for(generation).unwrap();
        let c = parent.submit(Box::pin(async {}), caller.clone(), None, spawn(DEFAULT_KEEP_ALIVE)).ok().unwrap();
        wait_done(&c, &caller);
        assert!(parent.threads() >= 1);
        let child = pool_for(generation ^ (1 << 63)).unwrap();
        assert!(!std::ptr::eq(parent, child));
        assert_eq!(child.threads(), 0);
        let c = child.submit(Box::pin(async {}), caller.clone(), None, spawn(DEFAULT_KEEP_ALIVE)).ok().unwrap();
        wait_done(&c, &caller);
        assert!(c.outcome().is_ok());
        // The real generation moves on to a slot of its own again (slots only move forward).
        assert_eq!(pool_for(generation).unwrap().generation, generation);
    }

    #[test]
    fn a_failed_spawn_with_no_thread_gives_the_task_back() {
        let pool = leak_pool(4);
        let caller = Signal::for_current_thread();
        assert!(pool.submit(Box::pin(async {}), caller, None, |_| false).is_err());
        assert_eq!(pool.threads(), 0);
    }
}

/// Without hosting threads (model checking builds the protocols alone), hosted futures are tasks.
#[cfg(sync_facade_loom)]
pub(crate) fn hand_off(task: Task, _: Arc<Signal>, deadline: Option<Instant>) -> Result<Arc<Completion>, Task> {
    Err(with_deadline(task, deadline))
}

/// Model checks of the pool's protocols with loom, exhaustive within its bounds: the hand-over
/// of a job to an idle or a new thread, the completion signal, cancellation of a queued or a
/// running job, and a thread's exit after its keep-alive racing with a new job or with its paired
/// caller's next one (under loom, a timed wait may time out at any point). Run by `.ci/run`; see
/// `sync.rs` for the command.
#[cfg(all(test, sync_facade_loom))]
mod loom_models {
    use super::*;
    use loom::sync::atomic::AtomicUsize;
    use std::sync::Mutex as StdMutex;

    type Handles = Arc<StdMutex<Vec<loom::thread::JoinHandle<()>>>>;

    fn spawner(handles: &Handles) -> impl FnOnce(&'static Pool) -> bool {
        let handles = handles.clone();
        move |pool| {
            let h = loom::thread::spawn(move || pool.worker(Duration::from_secs(1)));
            handles.lock().unwrap().push(h);
            true
        }
    }

    fn join_all(handles: &Handles) {
        loop {
            let next = handles.lock().unwrap().pop();
            match next {
                Some(h) => h.join().unwrap(),
                None => break,
            }
        }
    }

    /// A task that counts its runs in `ran`.
    fn counting(ran: &Arc<AtomicUsize>) -> Task {
        let r = ran.clone();
        Box::pin(async move {
            r.fetch_add(1, Ordering::Relaxed);
        })
    }

    /// Hands `task` over from `caller`, waits until it has ended, and checks that it finished.
    fn call_and_wait(pool: &'static Pool, caller: &Arc<Signal>, handles: &Handles, task: Task) {
        let c = pool.submit(task, caller.clone(), None, spawner(handles)).ok().unwrap();
        wait_done(&c, caller);
        assert!(c.outcome().is_ok());
    }

    /// Every interleaving (no preemption bound unless `LOOM_MAX_PREEMPTIONS` sets one): each
    /// model takes a few seconds (the one with three hand-overs sets a bound of its own).
    fn model(f: impl Fn() + Sync + Send + 'static) {
        loom::model::Builder::new().check(f);
    }

    /// A job handed to a new thread runs once, its effects are visible to the caller when it
    /// sees `done`, and the thread then exits (keep-alive) without losing anything.
    #[test]
    fn loom_hand_over_and_completion() {
        model(|| {
            let pool: &'static Pool = Box::leak(Box::new(Pool::new(1, 0)));
            let handles: Handles = Default::default();
            let caller = Signal::for_current_thread();
            let ran = Arc::new(AtomicUsize::new(0));
            call_and_wait(pool, &caller, &handles, counting(&ran));
            assert_eq!(ran.load(Ordering::Relaxed), 1);
            join_all(&handles);
        });
    }

    /// A second job, submitted while the thread may be exiting after its keep-alive: it is
    /// either taken by that thread (off the idle list) or given a new one; never lost.
    #[test]
    fn loom_new_job_races_keep_alive_exit() {
        model(|| {
            let pool: &'static Pool = Box::leak(Box::new(Pool::new(1, 0)));
            let handles: Handles = Default::default();
            let caller = Signal::for_current_thread();
            for _ in 0..2 {
                call_and_wait(pool, &caller, &handles, Box::pin(async {}));
            }
            join_all(&handles);
            assert_eq!(pool.threads(), 0);
        });
    }

    /// A caller's next job goes back to the thread of its last one (a pair) while that thread
    /// may be exiting after its keep-alive: taken off the idle list by one side only, under the
    /// lock; the job runs once either way, on the partner or on a new thread.
    #[test]
    fn loom_paired_job_races_keep_alive_exit() {
        // Three hand-overs, each racing an exit: exhaustive takes hours, so bounded at five
        // preemptions (a few seconds; every race here is between two threads at a time).
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound.get_or_insert(5);
        builder.check(|| {
            let pool: &'static Pool = Box::leak(Box::new(Pool::new(1, 0)));
            let handles: Handles = Default::default();
            let caller = Signal::for_current_thread();
            let ran = Arc::new(AtomicUsize::new(0));
            // The first job starts the thread; the second finds it idle and pairs with it; the
            // third prefers it.
            for _ in 0..3 {
                call_and_wait(pool, &caller, &handles, counting(&ran));
            }
            assert_eq!(ran.load(Ordering::Relaxed), 3);
            join_all(&handles);
            assert_eq!(pool.threads(), 0);
        });
    }

    /// Cancelling a job that never finishes, at any point: queued (dropped by the caller) or
    /// running (dropped by its thread); the caller always sees `done` and never a result.
    #[test]
    fn loom_cancel_at_any_point() {
        model(|| {
            let pool: &'static Pool = Box::leak(Box::new(Pool::new(1, 0)));
            let handles: Handles = Default::default();
            let caller = Signal::for_current_thread();
            let c =
                pool.submit(Box::pin(std::future::pending()), caller.clone(), None, spawner(&handles)).ok().unwrap();
            c.cancel();
            wait_done(&c, &caller);
            assert!(matches!(c.outcome(), Err(None)));
            join_all(&handles);
        });
    }

    /// Past the cap, a job queues and the busy thread takes it when it is free.
    #[test]
    fn loom_queue_past_the_cap() {
        model(|| {
            let pool: &'static Pool = Box::leak(Box::new(Pool::new(1, 0)));
            let handles: Handles = Default::default();
            let caller = Signal::for_current_thread();
            let a = pool.submit(Box::pin(async {}), caller.clone(), None, spawner(&handles)).ok().unwrap();
            let b = pool.submit(Box::pin(async {}), caller.clone(), None, spawner(&handles)).ok().unwrap();
            wait_done(&a, &caller);
            wait_done(&b, &caller);
            assert!(a.outcome().is_ok() && b.outcome().is_ok());
            join_all(&handles);
        });
    }

    /// Two callers at once with room for one thread: one job starts the thread, the other finds
    /// it idle or queues; both finish, whatever the interleaving.
    #[test]
    fn loom_two_callers_one_thread() {
        model(|| {
            let pool: &'static Pool = Box::leak(Box::new(Pool::new(1, 0)));
            let handles: Handles = Default::default();
            let other = {
                let handles = handles.clone();
                loom::thread::spawn(move || {
                    call_and_wait(pool, &Signal::for_current_thread(), &handles, Box::pin(async {}));
                })
            };
            call_and_wait(pool, &Signal::for_current_thread(), &handles, Box::pin(async {}));
            other.join().unwrap();
            join_all(&handles);
        });
    }

    /// The spin-then-park hand-over of `Signal`: a notify is never lost, whether it lands
    /// before the waiter spins, while it spins, or once it has parked, and what the notifier
    /// wrote before it is visible after the wait.
    #[test]
    fn loom_signal_never_loses_a_notify() {
        model(|| {
            let signal = Signal::for_current_thread();
            let data = Arc::new(AtomicUsize::new(0));
            let (s, d) = (signal.clone(), data.clone());
            let t = loom::thread::spawn(move || {
                d.store(7, Ordering::Relaxed);
                s.notify();
            });
            signal.wait_spinning(None, Duration::from_micros(1), false).ok().unwrap();
            assert_eq!(data.load(Ordering::Relaxed), 7);
            t.join().unwrap();
        });
    }
}
