//! # sync-facade
//!
//! Blocking twins for async Rust functions that work in **every** calling context: a plain
//! thread, a multi_thread or current_thread tokio runtime (`#[tokio::test]`, `#[tokio::main]`),
//! a task, a `LocalSet`, a `spawn_blocking` thread, another executor. Where `Runtime::block_on`
//! panics, `block_in_place` panics and `futures::executor::block_on` hangs, a twin picks a
//! strategy that works and returns the future's output, or an [`Error`] that says why not.
//!
//! ```
//! use sync_facade::sync_facade;
//!
//! /// Fetches a user's name.
//! #[sync_facade(timeout = 30)]
//! pub async fn user_name(id: u32) -> String {
//!     tokio::time::sleep(std::time::Duration::from_millis(1)).await;
//!     format!("user {id}")
//! }
//!
//! // Sync code calls the generated twin: `blocking_user_name(id) -> Result<String, Error>`.
//! assert_eq!(blocking_user_name(7).unwrap(), "user 7");
//!
//! // Inside a current_thread runtime too, where `Runtime::block_on` would panic.
//! let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! rt.block_on(async { assert_eq!(blocking_user_name(8).unwrap(), "user 8") });
//! ```
//!
//! # What there is
//!
//! * [`#[sync_facade]`](macro@sync_facade) on an `async fn` or an inherent `impl` adds the
//!   blocking twins (`blocking_<name>`), with options for a timeout, a name, `flatten`ed errors,
//!   non-`Send` futures (`local`) and a forced strategy. With `client = BlockingX` on an `impl`
//!   it writes a whole blocking client type; on a trait, a blocking companion trait.
//! * Twins of functions that return a `Stream`, an `AsyncRead` or an `AsyncWrite` hand sync
//!   callers a [`BlockingStream`] (an `Iterator`), a [`BlockingRead`] (`std::io::Read` and
//!   `BufRead`) or a [`BlockingWrite`] (`std::io::Write`); each item, read or write is one call.
//! * [`block_on`] and [`Call`] run any future from sync code, without the attribute:
//!   `Call::new("name").timeout(d).block_on(fut)`.
//! * [`host`] configures the background runtime that hosted calls use ([`host::configure`] with
//!   a [`host::HostConfig`]: workers, thread names, the keep-alive of idle hosting threads), or
//!   hands it your own runtime ([`host::use_handle`]).
//! * [`Context::current`] tells what the calling thread is ([`ContextKind`]) and which
//!   [`Strategy`] a call would use there.
//!
//! # Contexts and strategies, in short
//!
//! | the caller is | [`Strategy`] | what it costs per call (trivial future) |
//! |---|---|---|
//! | a plain thread, a `spawn_blocking` thread, another executor | `Direct`: polled on the caller's thread, a multi_thread runtime's handle entered | tens of ns, less than `Handle::block_on` |
//! | a multi_thread task or `block_on` root | `InPlace`: `block_in_place`, then polled on the caller's thread | what `block_in_place` + `Handle::block_on` costs |
//! | a thread driving a current_thread runtime or a `LocalSet` | `Hosted`: run on a hosting thread of the facade's host, the caller waits | about 1 µs back to back, 10 µs after a pause: less than a spawn plus a blocking wait |
//!
//! The future's timers, sockets and `tokio::spawn`s work on every strategy; borrowed futures
//! work; a timeout drops the future before the error returns; a panic in the future is re-raised
//! with its payload; a hosted future cannot use the runtime its caller is blocking (it can only
//! time out). The README has the full table, the measurements and the known limits.
#![warn(missing_docs)]

