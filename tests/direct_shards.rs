//! `Direct` calls spread over shards of the host (`HostConfig::direct_shards`): a socket, a timer
//! or a spawned task made in a `Direct` call on one thread belongs to that thread's shard, and
//! keeps working when it is used later from a thread seated at another shard, from a hosted call,
//! and after its maker has exited. Its own test binary: the host's configuration is
//! process-wide. Every call has a timeout, so a resource nothing drives fails the test instead of
//! hanging it; the cores are kept busy by spinning threads throughout.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use sync_facade::host::{self, HostConfig};
use sync_facade::{Call, Context, Strategy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::{Handle, Id};

const CALL: Call = Call::new("shard").timeout(Duration::from_secs(60));

/// One spinning thread per core until dropped.
struct BusyCores(Arc<AtomicBool>, Vec<std::thread::JoinHandle<()>>);

fn busy_cores() -> BusyCores {
    let stop = Arc::new(AtomicBool::new(false));
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let threads = (0..cores)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            })
        })
        .collect();
    BusyCores(stop, threads)
}

impl Drop for BusyCores {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        for t in self.1.drain(..) {
            let _ = t.join();
        }
    }
}

/// The runtime a `Direct` call from this thread enters.
fn direct_runtime() -> Id {
    assert_eq!(Context::current().strategy(), Strategy::Direct);
    CALL.block_on(async { Handle::current().id() }).unwrap()
}

async fn echo(mut conn: TcpStream) {
    let mut b = [0u8; 1];
    while conn.read_exact(&mut b).await.is_ok() && conn.write_all(&b).await.is_ok() {}
}

async fn round_trip(stream: &mut TcpStream, byte: u8) {
    stream.write_all(&[byte]).await.unwrap();
    let mut b = [0u8; 1];
    stream.read_exact(&mut b).await.unwrap();
    assert_eq!(b[0], byte);
}

type Made = (Id, std::net::SocketAddr, TcpStream, std::pin::Pin<Box<tokio::time::Sleep>>, tokio::task::JoinHandle<u32>);

