//! Every strategy of the facade next to the best alternative in its context, in one run, with
//! variants interleaved round by round; prints the README's table (medians over rounds, and the
//! ratio facade / alternative of those medians):
//!
//! ```text
//! cargo bench --bench strategies            # ROUNDS=7 by default; QUICK=1 for a smoke run
//! ```
//!
//! Rows: back-to-back calls of a trivial future per strategy; hosted calls spaced by 200 µs and
//! 2 ms (latency and CPU per call: CPU is the process's, summed over its threads from
//! `/proc/self/task/*/schedstat`); the CPU the process uses in the 100 ms after its last hosted
//! call; tail latency of hosted calls with 1 and 4 callers; Direct throughput from 1, 2 and 8
//! threads; a loopback TCP round trip through Direct.
//!
//! `ONLY=direct cargo bench --bench strategies` measures only the rows whose context contains
//! the text (here: Direct back to back, Direct throughput, the TCP round trip).
//!
//! The tail rows are medians of 3 runs of 100,000 calls per caller; next to the 4-caller row the
//! machine's floor for a maximum (see `stall_floor`). `PCT=1` also prints each run's latency
//! distribution (p50 to p99.99, and how many calls took over 1 and 2 ms) to stderr, with the CPU
//! time and context switches per call of the callers and of the process's other threads (hosting
//! threads, or the shared runtime's workers), and every row's value in each round.
//!
//! `TAIL_ONLY=facade` (or `alternative`) runs only three 4-caller tail runs of that side, with
//! `PCT=1`'s lines; `benches/tail_ab.sh` runs built binaries in turns with it, to compare builds.
//!
//! `BREAKDOWN=200 cargo bench --bench strategies` instead prints, for hosted calls spaced by
//! 200 µs (any number of µs; 0 for back to back), the CPU per call of every thread of the process.

use std::future::Future;
use std::io::{Read, Write};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use sync_facade::{Call, Context, Strategy};
use tokio::runtime::{Builder, Handle};

mod common;
use common::{median, mt};

const CALL: Call = Call::new("bench");

fn quick() -> bool {
    std::env::var_os("QUICK").is_some()
}

/// `n` scaled down for a smoke run.
fn n(full: usize) -> usize {
    if quick() {
        (full / 20).max(10)
    } else {
        full
    }
}

/// The `/proc` directories of this process's live threads.
fn tasks() -> impl Iterator<Item = std::path::PathBuf> {
    std::fs::read_dir("/proc/self/task").into_iter().flatten().flatten().map(|task| task.path())
}

/// CPU time used so far by one thread, from its `/proc/.../task/<id>` (or `/proc/thread-self`)
/// directory: the first field of `schedstat`, in nanoseconds.
fn task_cpu_ns(task: &std::path::Path) -> Option<u64> {
    std::fs::read_to_string(task.join("schedstat")).ok()?.split_whitespace().next()?.parse().ok()
}

/// CPU time used so far by this process's live threads.
fn process_cpu() -> Duration {
    Duration::from_nanos(tasks().filter_map(|task| task_cpu_ns(&task)).sum())
}

/// What a set of threads has used so far: CPU time, voluntary and involuntary context switches.
#[derive(Clone, Copy, Default)]
struct Usage {
    cpu_ns: u64,
    voluntary: u64,
    involuntary: u64,
}