/// Adds a blocking twin next to an `async fn`, or next to every `async fn` of an inherent `impl`.
///
/// The function stays as written; its twin, `blocking_<name>`, takes the same arguments and runs
/// the future to completion from sync code in any calling context (see [`Call::block_on`]):
///
/// ```
/// use sync_facade::sync_facade;
///
/// /// Doubles a number, eventually.
/// #[sync_facade(timeout = 30)]
/// pub async fn double(x: u32) -> u32 {
///     x * 2
/// }
///
/// // Added: `pub fn blocking_double(x: u32) -> Result<u32, sync_facade::Error>`.
/// assert_eq!(blocking_double(21).unwrap(), 42);
/// ```
///
/// The twin keeps the visibility, generics, lifetimes, where-clauses, `impl Trait` and pattern
/// arguments, `unsafe`, the doc comment and `#[cfg]`/lint attributes of the original, and the
/// `#[cfg]`/`#[cfg_attr]` attributes of its parameters and generic parameters.
///
/// # Options
///
/// In any order, each at most once:
///
/// | option | effect |
/// |---|---|
/// | `timeout = 30`, `timeout = 0.5`, `timeout = "250ms"` | cancel the future and fail with a timeout after that long (seconds, or a string with a unit: `us`, `ms`, `s`, `m`, `h`) |
/// | `name = twin_name` | name the twin (default `blocking_<name>`) |
/// | `flatten` | for an `async fn` returning `Result<T, E>` with `E: From<sync_facade::Error>` (`io::Error`, `anyhow::Error`, `Box<dyn Error + Send + Sync>`, your own error): the twin returns `Result<T, E>` instead of `Result<Result<T, E>, Error>` |
/// | `flatten = convert` | the same for any `E`, a foreign error type included: `convert` is a function or closure `FnOnce(sync_facade::Error) -> E` (for an `E` with `From<std::io::Error>`: `flatten = \|e\| E::from(std::io::Error::from(e))`) |
/// | `local` | the future need not be `Send`: it runs on the calling thread (see [`Call::block_on_local`]) |
/// | `strategy = direct \| in_place \| hosted` | force a [`Strategy`] instead of choosing one per call |
///
/// # On an `impl` block
///
/// ```
/// use sync_facade::sync_facade;
///
/// pub struct Store(Vec<u32>);
///
/// #[sync_facade(timeout = "5s")]
/// impl Store {
///     pub async fn len(&self) -> usize {
///         self.0.len()
///     }
///
///     #[sync_facade(name = push_now, timeout = 1)] // overrides the block's options
///     pub async fn push(&mut self, x: u32) {
///         self.0.push(x)
///     }
///
///     #[sync_facade(skip)] // no twin
///     pub async fn clear(&mut self) {
///         self.0.clear()
///     }
/// }
///
/// let mut store = Store(vec![]);
/// store.push_now(1).unwrap();
/// assert_eq!(store.blocking_len().unwrap(), 1);
/// ```
///
/// Every `async fn` of the block gets a twin; `flatten` on the block applies to the methods that
/// return a `Result`. Trait impls (`impl Trait for Type`) are refused: a trait impl has no room
/// for extra methods.
///
/// The attribute also works on a single method or associated function of an inherent `impl`. It
/// receives the same tokens there as at module level, so for an associated function without
/// `self` it reads where the function stands from its source file (rustc 1.88 and later): its
/// twin calls `Self::name(..)` in an `impl` block, `name(..)` elsewhere, and a function in a trait
/// impl gets one error that says what to do instead. Where the file cannot be read with certainty
/// (rust-analyzer, older compilers, a function that a `macro_rules!` macro moves into an `impl`
/// from its caller), such a function expands as a free one; put the attribute on the `impl` block
/// there.
///
/// # On a trait
///
/// `#[sync_facade]` on a trait generates a blocking companion, `Blocking<Trait>: Trait`, with a
/// `blocking_<name>` twin of every `async fn` (and of every `fn .. -> impl Future<Output = T> +
/// Send`), implemented for every implementor, unsized ones (`str`, `dyn Trait`) included.
/// `Self::Assoc`, `<Self as Trait>::Assoc`, the trait's consts and `-> Self` mean in the twins
/// what they mean in the trait. The trait's `async fn`s are declared as returning `Send` futures
/// (implementors still write `async fn`); a twin adds the bounds it needs to its own where clause:
/// `Self: Sized` where it takes or returns `Self` by value, `Send` for the output's `Self`,
/// associated types and type parameters. As with async-trait, a default method whose body uses
/// `&self` gets `where Self: Sync` (`Self: Send` for `&mut self` and `self`, both for
/// `self: Arc<Self>`), so that its future is `Send`. With `#[sync_facade(local)]` (on the trait or
/// a method) none of this applies: futures need not be `Send`, and the twins run them on the
/// calling thread.
///
/// # `Send`
///
/// Without `local`, the future and its output must be `Send` (a twin may have to run the future on
/// another thread). A future that is not `Send` is a compile error that says so and names the fix;
/// for a generic `async fn`, that usually means a `Send` bound on the type parameters it holds.
pub use sync_facade_macros::sync_facade;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use sync_facade_runtime::{
    block_on, block_on_local, host, set_stall_warning, BlockingRead, BlockingStream, BlockingWrite, Call, Context,
    ContextKind, Error, ErrorKind, LocalBlockingRead, LocalBlockingStream, LocalBlockingWrite, Strategy,
    DEFAULT_READ_BUFFER,
};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
