//! What `#[sync_facade]`-generated code calls. Not a public API: it changes without notice.
//!
//! Generated twins only build a [`Call`] (a constant expression) and hand it, with their
//! future, to one of the functions here; all runtime logic lives in [`sync_facade_runtime`].

use core::future::Future;

pub use sync_facade_runtime::{Call, Error, Strategy};

/// A future that a blocking twin may move to another thread: the future and its output are
/// `Send`. Implemented for every such future; it exists so that a future that is not `Send` gets
/// one message that names the fix instead of a chain of generic-bound errors.
#[diagnostic::on_unimplemented(
    message = "`#[sync_facade]`: this async fn's future is not `Send`, so its blocking twin cannot run it in every calling context",
    label = "the future returned by this async fn (or its output) is not `Send`",
    note = "`{Self}` holds a value that is not `Send` (an `Rc`, a `RefCell` borrow, a `MutexGuard`, a type parameter without a `Send` bound...) across an `.await`, or its output is not `Send`",
    note = "to fix it, either add `local` to the attribute: `#[sync_facade(local)]` gives a twin that runs the future on the calling thread (it returns `ErrorKind::NotSend` where only hosting on another thread would work), or make the future `Send`"
)]
pub trait SendFuture: Future<Output = <Self as SendFuture>::Out> + Send {
    /// The future's output, known to be `Send`.
    type Out: Send;
}

#[diagnostic::do_not_recommend]
impl<F> SendFuture for F
where
    F: Future + Send,
    F::Output: Send,
{
    type Out = F::Output;
}

/// An error type a `flatten` twin can fold the call's [`Error`] into: every `E: From<Error>`. It
/// exists so that an error type without that conversion gets one message that names the fixes.
#[diagnostic::on_unimplemented(
    message = "`#[sync_facade(flatten)]`: the error type `{Self}` cannot hold a `sync_facade::Error`",
    label = "`flatten` needs `{Self}: From<sync_facade::Error>`",
    note = "`flatten` folds the blocking call's own error (a timeout, ...) into the function's error type",
    note = "to fix it, name the conversion: `#[sync_facade(flatten = convert)]` with any `fn convert(e: sync_facade::Error) -> {Self}` or closure; for an error type with `From<std::io::Error>` (sqlx's, for one): `flatten = |e| {Self}::from(std::io::Error::from(e))`",
    note = "or, only if `{Self}` is defined in your crate, implement `From<sync_facade::Error>` for it (with thiserror: a variant `#[error(transparent)] Facade(#[from] sync_facade::Error)`); or remove `flatten` to get `Result<Result<T, {Self}>, sync_facade::Error>`"
)]
pub trait FlattenError: Sized {
    /// `Self::from(error)`.
    fn from_facade(error: Error) -> Self;
}

#[diagnostic::do_not_recommend]
impl<E: From<Error>> FlattenError for E {
    fn from_facade(error: Error) -> Self {
        E::from(error)
    }
}

// The compile cost of a twin. A twin is one call, `block_on(CALL, original(args))`, and it is
// `#[inline]`; three things keep it cheap (`benches/compile_cost.sh` measures them):
// - The twin passes its future by value. Each twin then proves one bound, `F: SendFuture`;
//   pinning the future in the twin and coercing it to a `dyn` future, as the first version did,
//   added an unsizing coercion and its obligations to the type and borrow checking of every twin.
// - `#[inline]` on the twin: a twin, the future's state machine and its drop glue are compiled to
//   machine code only in a crate that calls the twin, and only if it does; a library of a
//   thousand twins pays for none of them itself.
// - Type erasure in the runtime: `Call::block_on` wraps the future in one small `async` block
//   and runs it as a `dyn` job, so the runtime itself is compiled once, not once per twin.
// Nothing is allocated.

/// Runs a `Send` future from sync code: the body of a default twin.
#[inline]
pub fn block_on<F: SendFuture>(call: Call, fut: F) -> Result<F::Output, Error> {
    call.block_on(fut)
}

/// Runs a future that need not be `Send`: the body of a `local` twin.
#[inline]
pub fn block_on_local<F: Future>(call: Call, fut: F) -> Result<F::Output, Error> {
    call.block_on_local(fut)
}

/// Runs a `Send` future returning `Result<T, E>` and folds the call's [`Error`] into `E`: the body
/// of a `flatten` twin.
#[inline]
pub fn block_on_flatten<F, T, E>(call: Call, fut: F) -> Result<T, E>
where
    F: SendFuture<Out = Result<T, E>>,
    E: FlattenError,
{
    flatten(block_on(call, fut))
}

