//! The runtime at the edges real programs hit (issue 9): a runtime that shuts down while its tasks
//! flush in `Drop`, thread-local destructors and `atexit` handlers, unwinding, `fork`, a dropped
//! application runtime given as the host, and an application panic hook.
//!
//! Each scenario runs in its own process: this binary re-run with `SYNC_FACADE_EDGE=<scenario>`,
//! because scenarios exit, fork, install panic hooks or replace the host. No libtest harness: a
//! scenario owns the process's main thread, whose thread-locals are destroyed (and whose `atexit`
//! handlers run) when `main` returns. A scenario appends one line per check to a report file
//! (`ok ...` or `FAIL ...`; plain file appends work in thread-local destructors, `atexit` handlers
//! and forked children); the parent requires exit status 0, no `FAIL` line and every expected
//! `ok` line. A scenario that hangs is killed after [`SCENARIO_LIMIT`] and fails.
//!
//! `cargo test --test runtime_edges [-- NAME...]` runs all scenarios (or those whose name
//! contains a NAME).

use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use sync_facade::{Call, Context, ContextKind, ErrorKind};

/// How long a scenario may take before it counts as hung (they take well under a second each).
const SCENARIO_LIMIT: Duration = Duration::from_secs(120);

/// A generous timeout for every call: a hang becomes a `FAIL` line instead of a stuck process.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

struct Scenario {
    name: &'static str,
    run: fn(),
    /// Lines the report must contain.
    expect: fn() -> Vec<String>,
}

const SCENARIOS: &[Scenario] = &[
    Scenario { name: "shutdown_drop", run: || shutdown(Shutdown::Drop), expect: flush_lines },
    Scenario { name: "shutdown_timeout", run: || shutdown(Shutdown::Timeout), expect: flush_lines },
    Scenario { name: "shutdown_background", run: || shutdown(Shutdown::Background), expect: flush_lines },
    Scenario { name: "shutdown_end_of_tokio_main", run: shutdown_end_of_tokio_main, expect: flush_lines },
    Scenario { name: "shutdown_current_thread", run: || shutdown(Shutdown::CurrentThread), expect: flush_lines },
    Scenario {
        name: "thread_local_destructor_thread",
        run: thread_local_destructor_thread,
        expect: || lines(&["ok tls thread-early ThreadExiting", "ok tls thread-late"]),
    },
    Scenario {
        name: "thread_local_destructor_main",
        run: thread_local_destructor_main,
        expect: || lines(&["ok tls main-early ThreadExiting", "ok tls main-late"]),
    },
    Scenario { name: "atexit_handler", run: atexit_handler, expect: || lines(&["ok atexit ThreadExiting"]) },
    Scenario {
        name: "unwinding_worker",
        run: unwinding_worker,
        expect: || lines(&["ok unwind kind", "ok unwind send", "ok unwind local"]),
    },
    Scenario {
        name: "unwinding_local_set",
        run: unwinding_local_set,
        expect: || lines(&["ok local set unwind kind", "ok local set unwind send", "ok local set unwind local"]),
    },
    Scenario {
        name: "fork_child",
        run: fork_child,
        expect: || {
            let mut l = lines(&["ok parent before fork", "ok fork child exit status", "ok parent after fork"]);
            l.extend(FORK_CHILD_CHECKS.iter().map(|c| format!("ok child {c}")));
            l
        },
    },
    Scenario {
        name: "use_handle_dropped",
        run: || use_handle_down(false),
        expect: || {
            lines(&[
                "ok app alive direct",
                "ok app down direct sleep",
                "ok app down direct spawn",
                "ok app down direct fs",
                "ok app down hosted",
            ])
        },
    },
    Scenario {
        name: "use_handle_shutdown_background",
        run: || use_handle_down(true),
        expect: || {
            lines(&[
                "ok app alive direct",
                "ok app down calls return",
                "ok app down direct sleep",
                "ok app down hosted",
            ])
        },
    },
    Scenario { name: "app_panic_hook_sees_one_probe_per_task", run: app_panic_hook, expect: || lines(&["ok hook"]) },
];

