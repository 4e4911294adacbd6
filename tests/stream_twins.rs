//! `#[sync_facade]` on functions that return streams, readers and writers: the twins hand sync
//! callers a blocking iterator, `Read` or `Write`, in free functions, `impl` blocks, generated
//! clients and companion traits, from every calling context.

#[macro_use]
mod common;

use common::{Ctx, RcWriter};
use futures::stream::{self, BoxStream, StreamExt};
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use sync_facade::{sync_facade, ErrorKind, Strategy};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_stream::Stream;

/// `n` numbers, each after a yield and every third after a timer sleep.
#[sync_facade(timeout = 20)]
pub async fn numbers(n: u32) -> impl Stream<Item = u32> + Send {
    tokio::task::yield_now().await;
    stream::iter(0..n).then(|i| async move {
        if i % 3 == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        i
    })
}

/// A sync `fn` returning a boxed stream: its twin wraps the stream.
#[sync_facade(timeout = 20)]
pub fn letters(word: &'static str) -> BoxStream<'static, char> {
    stream::iter(word.chars()).boxed()
}

/// A reader inside an `io::Result`, flattened.
#[sync_facade(timeout = 20, flatten)]
pub async fn open(path: PathBuf) -> io::Result<impl AsyncRead + Send + Unpin> {
    tokio::fs::File::open(path).await
}

/// A writer that is not `Send` (it holds an `Rc`): its twin needs `local`.
#[sync_facade(local)]
async fn local_sink(into: std::rc::Rc<std::cell::RefCell<Vec<u8>>>) -> Pin<Box<dyn AsyncWrite>> {
    Box::pin(RcWriter(into))
}

/// A log store: an async API with a stream of lines, a reader and a writer.
#[derive(Clone, Default)]
pub struct Log {
    lines: Arc<Mutex<Vec<String>>>,
}

/// A writer appending to a shared buffer.
pub struct Appender(Arc<Mutex<Vec<u8>>>);

impl AsyncWrite for Appender {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        self.0.lock().unwrap().extend_from_slice(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[sync_facade(client = BlockingLog, timeout = 20)]
impl Log {
    pub async fn push(&self, line: &str) {
        tokio::task::yield_now().await;
        self.lines.lock().unwrap().push(line.to_owned());
    }

    /// The lines so far, as a stream that borrows the log.
    pub async fn lines(&self) -> impl Stream<Item = String> + Send + '_ {
        let snapshot = self.lines.lock().unwrap().clone();
        stream::iter(snapshot).then(|line| async move {
            tokio::task::yield_now().await;
            line
        })
    }

    /// The lines as bytes, through a reader.
    pub async fn reader(&self) -> impl AsyncRead + Send + Unpin {
        let text: String = self.lines.lock().unwrap().iter().map(|l| format!("{l}\n")).collect();
        std::io::Cursor::new(text.into_bytes())
    }

    /// A writer into `sink`.
    pub async fn writer(&self, sink: Arc<Mutex<Vec<u8>>>) -> impl AsyncWrite + Send + Unpin {
        Appender(sink)
    }

    /// A sync method returning a stream: the client's method returns its iterator.
    pub fn first(&self) -> BoxStream<'static, String> {
        let first = self.lines.lock().unwrap().first().cloned();
        stream::iter(first).boxed()
    }
}

#[sync_facade(timeout = 20)]
impl Log {
    /// A sync method returning a stream: in an annotated `impl` block it gets a twin too.
    pub fn tail(&self, n: usize) -> impl Stream<Item = String> + Send + 'static {
        let lines = self.lines.lock().unwrap().clone();
        let skip = lines.len().saturating_sub(n);
        stream::iter(lines.into_iter().skip(skip))
    }
}

#[sync_facade(timeout = 20)]
pub trait Feed {
    async fn items(&self, since: u64) -> BoxStream<'static, u64>;
    /// A sync method returning a stream: the companion's twin returns its iterator.
    fn live(&self) -> BoxStream<'_, u64>;
}

struct Counter;

impl Feed for Counter {
    async fn items(&self, since: u64) -> BoxStream<'static, u64> {
        stream::iter(since..since + 4).boxed()
    }
    fn live(&self) -> BoxStream<'_, u64> {
        stream::iter([7, 8])
            .then(|i| async move {
                tokio::task::yield_now().await;
                i
            })
            .boxed()
    }
}