/// Runs a future returning `Result<T, E>` that need not be `Send`, folding the call's [`Error`]
/// into `E`: the body of a `local, flatten` twin.
#[inline]
pub fn block_on_local_flatten<F, T, E>(call: Call, fut: F) -> Result<T, E>
where
    F: Future<Output = Result<T, E>>,
    E: FlattenError,
{
    flatten(block_on_local(call, fut))
}

/// Runs a `Send` future returning `Result<T, E>` and folds the call's [`Error`] into `E` with
/// `convert`: the body of a `flatten = convert` twin (for an `E` without `From<Error>`, such as a
/// foreign error type).
#[inline]
pub fn block_on_flatten_with<F, T, E, C>(call: Call, fut: F, convert: C) -> Result<T, E>
where
    F: SendFuture<Out = Result<T, E>>,
    C: FnOnce(Error) -> E,
{
    block_on(call, fut).unwrap_or_else(|e| Err(convert(e)))
}

/// [`block_on_flatten_with`] for a future that need not be `Send`: the body of a
/// `local, flatten = convert` twin.
#[inline]
pub fn block_on_local_flatten_with<F, T, E, C>(call: Call, fut: F, convert: C) -> Result<T, E>
where
    F: Future<Output = Result<T, E>>,
    C: FnOnce(Error) -> E,
{
    block_on_local(call, fut).unwrap_or_else(|e| Err(convert(e)))
}

fn flatten<T, E: FlattenError>(out: Result<Result<T, E>, Error>) -> Result<T, E> {
    match out {
        Ok(out) => out,
        Err(e) => Err(E::from_facade(e)),
    }
}

/// How a generated blocking client turns what an async constructor returns into what its blocking
/// constructor returns: `Store` into `BlockingStore`, and through `Result` and `Option` (so
/// `io::Result<Self>` and aliases of it work). `#[sync_facade(client = ...)]` implements it for
/// the async type; the impls for `Result` and `Option` are here.
#[diagnostic::on_unimplemented(
    message = "`#[sync_facade(client = ...)]`: cannot turn `{Self}` into the blocking client `{C}`",
    label = "a blocking client wraps methods that return `Self`, `Result<Self, E>` or `Option<Self>` (or aliases of them)",
    note = "this method's return type mentions `Self` in another shape; add `#[sync_facade(skip)]` to it and call it through `as_async()`"
)]
pub trait IntoClient<C> {
    /// The blocking side's type.
    type Output;
    /// Wraps the async value(s).
    fn into_client(self) -> Self::Output;
}

#[diagnostic::do_not_recommend]
impl<C, T: IntoClient<C>, E> IntoClient<C> for Result<T, E> {
    type Output = Result<T::Output, E>;
    fn into_client(self) -> Self::Output {
        self.map(T::into_client)
    }
}

#[diagnostic::do_not_recommend]
impl<C, T: IntoClient<C>> IntoClient<C> for Option<T> {
    type Output = Option<T::Output>;
    fn into_client(self) -> Self::Output {
        self.map(T::into_client)
    }
}

/// Converts what an async constructor of a client's type returned: `into_client::<BlockingStore, io::Result<Store>>(r)`.
pub fn into_client<C, R: IntoClient<C, Output = O>, O>(value: R) -> O {
    value.into_client()
}

/// Converts the successful result of a blocking call of an async constructor.
pub fn into_client_ok<C, R: IntoClient<C, Output = O>, O>(value: Result<R, Error>) -> Result<O, Error> {
    value.map(R::into_client)
}

// ---------------------------------------------------------------------------------------------
// Streams, readers and writers: twins of functions that return `impl Stream`, a boxed stream,
// `impl AsyncRead` or `impl AsyncWrite` (or one of those inside a `Result`) hand sync callers a
// blocking iterator, `Read` or `Write` ([`BlockingStream`], [`BlockingRead`], [`BlockingWrite`],
// or their `Local` variants under `local`). The attribute recognises the return type and names a
// marker (`AsStream`, ...); [`IntoBlocking`] does the conversion, and every item, read or write
// afterwards is a call with the twin's own options (its timeout applies to each).
// ---------------------------------------------------------------------------------------------

use sync_facade_runtime::{
    BlockingRead, BlockingStream, BlockingWrite, LocalBlockingRead, LocalBlockingStream, LocalBlockingWrite,
};

