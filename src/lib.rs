//! # sync-facade
//!
//! Blocking twins for async Rust functions that work in every calling context.
//!
//! This crate re-exports the runtime API of [`sync_facade_runtime`]: [`block_on`], [`Call`],
//! [`Context`], [`Strategy`] and [`Error`].
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
/// for extra methods. The attribute also works on a single method; there, an associated function
/// without `self` that does not mention `Self` in its signature cannot be told from a free
/// function, so put the attribute on the `impl` block for those.
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
