//! A blocking client generated from a `tokio::fs`-backed async store, used from every calling
//! context, created in one context and used or dropped in another.

mod common;

use common::{Ctx, ALL};
use std::io;
use std::path::{Path, PathBuf};
use sync_facade::sync_facade;

/// An async key-value store on the file system.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// An alias constructors may return.
pub type StoreResult<T> = io::Result<T>;

#[sync_facade(client = BlockingStore, timeout = 30)]
impl Store {
    /// Opens (creating) a store at `root`.
    pub async fn open(root: impl AsRef<Path> + Send) -> io::Result<Self> {
        tokio::fs::create_dir_all(root.as_ref()).await?;
        Ok(Store { root: root.as_ref().to_owned() })
    }

    /// A store at `root` if it exists.
    pub async fn existing(root: &Path) -> Option<Self> {
        tokio::fs::metadata(root).await.ok().map(|_| Store { root: root.to_owned() })
    }

    /// Opens through an alias of `io::Result<Self>`.
    pub async fn reopen(&self) -> StoreResult<Self> {
        Store::open(&self.root).await
    }

    /// Saves `bytes` under `name`; returns the size.
    pub async fn save(&self, name: &str, bytes: &[u8]) -> io::Result<u64> {
        tokio::fs::write(self.root.join(name), bytes).await?;
        Ok(bytes.len() as u64)
    }

    /// Loads `name`.
    #[sync_facade(flatten)]
    pub async fn load(&self, name: &str) -> io::Result<Vec<u8>> {
        tokio::fs::read(self.root.join(name)).await
    }

    /// Renames the store's root; takes the store by value.
    pub async fn into_root(self) -> PathBuf {
        self.root
    }

    /// Counts the entries (needs `&mut self` only to show that it works).
    pub async fn count(&mut self) -> io::Result<usize> {
        let mut entries = tokio::fs::read_dir(&self.root).await?;
        let mut n = 0;
        while entries.next_entry().await?.is_some() {
            n += 1;
        }
        Ok(n)
    }

    /// The store's root (sync: forwarded as it is).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A sync constructor.
    pub fn at(root: PathBuf) -> Self {
        Store { root }
    }

    /// Not mirrored.
    #[sync_facade(skip)]
    pub async fn internal(&self) -> u8 {
        7
    }
}

fn temp_root(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("sync-facade-client-{}-{tag}", std::process::id()))
}

fn exercise(tag: String) -> (u64, Vec<u8>, usize, PathBuf) {
    let root = temp_root(&tag);
    let store: BlockingStore = BlockingStore::open(&root).unwrap().unwrap();
    let size = store.save("a.txt", b"hello").unwrap().unwrap();
    let loaded = store.load("a.txt").unwrap();
    let again: BlockingStore = store.reopen().unwrap().unwrap();
    let mut again = again;
    let count = again.count().unwrap().unwrap();
    assert_eq!(store.root(), root.as_path());
    assert!(BlockingStore::existing(&root).unwrap().is_some());
    assert!(BlockingStore::existing(&root.join("missing")).unwrap().is_none());
    let back = store.into_root().unwrap();
    std::fs::remove_dir_all(&root).unwrap();
    (size, loaded, count, back)
}

#[test]
fn the_client_works_in_every_context() {
    for (i, &ctx) in ALL.iter().enumerate() {
        let tag = format!("ctx{i}");
        let (size, loaded, count, back) = ctx.run(move || exercise(tag));
        assert_eq!(size, 5, "{ctx:?}");
        assert_eq!(loaded, b"hello", "{ctx:?}");
        assert_eq!(count, 1, "{ctx:?}");
        assert_eq!(back, temp_root(&format!("ctx{i}")), "{ctx:?}");
    }
}

#[test]
fn conversions_debug_and_clone() {
    let store = Store::at(PathBuf::from("/nowhere"));
    let blocking: BlockingStore = store.clone().into();
    assert_eq!(format!("{blocking:?}"), format!("BlockingStore({store:?})"));
    let copy = blocking.clone();
    assert_eq!(copy.as_async().root(), Path::new("/nowhere"));
    let sync_made: BlockingStore = BlockingStore::at(PathBuf::from("/x"));
    assert_eq!(sync_made.into_async().root(), Path::new("/x"));
    // Skipped methods stay reachable through the async value.
    let n = sync_facade::block_on(blocking.as_async().internal()).unwrap();
    assert_eq!(n, 7);
}

#[test]
fn made_in_one_context_used_and_dropped_in_another() {
    // Made inside a `#[tokio::main]`-style runtime, used from a plain thread after it is gone.
    let root = temp_root("cross");
    let made = {
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        let root = root.clone();
        rt.block_on(async move { BlockingStore::open(root).unwrap().unwrap() })
    };
    assert_eq!(made.save("k", b"v").unwrap().unwrap(), 1);

    // And the reverse: made on a plain thread, used and dropped inside async tasks of every flavor.
    for ctx in [Ctx::CurrentThreadTask, Ctx::MultiThreadTask, Ctx::LocalSetCurrentThread, Ctx::LocalRuntime] {
        let client = made.clone();
        let loaded = ctx.run(move || {
            let loaded = client.load("k").unwrap();
            drop(client); // never panics, never blocks
            loaded
        });
        assert_eq!(loaded, b"v", "{ctx:?}");
    }
    // Dropped inside a current_thread task without being used.
    Ctx::CurrentThreadTask.run(move || drop(made));
    std::fs::remove_dir_all(&root).unwrap();
}

/// Generic async types keep their generics on the client.
pub trait Codec: Send + Sync + 'static {
    /// Encodes a value.
    fn encode(&self, v: u32) -> String;
}

/// Decimal encoding.
#[derive(Debug)]
pub struct Decimal;

impl Codec for Decimal {
    fn encode(&self, v: u32) -> String {
        v.to_string()
    }
}

/// A generic async encoder.
#[derive(Debug)]
pub struct Encoder<C: Codec> {
    codec: C,
}

#[sync_facade(client = pub BlockingEncoder)]
impl<C: Codec> Encoder<C> {
    /// A new encoder.
    pub async fn new(codec: C) -> Self {
        Encoder { codec }
    }

    /// Encodes asynchronously.
    pub async fn encode(&self, v: u32) -> String {
        tokio::task::yield_now().await;
        self.codec.encode(v)
    }
}

#[test]
fn generic_types_keep_their_generics() {
    let enc: BlockingEncoder<Decimal> = BlockingEncoder::new(Decimal).unwrap();
    assert_eq!(enc.encode(42).unwrap(), "42");
    assert!(format!("{enc:?}").starts_with("BlockingEncoder(Encoder"));
    let in_runtime = Ctx::CurrentThreadTask.run(|| {
        let enc = BlockingEncoder::new(Decimal).unwrap();
        enc.encode(7).unwrap()
    });
    assert_eq!(in_runtime, "7");
}