/// Marker: the value is a `Send` stream; it becomes a [`BlockingStream`].
pub enum AsStream {}
/// Marker: the value is a stream that need not be `Send` (`local`); a [`LocalBlockingStream`].
pub enum AsLocalStream {}
/// Marker: a `Send` `AsyncRead`; a [`BlockingRead`].
pub enum AsRead {}
/// Marker: an `AsyncRead` that need not be `Send`; a [`LocalBlockingRead`].
pub enum AsLocalRead {}
/// Marker: a `Send` `AsyncWrite`; a [`BlockingWrite`].
pub enum AsWrite {}
/// Marker: an `AsyncWrite` that need not be `Send`; a [`LocalBlockingWrite`].
pub enum AsLocalWrite {}
/// Marker: the `Ok` value of a `Result` converts with `K`; the error stays as it is.
pub struct InOk<K>(core::marker::PhantomData<K>, core::convert::Infallible);

/// How a twin turns what its function returned into the blocking side, by marker `K`.
#[diagnostic::on_unimplemented(
    message = "`#[sync_facade]`: a twin cannot turn `{Self}` into its blocking side",
    label = "the stream, reader or writer this function returns is not `Send` (or its items are not)",
    note = "a twin may have to poll it on another thread; add `local` to the attribute (`#[sync_facade(local)]`) for a blocking side that keeps it on the calling thread, or make it `Send`"
)]
pub trait IntoBlocking<K> {
    /// The blocking side.
    type Blocking;
    /// Wraps the value; every later item, read or write runs with `call`.
    fn into_blocking(self, call: Call) -> Self::Blocking;
}

impl<S: SendStream> IntoBlocking<AsStream> for S {
    type Blocking = BlockingStream<S>;
    fn into_blocking(self, call: Call) -> Self::Blocking {
        BlockingStream::new(call, self)
    }
}

impl<S: futures_core::Stream> IntoBlocking<AsLocalStream> for S {
    type Blocking = LocalBlockingStream<S>;
    fn into_blocking(self, call: Call) -> Self::Blocking {
        LocalBlockingStream::new(call, self)
    }
}

impl<R: tokio::io::AsyncRead + SendIo> IntoBlocking<AsRead> for R {
    type Blocking = BlockingRead<R>;
    fn into_blocking(self, call: Call) -> Self::Blocking {
        BlockingRead::new(call, self)
    }
}

impl<R: tokio::io::AsyncRead> IntoBlocking<AsLocalRead> for R {
    type Blocking = LocalBlockingRead<R>;
    fn into_blocking(self, call: Call) -> Self::Blocking {
        LocalBlockingRead::new(call, self)
    }
}

impl<W: tokio::io::AsyncWrite + SendIo> IntoBlocking<AsWrite> for W {
    type Blocking = BlockingWrite<W>;
    fn into_blocking(self, call: Call) -> Self::Blocking {
        BlockingWrite::new(call, self)
    }
}

impl<W: tokio::io::AsyncWrite> IntoBlocking<AsLocalWrite> for W {
    type Blocking = LocalBlockingWrite<W>;
    fn into_blocking(self, call: Call) -> Self::Blocking {
        LocalBlockingWrite::new(call, self)
    }
}

#[diagnostic::do_not_recommend]
impl<K, T: IntoBlocking<K>, E> IntoBlocking<InOk<K>> for Result<T, E> {
    type Blocking = Result<T::Blocking, E>;
    fn into_blocking(self, call: Call) -> Self::Blocking {
        self.map(|value| value.into_blocking(call))
    }
}

/// A stream a twin may poll on another thread: `Send`, with `Send` items. It exists so that a
/// stream that is not gets one message that names the fix.
#[diagnostic::on_unimplemented(
    message = "`#[sync_facade]`: the stream `{Self}` is not `Send` (or its items are not), so its blocking iterator cannot poll it in every calling context",
    label = "the stream this function returns is not `Send`",
    note = "to fix it, either add `local` to the attribute: `#[sync_facade(local)]` gives a blocking iterator that polls the stream on the calling thread (it returns `ErrorKind::NotSend` where only another thread would work), or make the stream `Send`"
)]
pub trait SendStream: futures_core::Stream<Item = <Self as SendStream>::SendItem> + Send {
    /// The stream's items, known to be `Send`.
    type SendItem: Send;
}

#[diagnostic::do_not_recommend]
impl<S> SendStream for S
where
    S: futures_core::Stream + Send,
    S::Item: Send,
{
    type SendItem = S::Item;
}

/// A reader or writer a twin may poll on another thread: `Send`. It exists so that one that is
/// not gets one message that names the fix.
#[diagnostic::on_unimplemented(
    message = "`#[sync_facade]`: `{Self}` is not `Send`, so its blocking `Read`/`Write` cannot poll it in every calling context",
    label = "the reader or writer this function returns is not `Send`",
    note = "to fix it, either add `local` to the attribute: `#[sync_facade(local)]` gives a blocking side that polls it on the calling thread (it fails with `io::ErrorKind::Unsupported` where only another thread would work), or make it `Send`"
)]
pub trait SendIo: Send {}

