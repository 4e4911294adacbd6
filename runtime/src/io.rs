//! Async readers and writers as `std::io`: [`BlockingRead`] (`Read` + `BufRead` over
//! `tokio::io::AsyncRead`) and [`BlockingWrite`] (`Write` over `tokio::io::AsyncWrite`), and their
//! `Local` variants for values that are not `Send`.

use crate::held::Held;
use crate::{Call, Error};
use std::future::poll_fn;
use std::io::{self, BufRead, IoSlice, Read, Write};
use std::pin::Pin;
use std::task::Poll;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The buffer size of a [`BlockingRead`] unless given: large, because every refill is a call.
pub const DEFAULT_READ_BUFFER: usize = 64 * 1024;

fn panicked(what: &str) -> io::Error {
    io::Error::other(format!("a previous call on this {what} panicked; it cannot be used any more"))
}

fn facade(e: Error) -> io::Error {
    io::Error::from(e)
}

/// One `poll_read` into `out` as a future (the body of every read call).
fn read_into<'a, R: AsyncRead + ?Sized>(
    reader: &'a mut Pin<Box<R>>,
    out: &'a mut [u8],
) -> impl std::future::Future<Output = io::Result<usize>> + 'a {
    poll_fn(move |cx| {
        let mut buf = ReadBuf::new(out);
        match reader.as_mut().poll_read(cx, &mut buf) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(buf.filled().len())),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    })
}

macro_rules! blocking_read {
    (
        $(#[$doc:meta])*
        $name:ident, $run:ident, [$($bound:tt)*]
    ) => {
        $(#[$doc])*
        pub struct $name<R: AsyncRead> {
            reader: Held<R>,
            call: Call,
            buf: Box<[u8]>,
            capacity: usize,
            pos: usize,
            filled: usize,
            poisoned: bool,
        }

        impl<R: AsyncRead> $name<R> {
            /// Wraps `reader` with a buffer of [`DEFAULT_READ_BUFFER`] bytes; every read that
            /// reaches the reader is one call with `call`'s options (its timeout applies to each).
            pub fn new(call: Call, reader: R) -> Self {
                Self::with_capacity(call, DEFAULT_READ_BUFFER, reader)
            }

            /// Wraps `reader` with a buffer of `capacity` bytes (allocated on first use; reads
            /// into a caller's buffer at least that large bypass it).
            pub fn with_capacity(call: Call, capacity: usize, reader: R) -> Self {
                $name {
                    reader: Held::new(reader),
                    call,
                    buf: Box::default(),
                    capacity: capacity.max(1),
                    pos: 0,
                    filled: 0,
                    poisoned: false,
                }
            }

            /// The options each call runs with.
            pub fn call(&self) -> &Call {
                &self.call
            }

            /// The bytes read ahead and not consumed yet.
            pub fn buffer(&self) -> &[u8] {
                &self.buf[self.pos..self.filled]
            }

            /// Takes the reader back; bytes still in [`buffer`](Self::buffer) are lost.
            pub fn into_inner(mut self) -> Pin<Box<R>> {
                self.reader.take().expect("present until into_inner")
            }
        }

        impl<R> $name<R>
        where
            R: AsyncRead $($bound)*,
        {
            /// One read call into `out`.
            fn read_call(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.poisoned {
                    return Err(panicked("reader"));
                }
                let reader = self.reader.0.as_mut().expect("present until into_inner");
                self.poisoned = true;
                let read = self.call.$run(read_into(reader, out));
                self.poisoned = false;
                read.map_err(facade)?
            }
        }

        impl<R> Read for $name<R>
        where
            R: AsyncRead $($bound)*,
        {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.pos == self.filled && out.len() >= self.capacity {
                    // Nothing buffered and a large read: straight into the caller's buffer.
                    return self.read_call(out);
                }
                let n = {
                    let available = self.fill_buf()?;
                    let n = available.len().min(out.len());
                    out[..n].copy_from_slice(&available[..n]);
                    n
                };
                self.consume(n);
                Ok(n)
            }
        }

        impl<R> BufRead for $name<R>
        where
            R: AsyncRead $($bound)*,
        {
            fn fill_buf(&mut self) -> io::Result<&[u8]> {
                if self.pos == self.filled {
                    if self.buf.is_empty() {
                        self.buf = vec![0; self.capacity].into_boxed_slice();
                    }
                    let mut buf = std::mem::take(&mut self.buf);
                    let read = self.read_call(&mut buf);
                    self.buf = buf;
                    // Empty until the read succeeded: a failed read leaves nothing to replay.
                    self.pos = 0;
                    self.filled = 0;
                    self.filled = read?;
                }
                Ok(&self.buf[self.pos..self.filled])
            }

            fn consume(&mut self, amount: usize) {
                self.pos = (self.pos + amount).min(self.filled);
            }
        }

        impl<R: AsyncRead> std::fmt::Debug for $name<R> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("call", &self.call)
                    .field("buffered", &(self.filled - self.pos))
                    .field("capacity", &self.capacity)
                    .finish_non_exhaustive()
            }
        }
    };
}