fn lines(l: &[&str]) -> Vec<String> {
    l.iter().map(|s| s.to_string()).collect()
}

fn main() {
    if let Ok(name) = std::env::var("SYNC_FACADE_EDGE") {
        let scenario = SCENARIOS.iter().find(|s| s.name == name).expect("a known scenario");
        (scenario.run)();
        // Return normally: thread-local destructors of the main thread and `atexit` handlers run now.
        return;
    }
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let chosen: Vec<&Scenario> = SCENARIOS
        .iter()
        .filter(|s| filters.is_empty() || filters.iter().any(|f| s.name.contains(f.as_str())))
        .collect();
    println!("\nrunning {} scenarios (each in its own process)", chosen.len());
    // Two at a time: they wait more than they compute.
    let results: Vec<(&str, Result<(), String>)> = std::thread::scope(|scope| {
        let mut results = Vec::new();
        for pair in chosen.chunks(2) {
            let handles: Vec<_> = pair.iter().map(|s| scope.spawn(move || (s.name, run_scenario(s)))).collect();
            for h in handles {
                let (name, result) = h.join().expect("scenario runner");
                println!("test {name} ... {}", if result.is_ok() { "ok" } else { "FAILED" });
                results.push((name, result));
            }
        }
        results
    });
    let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    for (name, r) in &failed {
        println!("\n---- {name} ----\n{}", r.as_ref().unwrap_err());
    }
    println!(
        "\ntest result: {}. {} passed; {} failed\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        results.len() - failed.len(),
        failed.len()
    );
    if !failed.is_empty() {
        std::process::exit(1);
    }
}

fn run_scenario(s: &Scenario) -> Result<(), String> {
    let report = std::env::temp_dir().join(format!("sync-facade-edge-{}-{}.report", std::process::id(), s.name));
    let _ = std::fs::remove_file(&report);
    let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        // Its own process group: a hung scenario is killed with everything it forked.
        .process_group(0)
        .env("SYNC_FACADE_EDGE", s.name)
        .env("SYNC_FACADE_EDGE_REPORT", &report)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Drain the pipes on threads so a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || std::io::read_to_string(&mut out).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(&mut err).unwrap_or_default());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if started.elapsed() > SCENARIO_LIMIT {
            // SAFETY: `kill` only sends a signal; the negative id names the scenario's own group.
            unsafe { libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL) };
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (out, err) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
    let lines = std::fs::read_to_string(&report).unwrap_or_default();
    let _ = std::fs::remove_file(&report);
    let context = || format!("report:\n{lines}\nstdout:\n{out}\nstderr:\n{err}");
    let Some(status) = status else { return Err(format!("hung for {SCENARIO_LIMIT:?}; {}", context())) };
    if !status.success() {
        return Err(format!("exited with {status}; {}", context()));
    }
    if lines.lines().any(|l| l.starts_with("FAIL")) {
        return Err(format!("a check failed; {}", context()));
    }
    let missing: Vec<String> =
        (s.expect)().into_iter().filter(|e| !lines.lines().any(|l| l.starts_with(e.as_str()))).collect();
    if !missing.is_empty() {
        return Err(format!("missing {missing:?}; {}", context()));
    }
    Ok(())
}

/// Appends one line to the scenario's report (a plain file append: no thread-locals involved).
fn report(line: impl AsRef<str>) {
    let path = PathBuf::from(std::env::var_os("SYNC_FACADE_EDGE_REPORT").expect("run as a scenario"));
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("report file");
    file.write_all(format!("{}\n", line.as_ref()).as_bytes()).expect("report write");
}

fn check(what: &str, ok: bool, detail: impl std::fmt::Debug) {
    if ok {
        report(format!("ok {what} ({detail:?})"));
    } else {
        report(format!("FAIL {what}: {detail:?}"));
    }
}