impl Usage {
    /// The usage of one thread, from its `/proc/.../task/<id>` (or `/proc/thread-self`) directory.
    fn of(task: &std::path::Path) -> Usage {
        let status = std::fs::read_to_string(task.join("status")).unwrap_or_default();
        let field = |key: &str| {
            status.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0)
        };
        Usage {
            cpu_ns: task_cpu_ns(task).unwrap_or(0),
            voluntary: field("voluntary_ctxt_switches:"),
            involuntary: field("nonvoluntary_ctxt_switches:"),
        }
    }

    /// The summed usage of the process's live threads.
    fn process() -> Usage {
        tasks().fold(Usage::default(), |sum, task| sum.plus(Usage::of(&task)))
    }

    fn plus(self, o: Usage) -> Usage {
        Usage {
            cpu_ns: self.cpu_ns + o.cpu_ns,
            voluntary: self.voluntary + o.voluntary,
            involuntary: self.involuntary + o.involuntary,
        }
    }

    fn minus(self, o: Usage) -> Usage {
        Usage {
            cpu_ns: self.cpu_ns.saturating_sub(o.cpu_ns),
            voluntary: self.voluntary.saturating_sub(o.voluntary),
            involuntary: self.involuntary.saturating_sub(o.involuntary),
        }
    }

    /// "CPU x µs, y voluntary + z involuntary context switches" per call.
    fn per_call(self, calls: usize) -> String {
        let calls = calls.max(1) as f64;
        format!(
            "CPU {:.2} µs, {:.2} voluntary + {:.3} involuntary context switches",
            self.cpu_ns as f64 / calls / 1e3,
            self.voluntary as f64 / calls,
            self.involuntary as f64 / calls
        )
    }
}

/// CPU time so far of each live thread of this process, by name and id.
fn thread_cpu() -> std::collections::BTreeMap<String, u64> {
    let mut out = std::collections::BTreeMap::new();
    for task in tasks() {
        let name = std::fs::read_to_string(task.join("comm")).unwrap_or_default();
        let id = task.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if let Some(ns) = task_cpu_ns(&task) {
            out.insert(format!("{}#{id}", name.trim()), ns);
        }
    }
    out
}

/// Runs `body` on a fresh thread inside a task of a current_thread runtime (the hosted context).
fn in_ct_task<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(move || {
        let rt = Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move { tokio::spawn(async move { body() }).await.unwrap() })
    })
    .join()
    .unwrap()
}

/// The best alternative for a current_thread task: spawn on a shared multi_thread runtime and
/// wait on a std channel.
fn spawn_and_wait<T: Send + 'static>(fut: impl Future<Output = T> + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    mt().spawn(async move {
        let _ = tx.send(fut.await);
    });
    rx.recv().unwrap()
}

/// One facade call of the trivial future (in whatever strategy the context picks).
fn facade_call() -> u32 {
    CALL.block_on(async { std::hint::black_box(1) }).unwrap()
}

/// One `Handle::block_on` of the trivial future.
fn handle_call(handle: &Handle) -> u32 {
    handle.block_on(async { std::hint::black_box(1) })
}

fn alt_call() -> u32 {
    spawn_and_wait(async { std::hint::black_box(1) })
}

/// One hosted call through the facade, or through the alternative.
fn hosted_or_alt(facade: bool) -> u32 {
    if facade {
        facade_call()
    } else {
        alt_call()
    }
}

fn per_call(calls: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        f();
    }
    start.elapsed().as_nanos() as f64 / calls as f64
}

// ---- back to back ----

fn direct_b2b(facade: bool) -> f64 {
    assert_eq!(Context::current().strategy(), Strategy::Direct);
    let handle = sync_facade::host::handle().unwrap();
    let calls = n(300_000);
    if facade {
        per_call(calls, || {
            std::hint::black_box(facade_call());
        })
    } else {
        per_call(calls, || {
            std::hint::black_box(handle_call(handle));
        })
    }
}

fn in_place_b2b(facade: bool) -> f64 {
    mt().block_on(async move {
        tokio::spawn(async move {
            let calls = n(200_000);
            if facade {
                assert_eq!(Context::current().strategy(), Strategy::InPlace);
                per_call(calls, || {
                    std::hint::black_box(facade_call());
                })
            } else {
                let handle = Handle::current();
                per_call(calls, || {
                    std::hint::black_box(tokio::task::block_in_place(|| handle_call(&handle)));
                })
            }
        })
        .await
        .unwrap()
    })
}

fn hosted_b2b(facade: bool) -> f64 {
    in_ct_task(move || {
        assert_eq!(Context::current().strategy(), Strategy::Hosted);
        if facade {
            per_call(n(50_000), || {
                facade_call();
            })
        } else {
            per_call(n(10_000), || {
                alt_call();
            })
        }
    })
}

// ---- spaced ----

