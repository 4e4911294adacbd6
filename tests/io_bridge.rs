//! `std::io` over tokio's `AsyncRead`/`AsyncWrite`, in every calling context of the matrix: a
//! 64 MiB file written through `Write` and read back through `Read`/`BufRead` with its bytes
//! checked, a reader used from two contexts one after the other, timeouts, panics, drops that do
//! no IO, and the `Local` variants.

#[macro_use]
mod common;

use common::{Ctx, RcWriter, ALL};
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;
use sync_facade::{BlockingRead, BlockingWrite, Call, LocalBlockingRead, LocalBlockingWrite, Strategy};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

const CALL: Call = Call::new("file_io").timeout(Duration::from_secs(60));
const BIG: usize = 64 * 1024 * 1024;

/// 64 MiB of bytes that differ from one position to the next (an xorshift sequence).
fn data() -> &'static [u8] {
    static DATA: OnceLock<Vec<u8>> = OnceLock::new();
    DATA.get_or_init(|| {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut v = Vec::with_capacity(BIG);
        while v.len() < BIG {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v.extend_from_slice(&x.to_le_bytes());
        }
        v
    })
}

fn temp_path(tag: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("sync-facade-io-{}-{tag}-{n}", std::process::id()))
}

/// Writes 64 MiB through `Write` in uneven chunks, then reads it back through `BufRead` (a few
/// small reads) and `Read::read_to_end`, all in `ctx`.
fn big_file(ctx: Ctx) {
    let path = temp_path("big");
    let back = ctx.run({
        let path = path.clone();
        move || {
            let data = data();
            let file = CALL.block_on(tokio::fs::File::create(&path)).unwrap().unwrap();
            let mut writer = BlockingWrite::new(CALL, file);
            for chunk in data.chunks(1_000_003) {
                writer.write_all(chunk).unwrap();
            }
            writer.flush().unwrap();
            drop(writer);

            let file = CALL.block_on(tokio::fs::File::open(&path)).unwrap().unwrap();
            let mut reader = BlockingRead::new(CALL, file);
            let mut back = Vec::with_capacity(BIG);
            // Small reads through the buffer first...
            let mut small = [0u8; 1000];
            reader.read_exact(&mut small).unwrap();
            back.extend_from_slice(&small);
            let buffered = reader.fill_buf().unwrap().len();
            assert!(buffered > 0);
            // ...then the rest in large reads that bypass it.
            reader.read_to_end(&mut back).unwrap();
            back
        }
    });
    std::fs::remove_file(&path).unwrap();
    assert_eq!(back.len(), BIG, "{ctx:?}: length");
    assert!(back == data(), "{ctx:?}: bytes differ");
}

/// A reader opened and partly read in one context, then read to its end in another.
fn two_contexts(first: Ctx, second: Ctx) {
    let path = temp_path("two");
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    let (reader, head) = first.run({
        let path = path.clone();
        move || {
            let file = CALL.block_on(tokio::fs::File::open(&path)).unwrap().unwrap();
            let mut reader = BlockingRead::with_capacity(CALL, 4096, file);
            let mut head = vec![0u8; 100_000];
            reader.read_exact(&mut head).unwrap();
            (reader, head)
        }
    });
    let tail = second.run(move || {
        let mut reader = reader;
        let mut tail = vec![];
        reader.read_to_end(&mut tail).unwrap();
        tail
    });
    std::fs::remove_file(&path).unwrap();
    assert_eq!([head, tail].concat(), content, "{first:?} then {second:?}");
}

/// Never ready, or ready: a writer that counts what was asked of it.
#[derive(Default)]
struct Probe {
    written: Arc<AtomicUsize>,
    flushes: Arc<AtomicUsize>,
    stuck: bool,
    panics: bool,
}