#[test]
fn resources_of_one_shard_work_from_every_thread_and_from_hosted_calls() {
    host::configure(HostConfig::new().direct_shards(2)).unwrap();
    let _busy = busy_cores();

    // This thread is seated first: shard 0, the host itself. A task of it, for later.
    let main_id = direct_runtime();
    assert_eq!(main_id, host::handle().unwrap().id());
    // The task's handle is the call's output: it is awaited later, from another shard.
    #[allow(clippy::async_yields_async)]
    let main_task = CALL
        .block_on(async {
            tokio::spawn(async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                7u32
            })
        })
        .unwrap();

    // Thread A, seated while this one is: shard 1. It makes a listener (served by a spawned task),
    // a connection, a timer and a task, hands them over, and waits outside any call.
    let (made_tx, made_rx) = mpsc::channel::<Made>();
    let (exit_tx, exit_rx) = mpsc::channel::<()>();
    let a = std::thread::spawn(move || {
        assert_eq!(Context::current().strategy(), Strategy::Direct);
        let made = CALL
            .block_on(async {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                tokio::spawn(async move {
                    while let Ok((conn, _)) = listener.accept().await {
                        tokio::spawn(echo(conn));
                    }
                });
                let client = TcpStream::connect(addr).await.unwrap();
                let sleep = Box::pin(tokio::time::sleep(Duration::from_millis(50)));
                let task = tokio::spawn(async {
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    42u32
                });
                (Handle::current().id(), addr, client, sleep, task)
            })
            .unwrap();
        made_tx.send(made).unwrap();
        // A forced hosted call from a task of this shard, waiting on another task of it: the
        // shard's worker hands its core off instead of parking with that task queued behind it.
        let forced = CALL
            .block_on(async {
                tokio::spawn(async {
                    let (tx, rx) = tokio::sync::oneshot::channel();
                    tokio::spawn(async move { tx.send(5u32).unwrap() });
                    Call::new("forced")
                        .strategy(Strategy::Hosted)
                        .timeout(Duration::from_secs(20))
                        .block_on(async { rx.await.unwrap() })
                })
                .await
                .unwrap()
            })
            .unwrap();
        assert_eq!(forced.unwrap(), 5);
        exit_rx.recv().unwrap();
    });
    let (a_id, addr, client, sleep, task) = made_rx.recv().unwrap();
    assert_ne!(a_id, main_id, "a second thread calling at the same time is seated at another shard");

    // Thread B, while this thread and A are seated (A outside any call): shard 0 again. It uses
    // everything A made, and opens a second connection to A's listener.
    let (b_id, mut client) = std::thread::spawn(move || {
        let b_id = direct_runtime();
        let client = CALL
            .block_on(async move {
                let mut client = client;
                sleep.await;
                assert_eq!(task.await.unwrap(), 42);
                round_trip(&mut client, 1).await;
                let mut second = TcpStream::connect(addr).await.unwrap();
                second.set_nodelay(true).unwrap();
                round_trip(&mut second, 2).await;
                client
            })
            .unwrap();
        (b_id, client)
    })
    .join()
    .unwrap();
    assert_ne!(b_id, a_id, "B used A's resources from another shard");

    // A hosted call (from a current_thread runtime: polled on a hosting thread, the host entered)
    // uses A's connection and makes a timer of its own.
    let ct = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    client = ct.block_on(async move {
        assert_eq!(Context::current().strategy(), Strategy::Hosted);
        CALL.block_on(async move {
            round_trip(&mut client, 3).await;
            tokio::time::sleep(Duration::from_millis(5)).await;
            client
        })
        .unwrap()
    });

    // A exits: its seat is given up, and C, the next thread, takes it (no other runtime starts).
    // C uses A's connection and listener, whose maker is gone, and this thread's task.
    exit_tx.send(()).unwrap();
    a.join().unwrap();
    let c_id = std::thread::spawn(move || {
        let c_id = direct_runtime();
        CALL.block_on(async move {
            round_trip(&mut client, 4).await;
            let mut third = TcpStream::connect(addr).await.unwrap();
            round_trip(&mut third, 5).await;
            assert_eq!(main_task.await.unwrap(), 7);
        })
        .unwrap();
        c_id
    })
    .join()
    .unwrap();
    assert_eq!(c_id, a_id, "the seat A gave up");
    assert_eq!(direct_runtime(), main_id, "a thread keeps its seat");
}

/// Many threads at once, each seated once (and kept there): every call works, every shard takes
/// calls, and no other runtime; with one shard, every call enters the host.
#[test]
fn many_threads_at_once_use_at_most_the_configured_shards() {
    common::rerun_in_child("shards_child", "SYNC_FACADE_SHARDS_CHILD", "3", "child done: 3 runtimes");
    common::rerun_in_child("shards_child", "SYNC_FACADE_SHARDS_CHILD", "1", "child done: 1 runtimes");
}

/// Runs only in the child process of the test above, with `SYNC_FACADE_SHARDS_CHILD` shards.
#[test]
fn shards_child() {
    let Some(shards) = std::env::var("SYNC_FACADE_SHARDS_CHILD").ok().and_then(|s| s.parse::<usize>().ok()) else {
        return;
    };
    host::configure(HostConfig::new().direct_shards(shards)).unwrap();
    let _busy = busy_cores();
    let host_id = direct_runtime();
    assert_eq!(host_id, host::handle().unwrap().id());
    // 32 threads, all seated at once (a barrier keeps each alive until all have called).
    let barrier = Arc::new(std::sync::Barrier::new(32));
    let ids: Vec<Id> = (0..32)
        .map(|i| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for _ in 0..20 {
                    seen.push(
                        CALL.block_on(async move {
                            tokio::time::sleep(Duration::from_millis(i % 3)).await;
                            Handle::current().id()
                        })
                        .unwrap(),
                    );
                }
                barrier.wait();
                assert!(seen.windows(2).all(|w| w[0] == w[1]), "a thread keeps its shard");
                seen[0]
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let distinct: std::collections::HashSet<Id> = ids.iter().copied().chain([host_id]).collect();
    assert_eq!(distinct.len(), shards, "every shard takes calls, and no other runtime");
    println!("child done: {} runtimes", distinct.len());
}