/// What a flush does: sleep on tokio's timer, spawn a task and await it, write and read a file.
#[sync_facade::sync_facade(timeout = 30)]
async fn flush(tag: String) -> std::io::Result<usize> {
    tokio::time::sleep(Duration::from_millis(20)).await;
    let spawned = tokio::spawn(async { 7usize }).await.map_err(std::io::Error::other)?;
    let path = std::env::temp_dir().join(format!("sync-facade-edge-flush-{}-{tag}", std::process::id()));
    tokio::fs::write(&path, b"flushed").await?;
    let back = tokio::fs::read(&path).await?;
    tokio::fs::remove_file(&path).await?;
    Ok(spawned + back.len())
}

/// Flushes through its blocking twin and reports; `Ok(14)` is the only right answer (and, with
/// `must_see_exit`, only from a context the facade sees as a thread's exit).
fn flush_and_report(what: &str, tag: String, must_see_exit: bool) {
    let kind = Context::current().kind();
    let result = blocking_flush(tag);
    let ok = matches!(result, Ok(Ok(14))) && (!must_see_exit || kind == ContextKind::ThreadExiting);
    check(&format!("{what} {kind:?}"), ok, result);
}

/// A flush that must work before the edge is tried (tokio's and the facade's state set up).
fn warm_up() {
    assert!(matches!(blocking_flush("warm-up".into()), Ok(Ok(14))));
}

// ---- 1. runtime shutdown --------------------------------------------------------------------

const GUARDS: usize = 8;
static FLUSHED: AtomicUsize = AtomicUsize::new(0);

fn flush_lines() -> Vec<String> {
    (0..GUARDS).map(|i| format!("ok flush#{i} ")).collect()
}

/// A flush-on-drop guard owned by a task: dropped when the runtime shuts down.
struct FlushOnDrop(usize);

impl Drop for FlushOnDrop {
    fn drop(&mut self) {
        flush_and_report(&format!("flush#{}", self.0), format!("guard{}", self.0), false);
        FLUSHED.fetch_add(1, Ordering::SeqCst);
    }
}

enum Shutdown {
    Drop,
    Timeout,
    Background,
    CurrentThread,
}

fn spawn_guards(handle: &tokio::runtime::Handle) -> std::sync::mpsc::Receiver<()> {
    let (started, rx) = std::sync::mpsc::channel();
    for i in 0..GUARDS {
        let started = started.clone();
        handle.spawn(async move {
            let _guard = FlushOnDrop(i);
            started.send(()).unwrap();
            std::future::pending::<()>().await
        });
    }
    rx
}