/// Median latency and mean CPU per call of hosted calls made after a pause of `pause`.
fn hosted_spaced(facade: bool, pause: Duration, calls: usize) -> (f64, f64) {
    in_ct_task(move || hosted_spaced_inner(facade, pause, calls))
}

fn hosted_spaced_inner(facade: bool, pause: Duration, calls: usize) -> (f64, f64) {
    let mut lat = Vec::with_capacity(calls);
    // One call first, so that the hosting thread exists.
    hosted_or_alt(facade);
    // The pauses alone cost CPU too (a timer, two context switches): measured, then taken off.
    let cpu0 = process_cpu();
    for _ in 0..calls {
        std::thread::sleep(pause);
    }
    let pauses = process_cpu().saturating_sub(cpu0);
    let cpu0 = process_cpu();
    for _ in 0..calls {
        std::thread::sleep(pause); // returns at once for a zero pause (back to back)
        let t = Instant::now();
        hosted_or_alt(facade);
        lat.push(t.elapsed().as_nanos() as f64);
    }
    let cpu = process_cpu().saturating_sub(cpu0).saturating_sub(pauses);
    (median(&mut lat), cpu.as_nanos() as f64 / calls as f64)
}

/// CPU the process uses in the 100 ms after a burst of back-to-back hosted calls.
fn cpu_after_last_call(facade: bool) -> f64 {
    in_ct_task(move || {
        for _ in 0..1_000 {
            hosted_or_alt(facade);
        }
        let cpu0 = process_cpu();
        std::thread::sleep(Duration::from_millis(100));
        process_cpu().saturating_sub(cpu0).as_nanos() as f64
    })
}

// ---- tail latency ----

/// p99.9 and max latency of `calls` back-to-back hosted calls from each of `callers` current_thread
/// tasks (on their own threads) at once.
fn hosted_tail(facade: bool, callers: usize, calls: usize) -> (f64, f64) {
    let barrier = Arc::new(Barrier::new(callers));
    // The callers' own usage is read by each caller before its thread exits; the rest of the
    // process (hosting threads, or the shared runtime's workers) is measured around the run.
    let others_before = Usage::process();
    let threads: Vec<_> = (0..callers)
        .map(|_| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                in_ct_task(move || {
                    barrier.wait();
                    let mut lat = Vec::with_capacity(calls);
                    let before = Usage::of(std::path::Path::new("/proc/thread-self"));
                    for _ in 0..calls {
                        let t = Instant::now();
                        hosted_or_alt(facade);
                        lat.push(t.elapsed().as_nanos() as f64);
                    }
                    (lat, Usage::of(std::path::Path::new("/proc/thread-self")).minus(before))
                })
            })
        })
        .collect();
    let mut all = Vec::with_capacity(callers * calls);
    let mut by_callers = Usage::default();
    for t in threads {
        let (lat, usage) = t.join().unwrap();
        all.extend(lat);
        by_callers = by_callers.plus(usage);
    }
    let by_others = Usage::process().minus(others_before);
    all.sort_by(f64::total_cmp);
    let quantile = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    if std::env::var_os("PCT").is_some() || std::env::var_os("TAIL_ONLY").is_some() {
        let over = |ms: f64| all.iter().filter(|v| **v > ms * 1e6).count();
        eprintln!(
            "{} {callers} caller(s): p50 {} p90 {} p99 {} p99.9 {} p99.99 {} max {}; calls over 1 ms: {}, over 2 ms: {}",
            if facade { "sync-facade" } else { "alternative" },
            show(quantile(0.5), Unit::Ns),
            show(quantile(0.9), Unit::Ns),
            show(quantile(0.99), Unit::Ns),
            show(quantile(0.999), Unit::Ns),
            show(quantile(0.9999), Unit::Ns),
            show(*all.last().unwrap(), Unit::Ns),
            over(1.0),
            over(2.0)
        );
        eprintln!(
            "  per call: callers {}; other threads {}",
            by_callers.per_call(all.len()),
            by_others.per_call(all.len())
        );
    }
    (quantile(0.999), *all.last().unwrap())
}