fn check(ctx: Ctx) {
    let path = std::env::temp_dir().join(format!("sync-facade-twins-{}-{ctx:?}", std::process::id()));
    std::fs::write(&path, "alpha\nbeta\n").unwrap();
    let p = path.clone();
    let (nums, letters, lines, sink_ok) = ctx.run(move || {
        let nums: Vec<u32> = blocking_numbers(7).unwrap().map(Result::unwrap).collect();
        let letters: String = blocking_letters("abc").map(Result::unwrap).collect();
        let lines: Vec<String> = blocking_open(p).unwrap().lines().map(Result::unwrap).collect();
        let shared = std::rc::Rc::new(std::cell::RefCell::new(vec![]));
        let sink_ok = match blocking_local_sink(shared.clone()) {
            Ok(mut w) => w.write_all(b"local").map(|_| shared.borrow().clone()).map_err(|e| e.kind()),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::NotSend);
                Err(io::ErrorKind::Unsupported)
            }
        };
        (nums, letters, lines, sink_ok)
    });
    std::fs::remove_file(&path).unwrap();
    assert_eq!(nums, [0, 1, 2, 3, 4, 5, 6], "{ctx:?}");
    assert_eq!(letters, "abc", "{ctx:?}");
    assert_eq!(lines, ["alpha", "beta"], "{ctx:?}");
    match ctx.expected().1 {
        Strategy::Hosted => assert_eq!(sink_ok, Err(io::ErrorKind::Unsupported), "{ctx:?}"),
        _ => assert_eq!(sink_ok.as_deref(), Ok(&b"local"[..]), "{ctx:?}"),
    }

    let (client_lines, read_back, written, tail, feed) = ctx.run(|| {
        let log = BlockingLog::from(Log::default());
        log.push("one").unwrap();
        log.push("two").unwrap();
        log.push("three").unwrap();
        let client_lines: Vec<String> = log.lines().unwrap().map(Result::unwrap).collect();
        let mut read_back = String::new();
        log.reader().unwrap().read_to_string(&mut read_back).unwrap();
        let sink = Arc::new(Mutex::new(vec![]));
        let mut w = log.writer(sink.clone()).unwrap();
        w.write_all(b"written").unwrap();
        w.flush().unwrap();
        let written = sink.lock().unwrap().clone();
        let tail: Vec<String> = log.as_async().blocking_tail(2).map(Result::unwrap).collect();
        let mut feed: Vec<u64> = Counter.blocking_items(10).unwrap().map(Result::unwrap).collect();
        feed.extend(Counter.blocking_live().map(Result::unwrap));
        let first: Vec<String> = log.first().map(Result::unwrap).collect();
        assert_eq!(first, ["one"]);
        (client_lines, read_back, written, tail, feed)
    });
    assert_eq!(client_lines, ["one", "two", "three"], "{ctx:?}");
    assert_eq!(read_back, "one\ntwo\nthree\n", "{ctx:?}");
    assert_eq!(written, b"written", "{ctx:?}");
    assert_eq!(tail, ["two", "three"], "{ctx:?}");
    assert_eq!(feed, [10, 11, 12, 13, 7, 8], "{ctx:?}");
}

context_matrix!(check);

/// The twin's timeout applies to each item, not to the walk.
#[test]
fn the_timeout_is_per_item() {
    #[sync_facade(timeout = "400ms")]
    async fn slow(n: u32) -> impl Stream<Item = u32> + Send {
        stream::iter(0..n).then(|i| async move {
            tokio::time::sleep(std::time::Duration::from_millis(if i == 6 { 10_000 } else { 100 })).await;
            i
        })
    }
    for ctx in [Ctx::PlainThread, Ctx::CurrentThreadTask, Ctx::MultiThreadTask] {
        let got = ctx.run(|| blocking_slow(8).unwrap().map(|r| r.map_err(|e| e.kind())).collect::<Vec<_>>());
        // Six items of 100 ms each (600 ms in all, past the 400 ms timeout), then one that is
        // too slow.
        assert_eq!(got, [Ok(0), Ok(1), Ok(2), Ok(3), Ok(4), Ok(5), Err(ErrorKind::Timeout)], "{ctx:?}");
    }
}

/// `flatten = convert` on a function returning a reader inside a `Result` of a foreign error type.
#[test]
fn flatten_with_a_conversion() {
    #[derive(Debug)]
    struct OpenError(String);
    fn from_facade(e: sync_facade::Error) -> OpenError {
        OpenError(e.to_string())
    }
    #[sync_facade(flatten = from_facade, timeout = 20)]
    async fn open_text(text: &'static str) -> Result<impl AsyncRead + Send + Unpin, OpenError> {
        if text.is_empty() {
            return Err(OpenError("empty".into()));
        }
        Ok(text.as_bytes())
    }
    for ctx in [Ctx::PlainThread, Ctx::CurrentThreadTask, Ctx::MultiThreadTask] {
        let (text, err) = ctx.run(|| {
            let mut text = String::new();
            blocking_open_text("read through").unwrap().read_to_string(&mut text).unwrap();
            (text, blocking_open_text("").unwrap_err().0)
        });
        assert_eq!(text, "read through", "{ctx:?}");
        assert_eq!(err, "empty", "{ctx:?}");
    }
}