fn shutdown(how: Shutdown) {
    let rt = match how {
        Shutdown::CurrentThread => tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap(),
        _ => tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap(),
    };
    let started = spawn_guards(rt.handle());
    if let Shutdown::CurrentThread = how {
        let mut running = 0;
        rt.block_on(async {
            while running < GUARDS {
                running += started.try_iter().count();
                tokio::task::yield_now().await;
            }
        });
    } else {
        for _ in 0..GUARDS {
            started.recv().unwrap();
        }
    }
    match how {
        Shutdown::Drop | Shutdown::CurrentThread => drop(rt),
        // The flushes take milliseconds: the timeout must not be what ends them.
        Shutdown::Timeout => rt.shutdown_timeout(Duration::from_secs(600)),
        Shutdown::Background => rt.shutdown_background(),
    }
    // `shutdown_background` returns at once: the flushes finish on the runtime's threads.
    wait_for_flushes();
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn app_with_guards() {
    let started = spawn_guards(&tokio::runtime::Handle::current());
    tokio::task::spawn_blocking(move || {
        for _ in 0..GUARDS {
            started.recv().unwrap();
        }
    })
    .await
    .unwrap();
    // Returning ends `#[tokio::main]`: the runtime is dropped with the guards' tasks still pending.
}

/// Waits (up to 60 s) until every guard has flushed.
fn wait_for_flushes() {
    let waited = Instant::now();
    while FLUSHED.load(Ordering::SeqCst) < GUARDS && waited.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn shutdown_end_of_tokio_main() {
    app_with_guards();
    wait_for_flushes();
}

// ---- 2. thread-local destructors and atexit -------------------------------------------------

/// Flushes in its destructor, run when the thread's thread-locals are destroyed.
struct FlushAtThreadExit(&'static str, bool);

impl Drop for FlushAtThreadExit {
    fn drop(&mut self) {
        let (tag, must_see_exit) = (self.0, self.1);
        flush_and_report(&format!("tls {tag}"), tag.to_owned(), must_see_exit);
    }
}

thread_local! {
    // Destroyed after tokio's thread-locals (std destroys them in reverse order of first use, and
    // this one is used before any tokio call): tokio's context is gone when it flushes.
    static THREAD_EARLY: FlushAtThreadExit = const { FlushAtThreadExit("thread-early", true) };
    // Destroyed before them.
    static THREAD_LATE: FlushAtThreadExit = const { FlushAtThreadExit("thread-late", false) };
    static MAIN_EARLY: FlushAtThreadExit = const { FlushAtThreadExit("main-early", true) };
    static MAIN_LATE: FlushAtThreadExit = const { FlushAtThreadExit("main-late", false) };
}

fn thread_local_destructor_thread() {
    std::thread::spawn(|| {
        THREAD_EARLY.with(|_| ());
        warm_up();
        THREAD_LATE.with(|_| ());
    })
    .join()
    .unwrap();
}

fn thread_local_destructor_main() {
    MAIN_EARLY.with(|_| ());
    warm_up();
    MAIN_LATE.with(|_| ());
    // `main` returns next: the main thread's thread-locals are destroyed at exit.
}

extern "C" fn flush_at_exit() {
    flush_and_report("atexit", "atexit".into(), false);
}

fn atexit_handler() {
    warm_up();
    // SAFETY: `atexit` only records the function pointer; `flush_at_exit` is a plain
    // `extern "C" fn()` that cannot unwind into C (it would abort instead).
    assert_eq!(unsafe { libc::atexit(flush_at_exit) }, 0);
}

// ---- 3. unwinding ---------------------------------------------------------------------------

/// Calls twins from its `Drop` while the task that owns it unwinds a panic.
struct CallsWhileUnwinding {
    fed_by_another_task: Option<tokio::sync::oneshot::Receiver<u32>>,
}

impl Drop for CallsWhileUnwinding {
    fn drop(&mut self) {
        let kind = Context::current().kind();
        check("unwind kind", std::thread::panicking() && kind == ContextKind::MultiThreadWorker, kind);
        // Waits on another task of this (one-worker) runtime: only works if the worker's core is
        // handed off, as it is outside the unwind.
        let rx = self.fed_by_another_task.take().expect("once");
        let sent = Call::new("unwind_send").timeout(CALL_TIMEOUT).block_on(rx);
        check("unwind send", matches!(sent, Ok(Ok(5))), &sent);
        let local = Call::new("unwind_local").timeout(CALL_TIMEOUT).block_on_local(async {
            let not_send = std::rc::Rc::new(3);
            tokio::task::yield_now().await;
            *not_send
        });
        check("unwind local", matches!(local, Ok(3)), &local);
    }
}

fn unwinding_worker() {
    std::panic::set_hook(Box::new(|_| {})); // the panic is on purpose
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let task = rt.spawn(async {
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            tokio::task::yield_now().await;
            let _ = tx.send(5u32);
        });
        let _calls = CallsWhileUnwinding { fed_by_another_task: Some(rx) };
        panic!("unwinding on purpose");
    });
    let joined = rt.block_on(task);
    assert!(joined.is_err_and(|e| e.is_panic()));
}

/// In a `LocalSet` on a multi_thread runtime, the probe refuses while the task unwinds (the first
/// probe of the process, so the refusal is caught while panicking): the call is hosted, and a
/// non-`Send` future fails with `NotSend`; nothing aborts.
struct CallsWhileUnwindingInLocalSet;

impl Drop for CallsWhileUnwindingInLocalSet {
    fn drop(&mut self) {
        let kind = Context::current().kind();
        check("local set unwind kind", std::thread::panicking() && kind == ContextKind::MultiThreadLocalSet, kind);
        let sent = Call::new("local_set_send").timeout(CALL_TIMEOUT).block_on(async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            4
        });
        check("local set unwind send", matches!(sent, Ok(4)), &sent);
        let local = Call::new("local_set_local").timeout(CALL_TIMEOUT).block_on_local(async {
            let not_send = std::rc::Rc::new(3);
            *not_send
        });
        check("local set unwind local", local.as_ref().is_err_and(|e| e.kind() == ErrorKind::NotSend), &local);
    }
}