/// The machine's own floor for a maximum latency while the process keeps every core busy: one
/// thread per core that only reads the clock for `span`, and the longest gap any of them saw
/// between two readings (the time it was not running: preempted by another process, the kernel
/// or the hypervisor). No hand-over design can promise a maximum below it.
fn stall_floor(span: Duration) -> f64 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let threads: Vec<_> = (0..cores)
        .map(|_| {
            std::thread::spawn(move || {
                let end = Instant::now() + span;
                let (mut last, mut longest) = (Instant::now(), Duration::ZERO);
                while last < end {
                    let now = Instant::now();
                    longest = longest.max(now - last);
                    last = now;
                }
                longest
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).max().unwrap_or_default().as_nanos() as f64
}

// ---- Direct scaling ----

/// Total calls per second from `threads` plain threads calling at once.
fn direct_throughput(facade: bool, threads: usize) -> f64 {
    let calls = n(400_000) / threads.max(1);
    let handle = sync_facade::host::handle().unwrap();
    let barrier = Arc::new(Barrier::new(threads));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let start = Instant::now();
                for _ in 0..calls {
                    std::hint::black_box(if facade { facade_call() } else { handle_call(handle) });
                }
                (start, Instant::now())
            })
        })
        .collect();
    // From the first thread's start to the last one's end.
    let spans: Vec<(Instant, Instant)> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let first = spans.iter().map(|s| s.0).min().unwrap();
    let last = spans.iter().map(|s| s.1).max().unwrap();
    (calls * threads) as f64 / (last - first).as_secs_f64()
}

// ---- IO ----

/// A loopback echo server on a plain thread (no tokio): one byte back for each byte.
fn echo_server() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            conn.set_nodelay(true).unwrap();
            std::thread::spawn(move || {
                let mut b = [0u8; 1];
                while conn.read_exact(&mut b).is_ok() && conn.write_all(&b).is_ok() {}
            });
        }
    });
    addr
}

async fn round_trip(stream: &mut tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut b = [7u8; 1];
    stream.write_all(&b).await.unwrap();
    stream.read_exact(&mut b).await.unwrap();
}

async fn connect(addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    let s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.set_nodelay(true).unwrap();
    s
}

/// Median round trip on an open connection, from a plain thread: Direct (the stream is created
/// in one call and used in the next ones), or a current_thread runtime's `block_on`.
fn tcp_round_trip(facade: bool, addr: std::net::SocketAddr) -> f64 {
    std::thread::spawn(move || {
        let trips = n(3_000);
        let mut lat = Vec::with_capacity(trips);
        if facade {
            let mut stream = CALL.block_on(connect(addr)).unwrap();
            for _ in 0..trips {
                let t = Instant::now();
                CALL.block_on(round_trip(&mut stream)).unwrap();
                lat.push(t.elapsed().as_nanos() as f64);
            }
        } else {
            let rt = Builder::new_current_thread().enable_all().build().unwrap();
            let mut stream = rt.block_on(connect(addr));
            for _ in 0..trips {
                let t = Instant::now();
                rt.block_on(round_trip(&mut stream));
                lat.push(t.elapsed().as_nanos() as f64);
            }
        }
        median(&mut lat)
    })
    .join()
    .unwrap()
}

// ---- table ----

#[derive(Clone, Copy)]
enum Unit {
    Ns,
    CallsPerSec,
}

fn show(x: f64, unit: Unit) -> String {
    match unit {
        Unit::Ns if x >= 1_000_000.0 => format!("{:.2} ms", x / 1e6),
        Unit::Ns if x >= 10_000.0 => format!("{:.1} µs", x / 1e3),
        Unit::Ns if x >= 1_000.0 => format!("{:.2} µs", x / 1e3),
        Unit::Ns => format!("{x:.0} ns"),
        Unit::CallsPerSec => format!("{:.1} M/s", x / 1e6),
    }
}

struct Row {
    context: String,
    facade: Vec<f64>,
    alt: Vec<f64>,
    alt_name: &'static str,
    unit: Unit,
}

impl Row {
    fn new(context: impl Into<String>, alt_name: &'static str, unit: Unit) -> Row {
        Row { context: context.into(), facade: vec![], alt: vec![], alt_name, unit }
    }
}

