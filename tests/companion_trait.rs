//! `#[sync_facade]` on a trait: a blocking companion trait implemented for every implementor.

mod common;

use common::{Ctx, ALL};
use std::sync::Mutex;
use sync_facade::sync_facade;

/// Saves artifacts somewhere.
#[sync_facade(timeout = 30)]
pub trait ArtifactService {
    /// Saves `bytes` as `name`; returns the new version.
    async fn save(&self, name: &str, bytes: &[u8]) -> std::io::Result<u64>;

    /// The versions saved so far (a default method).
    async fn count(&self) -> usize {
        0
    }

    /// Not mirrored.
    #[sync_facade(skip)]
    async fn internal(&self) -> u8;

    /// Sync methods are left alone.
    fn label(&self) -> String;
}

/// An in-memory service.
#[derive(Default)]
struct Memory {
    saved: Mutex<Vec<(String, Vec<u8>)>>,
}

impl ArtifactService for Memory {
    async fn save(&self, name: &str, bytes: &[u8]) -> std::io::Result<u64> {
        tokio::task::yield_now().await;
        let mut saved = self.saved.lock().unwrap();
        saved.push((name.to_owned(), bytes.to_vec()));
        Ok(saved.len() as u64)
    }

    async fn count(&self) -> usize {
        self.saved.lock().unwrap().len()
    }

    async fn internal(&self) -> u8 {
        1
    }

    fn label(&self) -> String {
        "memory".into()
    }
}

/// Generic code over the companion works for every implementor.
fn save_twice<S: BlockingArtifactService>(service: &S) -> u64 {
    service.blocking_save("a", b"1").unwrap().unwrap();
    service.blocking_save("b", b"2").unwrap().unwrap()
}

#[test]
fn companion_trait_in_every_context() {
    for &ctx in ALL {
        let (version, count) = ctx.run(|| {
            let service = Memory::default();
            let version = save_twice(&service);
            (version, service.blocking_count().unwrap())
        });
        assert_eq!((version, count), (2, 2), "{ctx:?}");
    }
}

/// A `local` trait: futures need not be `Send`; the companion runs them on the caller's thread.
#[sync_facade(local, name = SyncCounter)]
#[allow(async_fn_in_trait)] // `local`: these futures are deliberately not `Send`
pub trait Counter {
    /// Adds one.
    async fn bump(&self) -> u32;
}

struct RcCounter(std::rc::Rc<std::cell::Cell<u32>>);

impl Counter for RcCounter {
    async fn bump(&self) -> u32 {
        let rc = self.0.clone();
        tokio::task::yield_now().await;
        rc.set(rc.get() + 1);
        rc.get()
    }
}

#[test]
fn local_companion_runs_non_send_futures_where_it_can() {
    let counter = RcCounter(Default::default());
    assert_eq!(counter.blocking_bump().unwrap(), 1);
    let hosted_only = Ctx::CurrentThreadTask.run(|| {
        let counter = RcCounter(Default::default());
        counter.blocking_bump().unwrap_err().kind()
    });
    assert_eq!(hosted_only, sync_facade::ErrorKind::NotSend);
}

/// A trait method written as `fn .. -> impl Future<Output = T> + Send` gets a twin like an
/// `async fn`; associated types in the output and unsized implementors (`str`) work.
#[sync_facade]
pub trait Shape {
    type Unit;
    fn area(&self) -> impl std::future::Future<Output = Result<u64, Self::Unit>> + Send;
}

/// `-> Self` in a trait that is not `Sized` itself: the method says `Self: Sized`.
#[sync_facade]
pub trait Scale {
    async fn scaled(&self, by: u64) -> Self
    where
        Self: Sized;
}

#[derive(Debug, PartialEq)]
struct Square(u64);

impl Shape for Square {
    type Unit = String;
    fn area(&self) -> impl std::future::Future<Output = Result<u64, String>> + Send {
        let side = self.0;
        async move {
            tokio::task::yield_now().await;
            Ok(side * side)
        }
    }
}

impl Scale for Square {
    async fn scaled(&self, by: u64) -> Self {
        Square(self.0 * by)
    }
}

impl Shape for str {
    type Unit = ();
    fn area(&self) -> impl std::future::Future<Output = Result<u64, ()>> + Send {
        let len = self.len() as u64;
        async move { Ok(len) }
    }
}

#[test]
fn impl_future_methods_self_and_unsized_implementors() {
    for &ctx in ALL {
        let (area, scaled, text) = ctx.run(|| {
            let square = Square(3);
            (square.blocking_area().unwrap(), square.blocking_scaled(2).unwrap(), "abcd".blocking_area().unwrap())
        });
        assert_eq!((area, scaled, text), (Ok(9), Square(6), Ok(4)), "{ctx:?}");
    }
}

/// Associated types in every position of a signature: `Self::X`, `<Self as Trait>::X`, inside
/// `Result`, `Option` and generic arguments, in parameters too, and an associated const used by
/// a default body. The associated types need no `Send` bound in the trait: a twin asks for it
/// where it is called.
#[sync_facade]
pub trait Repo {
    type Item;
    type Error;
    const PAGE: usize;

    async fn get(&self, id: u32) -> Result<Option<Self::Item>, Self::Error>;
    async fn all(&self) -> Vec<<Self as Repo>::Item>;
    async fn put(&self, item: Self::Item) -> Result<(), <Self as Repo>::Error>;
    async fn page(&self) -> usize {
        Self::PAGE
    }
}

struct Names(Mutex<Vec<String>>);

impl Repo for Names {
    type Item = String;
    type Error = std::io::Error;
    const PAGE: usize = 20;

    async fn get(&self, id: u32) -> std::io::Result<Option<String>> {
        Ok(self.0.lock().unwrap().get(id as usize).cloned())
    }
    async fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
    async fn put(&self, item: String) -> std::io::Result<()> {
        self.0.lock().unwrap().push(item);
        Ok(())
    }
}

#[test]
fn associated_types_in_signatures() {
    for &ctx in ALL {
        let (got, all, page) = ctx.run(|| {
            let repo = Names(Mutex::new(Vec::new()));
            repo.blocking_put("a".to_owned()).unwrap().unwrap();
            repo.blocking_put("b".to_owned()).unwrap().unwrap();
            (repo.blocking_get(1).unwrap().unwrap(), repo.blocking_all().unwrap(), repo.blocking_page().unwrap())
        });
        assert_eq!((got.as_deref(), all.len(), page), (Some("b"), 2, 20), "{ctx:?}");
    }
}