impl AsyncWrite for Probe {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.panics {
            panic!("writer broke");
        }
        self.written.fetch_add(buf.len(), Ordering::SeqCst);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.flushes.fetch_add(1, Ordering::SeqCst);
        if self.stuck {
            Poll::Pending
        } else {
            Poll::Ready(Ok(()))
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// Dropping a writer does no IO and never blocks, even when a flush would never finish.
fn drop_does_no_io(ctx: Ctx) {
    let written = Arc::new(AtomicUsize::new(0));
    let flushes = Arc::new(AtomicUsize::new(0));
    let probe = Probe { written: written.clone(), flushes: flushes.clone(), stuck: true, panics: false };
    ctx.run(move || {
        let mut writer = BlockingWrite::new(CALL, probe);
        writer.write_all(b"unflushed").unwrap();
        drop(writer);
    });
    assert_eq!(written.load(Ordering::SeqCst), 9, "{ctx:?}");
    assert_eq!(flushes.load(Ordering::SeqCst), 0, "{ctx:?}: a drop does not flush");
}

/// A read that waits too long is a `TimedOut` error; the reader stays usable. A flush that never
/// finishes times out too.
fn timeouts(ctx: Ctx) {
    let (read_err, after, flush_err) = ctx.run(|| {
        let call = Call::new("slow_read").timeout(Duration::from_millis(200));
        let (client, mut server) = CALL.block_on(async { tokio::io::duplex(64) }).unwrap();
        let mut reader = BlockingRead::new(call, client);
        // Two bytes through the buffer, then a read that times out: nothing is replayed.
        CALL.block_on(async { tokio::io::AsyncWriteExt::write_all(&mut server, b"ab").await }).unwrap().unwrap();
        let mut byte = [0u8; 1];
        reader.read_exact(&mut byte).unwrap();
        assert_eq!(&byte, b"a");
        reader.read_exact(&mut byte).unwrap();
        assert_eq!(&byte, b"b");
        let read_err = reader.read(&mut byte).unwrap_err().kind();
        CALL.block_on(async { tokio::io::AsyncWriteExt::write_all(&mut server, b"late").await }).unwrap().unwrap();
        let mut late = [0u8; 4];
        reader.read_exact(&mut late).unwrap();
        let mut writer = BlockingWrite::new(call, Probe { stuck: true, ..Probe::default() });
        let flush_err = writer.flush().unwrap_err().kind();
        (read_err, late, flush_err)
    });
    assert_eq!(read_err, io::ErrorKind::TimedOut, "{ctx:?}");
    assert_eq!(&after, b"late", "{ctx:?}: the reader lost nothing to the timeout");
    assert_eq!(flush_err, io::ErrorKind::TimedOut, "{ctx:?}");
}

/// A reader that panics: the payload is re-raised; the reader then refuses further reads.
struct Broken;

impl AsyncRead for Broken {
    fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, _: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        panic!("reader broke")
    }
}

fn panics(ctx: Ctx) {
    let (read_payload, read_after, write_payload, write_after) = ctx.run(|| {
        let payload = |p: Box<dyn std::any::Any + Send>| p.downcast_ref::<&str>().map(|s| s.to_string());
        let mut reader = BlockingRead::new(CALL, Broken);
        let p = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.read(&mut [0u8; 8]))).unwrap_err();
        let read_after = reader.read(&mut [0u8; 8]).is_err();
        let mut writer = BlockingWrite::new(CALL, Probe { panics: true, ..Probe::default() });
        let q = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| writer.write(b"x"))).unwrap_err();
        let write_after = writer.write(b"x").is_err();
        (payload(p), read_after, payload(q), write_after)
    });
    assert_eq!(read_payload.as_deref(), Some("reader broke"), "{ctx:?}");
    assert!(read_after, "{ctx:?}");
    assert_eq!(write_payload.as_deref(), Some("writer broke"), "{ctx:?}");
    assert!(write_after, "{ctx:?}");
}

/// A reader and a writer that are not `Send`: they work where the call can stay on the calling
/// thread, and fail with `Unsupported` (never hang) where only hosting would work.
struct RcReader(std::rc::Rc<Vec<u8>>, usize);

impl AsyncRead for RcReader {
    fn poll_read(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let n = buf.remaining().min(self.0.len() - self.1);
        let at = self.1;
        buf.put_slice(&self.0[at..at + n]);
        self.1 += n;
        Poll::Ready(Ok(()))
    }
}

fn local(ctx: Ctx) {
    let (read, wrote) = ctx.run(|| {
        let mut reader = LocalBlockingRead::new(CALL, RcReader(std::rc::Rc::new(b"local bytes".to_vec()), 0));
        let mut s = String::new();
        let read = reader.read_to_string(&mut s).map(|_| s).map_err(|e| e.kind());
        let sink = std::rc::Rc::new(std::cell::RefCell::new(vec![]));
        let mut writer = LocalBlockingWrite::new(CALL, RcWriter(sink.clone()));
        let wrote = writer.write_all(b"abc").map(|_| sink.borrow().clone()).map_err(|e| e.kind());
        (read, wrote)
    });
    match ctx.expected().1 {
        Strategy::Hosted => {
            assert_eq!(read, Err(io::ErrorKind::Unsupported), "{ctx:?}");
            assert_eq!(wrote, Err(io::ErrorKind::Unsupported), "{ctx:?}");
        }
        _ => {
            assert_eq!(read.as_deref(), Ok("local bytes"), "{ctx:?}");
            assert_eq!(wrote.as_deref(), Ok(&b"abc"[..]), "{ctx:?}");
        }
    }
}

fn check(ctx: Ctx) {
    big_file(ctx);
    drop_does_no_io(ctx);
    timeouts(ctx);
    panics(ctx);
    local(ctx);
}

context_matrix!(check);

/// Every context hands a reader on to the next one in the matrix (and the last to the first).
#[test]
fn a_reader_used_from_two_contexts() {
    for (i, &first) in ALL.iter().enumerate() {
        two_contexts(first, ALL[(i + 1) % ALL.len()]);
    }
    // Hosted first, direct after, and the other way round.
    two_contexts(Ctx::CurrentThreadTask, Ctx::PlainThread);
    two_contexts(Ctx::PlainThread, Ctx::LocalSetMultiThread);
}