fn main() {
    if let Ok(side) = std::env::var("TAIL_ONLY") {
        // Three 4-caller tail runs of one side, for comparing builds run after run.
        let facade = match side.as_str() {
            "facade" => true,
            "alternative" => false,
            _ => panic!("TAIL_ONLY is `facade` or `alternative`, not {side:?}"),
        };
        let _ = sync_facade::host::handle().unwrap();
        let _ = mt();
        for _ in 0..3 {
            hosted_tail(facade, 4, n(100_000));
        }
        return;
    }
    if let Ok(pause) = std::env::var("BREAKDOWN") {
        // Where the CPU of spaced hosted calls goes, thread by thread.
        let pause = Duration::from_micros(pause.parse().unwrap());
        let _ = sync_facade::host::handle().unwrap();
        for facade in [true, false] {
            let calls = 500;
            let (lat, cpu) = in_ct_task(move || {
                facade_call();
                alt_call();
                let before = thread_cpu();
                let r = hosted_spaced_inner(facade, pause, calls);
                let after = thread_cpu();
                for (k, v) in &after {
                    let d = v - before.get(k).copied().unwrap_or(0);
                    if d > 0 {
                        eprintln!("  {k}: {:.1} µs/call", d as f64 / 1e3 / calls as f64);
                    }
                }
                r
            });
            eprintln!("facade={facade}: latency {lat:.0} ns, CPU {cpu:.0} ns per call");
        }
        return;
    }
    // `cargo bench` passes `--bench`; a filter argument is not supported (use `ONLY`).
    let rounds: usize =
        std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(if quick() { 2 } else { 7 });
    let addr = echo_server();
    let _ = sync_facade::host::handle().unwrap();
    let _ = mt();
    const SPAWN: &str = "spawn on a shared multi_thread runtime + std channel wait";
    let mut rows = vec![
        Row::new("Direct, plain thread, back to back", "`Handle::block_on` of a shared runtime", Unit::Ns),
        Row::new("InPlace, multi_thread task, back to back", "`block_in_place` + `Handle::block_on`", Unit::Ns),
        Row::new("Hosted, current_thread task, back to back", SPAWN, Unit::Ns),
        Row::new("Hosted, spaced by 200 µs: latency", SPAWN, Unit::Ns),
        Row::new("Hosted, spaced by 200 µs: CPU per call", SPAWN, Unit::Ns),
        Row::new("Hosted, spaced by 2 ms: latency", SPAWN, Unit::Ns),
        Row::new("Hosted, spaced by 2 ms: CPU per call", SPAWN, Unit::Ns),
        Row::new("Hosted, CPU in the 100 ms after the last call", SPAWN, Unit::Ns),
        Row::new("Direct, 1 thread: calls/s", "`Handle::block_on` of a shared runtime", Unit::CallsPerSec),
        Row::new("Direct, 2 threads: calls/s (total)", "`Handle::block_on` of a shared runtime", Unit::CallsPerSec),
        Row::new("Direct, 8 threads: calls/s (total)", "`Handle::block_on` of a shared runtime", Unit::CallsPerSec),
        Row::new(
            "Direct, TCP round trip on an open loopback connection",
            "current_thread `Runtime::block_on`",
            Unit::Ns,
        ),
    ];
    let (spaced_200, spaced_2ms) = (n(400), n(100));
    // `ONLY=direct` (any text, case-insensitive) measures only the rows whose context contains it.
    let only = std::env::var("ONLY").ok().map(|s| s.to_lowercase());
    let on = |row: &Row| only.as_ref().is_none_or(|o| row.context.to_lowercase().contains(o.as_str()));
    let selected: Vec<bool> = rows.iter().map(on).collect();
    for round in 0..rounds {
        eprintln!("round {}/{rounds}", round + 1);
        // Alternate which variant goes first.
        for first in [round % 2 == 0, round % 2 == 1] {
            let f = first;
            let s = &selected;
            if s[0] {
                rows[0].push(f, direct_b2b(f));
            }
            if s[1] {
                rows[1].push(f, in_place_b2b(f));
            }
            if s[2] {
                rows[2].push(f, hosted_b2b(f));
            }
            if s[3] || s[4] {
                let (lat, cpu) = hosted_spaced(f, Duration::from_micros(200), spaced_200);
                rows[3].push(f, lat);
                rows[4].push(f, cpu);
            }
            if s[5] || s[6] {
                let (lat, cpu) = hosted_spaced(f, Duration::from_millis(2), spaced_2ms);
                rows[5].push(f, lat);
                rows[6].push(f, cpu);
            }
            if s[7] {
                rows[7].push(f, cpu_after_last_call(f));
            }
            if s[8] {
                rows[8].push(f, direct_throughput(f, 1));
            }
            if s[9] {
                rows[9].push(f, direct_throughput(f, 2));
            }
            if s[10] {
                rows[10].push(f, direct_throughput(f, 8));
            }
            if s[11] {
                rows[11].push(f, tcp_round_trip(f, addr));
            }
        }
    }
    // Tail latency: long runs, the variants (and the machine's floor) taking turns.
    let mut tails = Vec::new();
    let tail_on = only.as_ref().is_none_or(|o| "hosted, caller(s) p99.9".contains(o.as_str()));
    let tail_rounds = if quick() { 1 } else { 3 };
    for callers in [1, 4].into_iter().filter(|_| tail_on) {
        let calls = n(100_000);
        let (mut facade, mut alt, mut floor) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..tail_rounds {
            let start = Instant::now();
            facade.push(hosted_tail(true, callers, calls));
            let span = start.elapsed();
            alt.push(hosted_tail(false, callers, calls));
            floor.push(stall_floor(span));
        }
        tails.push((callers, calls, facade, alt, floor));
    }

    println!("| context | sync-facade | best alternative | median | ratio |");
    println!("|---|---:|---|---:|---:|");
    for row in rows.iter_mut().filter(|r| !r.facade.is_empty()) {
        if std::env::var_os("PCT").is_some() {
            let each = |v: &[f64]| v.iter().map(|x| show(*x, row.unit)).collect::<Vec<_>>().join(", ");
            eprintln!("{}: sync-facade {}; alternative {}", row.context, each(&row.facade), each(&row.alt));
        }
        let (f, a) = (median(&mut row.facade), median(&mut row.alt));
        let ratio = if a > 0.0 { format!("{:.2}×", f / a) } else { "–".into() };
        println!("| {} | {} | {} | {} | {} |", row.context, show(f, row.unit), row.alt_name, show(a, row.unit), ratio);
    }
    for (callers, calls, facade, alt, mut floor) in tails {
        let med = |v: &[(f64, f64)], pick: fn(&(f64, f64)) -> f64| median(&mut v.iter().map(pick).collect::<Vec<_>>());
        let (fp, fm, ap, am) = (med(&facade, |t| t.0), med(&facade, |t| t.1), med(&alt, |t| t.0), med(&alt, |t| t.1));
        println!(
            "| Hosted, {callers} caller(s) × {calls} calls: p99.9 / max | {} / {} | {SPAWN} | {} / {} | {:.2}× / {:.2}× |",
            show(fp, Unit::Ns),
            show(fm, Unit::Ns),
            show(ap, Unit::Ns),
            show(am, Unit::Ns),
            fp / ap,
            fm / am
        );
        if callers > 1 {
            println!(
                "| floor: longest stall of a thread per core that only reads the clock, as long as the {callers}-caller run | {} (max {}) | | | |",
                show(median(&mut floor), Unit::Ns),
                show(floor.iter().copied().fold(0.0, f64::max), Unit::Ns)
            );
        }
    }
    if selected[8] && selected[9] && selected[10] {
        let scale = |r: &mut Row| median(&mut r.facade);
        let one = scale(&mut rows[8]);
        let two = scale(&mut rows[9]);
        let eight = scale(&mut rows[10]);
        println!(
            "\nDirect scaling (total calls/s vs 1 thread): 2 threads {:.2}×, 8 threads {:.2}×; medians of {rounds} rounds.",
            two / one,
            eight / one
        );
    }
}

impl Row {
    fn push(&mut self, facade: bool, value: f64) {
        if facade {
            self.facade.push(value)
        } else {
            self.alt.push(value)
        }
    }
}