fn unwinding_local_set() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let local = tokio::task::LocalSet::new();
    let joined = local.block_on(&rt, async {
        tokio::task::spawn_local(async {
            let _calls = CallsWhileUnwindingInLocalSet;
            panic!("unwinding on purpose in a LocalSet");
        })
        .await
    });
    assert!(joined.is_err_and(|e| e.is_panic()));
}

// ---- 4. fork --------------------------------------------------------------------------------

const FORK_CHILD_CHECKS: &[&str] = &[
    "direct sleep",
    "direct sleep timeout",
    "direct flush",
    "hosted ready",
    "hosted ready timeout",
    "hosted sleep",
    "hosted sleep timeout",
    "hosted flush",
    "hosted deadline",
    "direct deadline",
    "direct sleep other thread",
];

async fn sleep_ms(ms: u64) -> u64 {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    ms
}

/// Every kind of call once: Direct from this plain thread, hosted from a current_thread runtime.
fn all_calls(prefix: &str) {
    let timed = Call::new("timed").timeout(CALL_TIMEOUT);
    let r = Call::new("direct").block_on(sleep_ms(5));
    check(&format!("{prefix} direct sleep"), matches!(r, Ok(5)), &r);
    let r = timed.block_on(sleep_ms(5));
    check(&format!("{prefix} direct sleep timeout"), matches!(r, Ok(5)), &r);
    let r = blocking_flush(format!("{prefix}-direct"));
    check(&format!("{prefix} direct flush"), matches!(r, Ok(Ok(14))), &r);
    let r = Call::new("deadline").timeout(Duration::from_millis(20)).block_on(std::future::pending::<()>());
    check(&format!("{prefix} direct deadline"), r.as_ref().is_err_and(|e| e.is_timeout()), &r);
    // A second thread calling while this one is seated: another shard of the host (started in
    // this process: in a child, not the parent's, whose threads are gone).
    let r = std::thread::spawn(|| Call::new("direct").block_on(sleep_ms(5))).join().unwrap();
    check(&format!("{prefix} direct sleep other thread"), matches!(r, Ok(5)), &r);

    let ct = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    ct.block_on(async {
        assert_eq!(Context::current().kind(), ContextKind::CurrentThreadDriver);
        let r = Call::new("hosted").block_on(async { 1 });
        check(&format!("{prefix} hosted ready"), matches!(r, Ok(1)), &r);
        let r = timed.block_on(async { 1 });
        check(&format!("{prefix} hosted ready timeout"), matches!(r, Ok(1)), &r);
        let r = Call::new("hosted").block_on(sleep_ms(5));
        check(&format!("{prefix} hosted sleep"), matches!(r, Ok(5)), &r);
        let r = timed.block_on(sleep_ms(5));
        check(&format!("{prefix} hosted sleep timeout"), matches!(r, Ok(5)), &r);
        let r = blocking_flush(format!("{prefix}-hosted"));
        check(&format!("{prefix} hosted flush"), matches!(r, Ok(Ok(14))), &r);
        let r = Call::new("deadline").timeout(Duration::from_millis(20)).block_on(std::future::pending::<()>());
        check(&format!("{prefix} hosted deadline"), r.as_ref().is_err_and(|e| e.is_timeout()), &r);
    });
}

