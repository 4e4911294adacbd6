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