macro_rules! blocking_write {
    (
        $(#[$doc:meta])*
        $name:ident, $run:ident, [$($bound:tt)*]
    ) => {
        $(#[$doc])*
        pub struct $name<W: AsyncWrite> {
            writer: Held<W>,
            call: Call,
            poisoned: bool,
        }

        impl<W: AsyncWrite> $name<W> {
            /// Wraps `writer`; every `write`, `flush` and [`shutdown`](Self::shutdown) is one call
            /// with `call`'s options (its timeout applies to each).
            pub fn new(call: Call, writer: W) -> Self {
                $name { writer: Held::new(writer), call, poisoned: false }
            }

            /// The options each call runs with.
            pub fn call(&self) -> &Call {
                &self.call
            }

            /// Takes the writer back, without flushing it.
            pub fn into_inner(mut self) -> Pin<Box<W>> {
                self.writer.take().expect("present until into_inner")
            }
        }

        impl<W> $name<W>
        where
            W: AsyncWrite $($bound)*,
        {
            /// One call of `op` on the writer.
            fn op<T: Send>(
                &mut self,
                mut op: impl FnMut(Pin<&mut W>, &mut std::task::Context<'_>) -> Poll<io::Result<T>> + Send,
            ) -> io::Result<T> {
                if self.poisoned {
                    return Err(panicked("writer"));
                }
                let writer = self.writer.0.as_mut().expect("present until into_inner");
                self.poisoned = true;
                let done = self.call.$run(poll_fn(move |cx| op(writer.as_mut(), cx)));
                self.poisoned = false;
                done.map_err(facade)?
            }

            /// Flushes, then shuts the writer down (`AsyncWrite::poll_shutdown`: a socket sends
            /// its FIN, a compressor writes its trailer, a file syncs nothing more than `flush`).
            /// One call.
            pub fn shutdown(&mut self) -> io::Result<()> {
                self.op(|w, cx| w.poll_shutdown(cx))
            }
        }

        impl<W> Write for $name<W>
        where
            W: AsyncWrite $($bound)*,
        {
            fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
                self.op(|w, cx| w.poll_write(cx, bytes))
            }

            fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
                self.op(|w, cx| w.poll_write_vectored(cx, bufs))
            }

            fn flush(&mut self) -> io::Result<()> {
                self.op(|w, cx| w.poll_flush(cx))
            }
        }

        impl<W: AsyncWrite> std::fmt::Debug for $name<W> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("call", &self.call).finish_non_exhaustive()
            }
        }
    };
}