fn fork_child() {
    // The parent has a running host and hosting threads (idle: they are parked when it forks).
    all_calls("parent");
    report("ok parent before fork");
    // SAFETY: the child only runs `all_calls` (which allocates, starts threads and a runtime:
    // glibc's fork handlers keep malloc usable, and no lock of this crate is held across the fork
    // here) and then leaves with `_exit`, never returning into the parent's callers.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        all_calls("child");
        // SAFETY: `_exit` ends the child at once, without running the parent's exit handlers.
        unsafe { libc::_exit(0) }
    }
    let mut status = 0;
    // SAFETY: `pid` is our child; `status` is a valid place for its exit status.
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    check("fork child exit status", waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, status);
    all_calls("parent-after");
    report("ok parent after fork");
}

// ---- 5. a host given with use_handle whose runtime was dropped ------------------------------

fn use_handle_down(background: bool) {
    let app = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    sync_facade::host::use_handle(app.handle().clone()).unwrap();
    let r = Call::new("alive").block_on(sleep_ms(5));
    check("app alive direct", matches!(r, Ok(5)), &r);

    fn is_shutdown<T>(r: &Result<T, sync_facade::Error>) -> bool {
        r.as_ref().is_err_and(|e| e.kind() == ErrorKind::HostShutdown)
    }
    if background {
        app.shutdown_background();
        // Calls made while the runtime shuts down return (an error or a result), never panic.
        let mut down = false;
        let started = Instant::now();
        while !down && started.elapsed() < Duration::from_secs(60) {
            let r = std::panic::catch_unwind(|| Call::new("while_down").timeout(CALL_TIMEOUT).block_on(sleep_ms(1)));
            match r {
                Ok(r) => down = is_shutdown(&r),
                Err(_) => {
                    report("FAIL app down calls return: a call panicked");
                    return;
                }
            }
        }
        check("app down calls return", down, "HostShutdown reached");
    } else {
        drop(app);
    }
    let r = std::panic::catch_unwind(|| Call::new("sleep").timeout(CALL_TIMEOUT).block_on(sleep_ms(5)));
    check("app down direct sleep", matches!(&r, Ok(r) if is_shutdown(r)), r.as_ref().map_err(|_| "panicked"));
    if !background {
        let r = std::panic::catch_unwind(|| {
            Call::new("spawn").timeout(CALL_TIMEOUT).block_on(async { tokio::spawn(async { 1 }).await.unwrap() })
        });
        check("app down direct spawn", matches!(&r, Ok(r) if is_shutdown(r)), r.as_ref().map_err(|_| "panicked"));
        let r = std::panic::catch_unwind(|| {
            Call::new("fs").timeout(CALL_TIMEOUT).block_on(async { tokio::fs::read("Cargo.toml").await.unwrap().len() })
        });
        check("app down direct fs", matches!(&r, Ok(r) if is_shutdown(r)), r.as_ref().map_err(|_| "panicked"));
    }
    let ct = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let r = ct.block_on(async { Call::new("hosted").timeout(CALL_TIMEOUT).block_on(async { 1 }) });
    check("app down hosted", is_shutdown(&r), &r);
}

// ---- 9. an application panic hook installed after the facade's ------------------------------

fn app_panic_hook() {
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    // The facade's first probe installs its silencing hook...
    rt.block_on(async { tokio::spawn(async { Call::new("first").block_on(async { 1 }).unwrap() }).await.unwrap() });
    // ...and a crash reporter installs its own afterwards, chaining to the previous one.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        SEEN.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));
    const TASKS: usize = 3;
    const CALLS: usize = 20;
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        for _ in 0..TASKS {
            tokio::task::spawn_local(async {
                for i in 0..CALLS {
                    let r = Call::new("in_local_set").block_on(async move { i });
                    assert_eq!(r.unwrap(), i);
                    tokio::task::yield_now().await;
                }
            })
            .await
            .unwrap();
        }
    });
    let seen = SEEN.load(Ordering::SeqCst);
    check("hook", seen <= TASKS, format!("{seen} probe panics seen for {TASKS} tasks x {CALLS} calls"));
}