#[diagnostic::do_not_recommend]
impl<T: Send> SendIo for T {}

/// The twin of a sync `fn` returning a stream: wraps the stream it returned (made on the
/// caller's thread, as calling the function from sync code would).
#[inline]
pub fn wrap_stream<S: SendStream>(call: Call, stream: S) -> BlockingStream<S> {
    BlockingStream::new(call, stream)
}

/// As [`wrap_stream`], under `local`.
#[inline]
pub fn wrap_local_stream<S: futures_core::Stream>(call: Call, stream: S) -> LocalBlockingStream<S> {
    LocalBlockingStream::new(call, stream)
}

/// The twin of a sync `fn` returning an `AsyncRead`.
#[inline]
pub fn wrap_read<R: tokio::io::AsyncRead + SendIo>(call: Call, reader: R) -> BlockingRead<R> {
    BlockingRead::new(call, reader)
}

/// As [`wrap_read`], under `local`.
#[inline]
pub fn wrap_local_read<R: tokio::io::AsyncRead>(call: Call, reader: R) -> LocalBlockingRead<R> {
    LocalBlockingRead::new(call, reader)
}

/// The twin of a sync `fn` returning an `AsyncWrite`.
#[inline]
pub fn wrap_write<W: tokio::io::AsyncWrite + SendIo>(call: Call, writer: W) -> BlockingWrite<W> {
    BlockingWrite::new(call, writer)
}

/// As [`wrap_write`], under `local`.
#[inline]
pub fn wrap_local_write<W: tokio::io::AsyncWrite>(call: Call, writer: W) -> LocalBlockingWrite<W> {
    LocalBlockingWrite::new(call, writer)
}

/// The twin of an `async fn` returning a stream, reader or writer: runs the future (one call),
/// then wraps what it returned.
#[inline]
pub fn block_on_into<K, F>(call: Call, fut: F) -> Result<<F::Out as IntoBlocking<K>>::Blocking, Error>
where
    F: SendFuture,
    F::Out: IntoBlocking<K>,
{
    call.block_on(fut).map(|value| value.into_blocking(call))
}

/// As [`block_on_into`], for a future that need not be `Send` (`local`).
#[inline]
pub fn block_on_local_into<K, F>(call: Call, fut: F) -> Result<<F::Output as IntoBlocking<K>>::Blocking, Error>
where
    F: Future,
    F::Output: IntoBlocking<K>,
{
    call.block_on_local(fut).map(|value| value.into_blocking(call))
}

/// As [`block_on_into`], for an `async fn` returning `Result<T, E>` under `flatten`: the call's
/// [`Error`] folds into `E`, and the `Ok` value is wrapped.
#[inline]
pub fn block_on_flatten_into<K, F, T, E>(call: Call, fut: F) -> Result<T::Blocking, E>
where
    F: SendFuture<Out = Result<T, E>>,
    T: IntoBlocking<K>,
    E: FlattenError,
{
    block_on_flatten(call, fut).map(|value| value.into_blocking(call))
}

/// As [`block_on_flatten_into`], for a future that need not be `Send` (`local, flatten`).
#[inline]
pub fn block_on_local_flatten_into<K, F, T, E>(call: Call, fut: F) -> Result<T::Blocking, E>
where
    F: Future<Output = Result<T, E>>,
    T: IntoBlocking<K>,
    E: FlattenError,
{
    block_on_local_flatten(call, fut).map(|value| value.into_blocking(call))
}

/// As [`block_on_flatten_into`], under `flatten = convert`: the call's [`Error`] becomes `E` with
/// `convert`.
#[inline]
pub fn block_on_flatten_with_into<K, F, T, E, C>(call: Call, fut: F, convert: C) -> Result<T::Blocking, E>
where
    F: SendFuture<Out = Result<T, E>>,
    T: IntoBlocking<K>,
    C: FnOnce(Error) -> E,
{
    block_on_flatten_with(call, fut, convert).map(|value| value.into_blocking(call))
}

/// As [`block_on_flatten_with_into`], for a future that need not be `Send` (`local`).
#[inline]
pub fn block_on_local_flatten_with_into<K, F, T, E, C>(call: Call, fut: F, convert: C) -> Result<T::Blocking, E>
where
    F: Future<Output = Result<T, E>>,
    T: IntoBlocking<K>,
    C: FnOnce(Error) -> E,
{
    block_on_local_flatten_with(call, fut, convert).map(|value| value.into_blocking(call))
}