blocking_read! {
    /// A `tokio::io::AsyncRead` read from sync code: [`Read`] and [`BufRead`], in every calling
    /// context.
    ///
    /// Every read that reaches the reader is one facade call ([`Call::block_on`]): the context is
    /// detected, the strategy chosen as for any call, the call's timeout applies to each read (a
    /// timeout is an [`io::ErrorKind::TimedOut`] error; the reader stays usable, as a cancelled
    /// `poll_read` consumes nothing) and a panic is re-raised on the caller's thread (the reader
    /// then refuses further reads). Reads are buffered ([`DEFAULT_READ_BUFFER`] bytes, or
    /// [`with_capacity`](Self::with_capacity)); a read into a buffer at least that large goes
    /// straight to the reader. The reader can be used from one context, then another.
    ///
    /// Dropping it never blocks: the reader is dropped on the dropping thread with the runtime it
    /// is polled in entered (the caller's multi_thread runtime, or the facade host's).
    ///
    /// ```
    /// use std::io::{BufRead, Read};
    /// use sync_facade_runtime::{BlockingRead, Call};
    ///
    /// let path = std::env::temp_dir().join(format!("sync-facade-read-doc-{}", std::process::id()));
    /// std::fs::write(&path, "first line\nsecond line\n").unwrap();
    ///
    /// let call = Call::new("read");
    /// let file = call.block_on(tokio::fs::File::open(&path)).unwrap().unwrap();
    /// let mut reader = BlockingRead::new(call, file);
    /// let mut line = String::new();
    /// reader.read_line(&mut line).unwrap();
    /// assert_eq!(line, "first line\n");
    ///
    /// // Later, from inside a current_thread runtime (reads are hosted there).
    /// let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// let rest = rt.block_on(async {
    ///     let mut rest = String::new();
    ///     reader.read_to_string(&mut rest).unwrap();
    ///     rest
    /// });
    /// assert_eq!(rest, "second line\n");
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    BlockingRead, block_on, [+ Send]
}

blocking_read! {
    /// A `tokio::io::AsyncRead` that need not be `Send`, read from sync code: like
    /// [`BlockingRead`], but every read is a [`Call::block_on_local`] call and never leaves the
    /// caller's thread. Where only hosting would work, a read fails with
    /// [`io::ErrorKind::Unsupported`] (the facade's [`ErrorKind::NotSend`](crate::ErrorKind::NotSend)
    /// inside).
    LocalBlockingRead, block_on_local, []
}

blocking_write! {
    /// A `tokio::io::AsyncWrite` written from sync code: [`Write`], in every calling context.
    ///
    /// Every `write`, `write_vectored`, `flush` and [`shutdown`](Self::shutdown) is one facade call
    /// ([`Call::block_on`]), with the same rules as [`BlockingRead`]: context detection, a
    /// timeout per call ([`io::ErrorKind::TimedOut`]), panics re-raised. There is no buffer of its
    /// own: wrap it in a [`std::io::BufWriter`] for many small writes.
    ///
    /// **Dropping it does no IO, in any context: it neither flushes nor shuts the writer down,**
    /// and never blocks. Bytes the `AsyncWrite` holds in a buffer of its own are left to its own
    /// `Drop`: `tokio::io::BufWriter` discards them; `tokio::fs::File` finishes a write it has
    /// already handed to its blocking thread but reports no error. Call `flush()` (or
    /// [`shutdown`](Self::shutdown)) before dropping to know the bytes arrived. The writer is
    /// dropped on the dropping thread with the runtime it is polled in entered.
    ///
    /// ```
    /// use std::io::Write;
    /// use sync_facade_runtime::{BlockingWrite, Call};
    ///
    /// let path = std::env::temp_dir().join(format!("sync-facade-write-doc-{}", std::process::id()));
    /// let call = Call::new("write");
    /// let file = call.block_on(tokio::fs::File::create(&path)).unwrap().unwrap();
    /// let mut writer = BlockingWrite::new(call, file);
    /// writeln!(writer, "hello from sync code").unwrap();
    /// writer.flush().unwrap(); // before the drop, which does no IO
    /// drop(writer);
    /// assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello from sync code\n");
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    BlockingWrite, block_on, [+ Send]
}

blocking_write! {
    /// A `tokio::io::AsyncWrite` that need not be `Send`, written from sync code: like
    /// [`BlockingWrite`] (a drop does no IO either), but every call is a
    /// [`Call::block_on_local`] call and never leaves the caller's thread. Where only hosting
    /// would work, it fails with [`io::ErrorKind::Unsupported`].
    LocalBlockingWrite, block_on_local, []
}
