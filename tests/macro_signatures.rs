//! The signature matrix: real-world `async fn` shapes, each with a generated blocking twin that is
//! called and checked, from a plain thread, a current_thread runtime and a multi_thread runtime.
#![allow(clippy::needless_lifetimes, clippy::extra_unused_lifetimes, clippy::type_complexity)]

use std::collections::HashMap;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use sync_facade::sync_facade;

async fn tick() {
    tokio::task::yield_now().await;
}

// ---- free functions -------------------------------------------------------------------------

#[sync_facade]
async fn unit() {
    tick().await;
}

#[sync_facade]
async fn add(a: u32, b: u32) -> u32 {
    tick().await;
    a + b
}

/// Documented function.
#[sync_facade(timeout = 30)]
pub async fn documented(x: u8) -> u8 {
    x
}

#[sync_facade]
pub(crate) async fn generic_as_ref<T: AsRef<str> + Send>(value: T) -> usize {
    tick().await;
    value.as_ref().len()
}

#[sync_facade]
async fn impl_into(value: impl Into<String> + Send) -> String {
    tick().await;
    value.into()
}

#[sync_facade]
async fn impl_into_and_generic<T: Display + Send + Sync>(a: impl Into<String> + Send, b: T) -> String {
    tick().await;
    format!("{}{}", a.into(), b)
}

#[sync_facade]
async fn borrowed<'a>(haystack: &'a str, needle: &str) -> Option<&'a str> {
    tick().await;
    haystack.find(needle).map(|i| &haystack[i..])
}

#[sync_facade]
async fn elided(s: &str) -> &str {
    tick().await;
    s.trim()
}

#[sync_facade]
async fn two_lifetimes<'a, 'b: 'a>(a: &'a str, b: &'b str) -> (&'a str, &'b str) {
    tick().await;
    (a, b)
}

#[sync_facade]
async fn mutable_ref(v: &mut Vec<u32>) {
    tick().await;
    v.push(1);
}

#[sync_facade]
async fn const_generic<const N: usize>(xs: [u8; N]) -> usize {
    tick().await;
    xs.len() * N
}

#[sync_facade]
async fn parse_generic<T: std::str::FromStr + Send>(s: &str) -> Option<T> {
    tick().await;
    s.parse().ok()
}

#[sync_facade]
async fn where_clause<K, V>(map: HashMap<K, V>, key: K) -> Option<V>
where
    K: std::hash::Hash + Eq + Send + Sync,
    V: Clone + Send + Sync,
{
    tick().await;
    map.get(&key).cloned()
}

#[sync_facade]
async fn assoc_type<I>(iter: I) -> Vec<I::Item>
where
    I: IntoIterator + Send,
    I::IntoIter: Send,
    I::Item: Send,
{
    tick().await;
    iter.into_iter().collect()
}

/// # Safety
/// `x` must be valid (it always is: this only exercises `unsafe`).
#[sync_facade]
async unsafe fn unsafe_read(x: &u32) -> u32 {
    let ptr: *const u32 = x;
    unsafe { *ptr }
}

#[sync_facade]
async fn returns_impl(x: u32) -> impl Display {
    tick().await;
    x * 2
}

#[sync_facade]
async fn question_mark(s: &str) -> Result<u32, std::num::ParseIntError> {
    tick().await;
    let n: u32 = s.parse()?;
    Ok(n + 1)
}

#[sync_facade]
async fn nested(x: Vec<Option<HashMap<String, Vec<Result<u8, String>>>>>) -> Vec<Option<usize>> {
    tick().await;
    x.into_iter().map(|m| m.map(|m| m.len())).collect()
}

#[sync_facade]
async fn patterns((a, b): (u32, u32), mut c: u32, _: u32, [d, e]: [u32; 2]) -> u32 {
    tick().await;
    c += 1;
    a + b + c + d + e
}

struct Point {
    x: i32,
    y: i32,
}

#[sync_facade]
async fn struct_pattern(Point { x, y }: Point) -> i32 {
    tick().await;
    x * y
}

#[sync_facade(name = sum_now)]
async fn sum(xs: &[u64]) -> u64 {
    tick().await;
    xs.iter().sum()
}

#[sync_facade(timeout = "250ms")]
async fn fast() -> u8 {
    7
}

#[sync_facade(timeout = 0.05)]
async fn too_slow() -> u8 {
    tokio::time::sleep(Duration::from_secs(10)).await;
    0
}

#[sync_facade(flatten)]
async fn flat_io(fail: bool) -> std::io::Result<u32> {
    tick().await;
    if fail {
        Err(std::io::Error::other("nope"))
    } else {
        Ok(3)
    }
}

#[sync_facade(flatten, timeout = "20ms")]
async fn flat_io_timeout() -> std::io::Result<u32> {
    tokio::time::sleep(Duration::from_secs(10)).await;
    Ok(0)
}

#[sync_facade(flatten)]
async fn flat_anyhow(s: &str) -> anyhow::Result<u32> {
    tick().await;
    Ok(s.parse::<u32>()?)
}

#[sync_facade(flatten)]
async fn flat_boxed() -> Result<u32, Box<dyn std::error::Error + Send + Sync>> {
    tick().await;
    Ok(5)
}

#[derive(Debug, thiserror::Error)]
enum AppError {
    #[error("facade: {0}")]
    Facade(#[from] sync_facade::Error),
    #[error("bad input")]
    Bad,
}

#[sync_facade(flatten, timeout = "10ms")]
async fn flat_thiserror(mode: u8) -> Result<u8, AppError> {
    match mode {
        0 => Ok(1),
        1 => Err(AppError::Bad),
        _ => {
            tokio::time::sleep(Duration::from_secs(10)).await;
            Ok(2)
        }
    }
}

#[sync_facade(local)]
async fn not_send(x: u32) -> u32 {
    let rc = std::rc::Rc::new(x);
    tick().await;
    *rc + 1
}

#[sync_facade(strategy = hosted)]
async fn forced_hosted() -> &'static str {
    "hosted"
}

#[sync_facade]
#[allow(clippy::too_many_arguments)]
async fn many(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) -> u32 {
    [a, b, c, d, e, f, g, h].iter().map(|&x| u32::from(x)).sum()
}

#[sync_facade]
async fn boxed_dyn(f: Box<dyn Fn(u32) -> u32 + Send + Sync>) -> u32 {
    tick().await;
    f(20)
}

#[sync_facade]
async fn fn_generic<F: FnOnce(u32) -> u32 + Send>(f: F) -> u32 {
    tick().await;
    f(1)
}

#[sync_facade]
async fn awaits_future<F: Future<Output = u32> + Send>(fut: F) -> u32 {
    fut.await + 1
}

#[sync_facade]
async fn r#type(r#in: u32) -> u32 {
    r#in
}

#[sync_facade]
async fn same_name_arg(same_name_arg: u32) -> u32 {
    same_name_arg * 3
}

#[sync_facade]
async fn slice_of_strings(xs: &[String]) -> String {
    tick().await;
    xs.join(",")
}

#[sync_facade]
async fn dyn_trait_ref(x: &(dyn Display + Sync)) -> String {
    tick().await;
    x.to_string()
}

#[cfg(any())]
#[sync_facade]
async fn compiled_out() -> u32 {
    this_does_not_exist()
}

#[sync_facade]
async fn cow<'a>(s: &'a str, upper: bool) -> std::borrow::Cow<'a, str> {
    tick().await;
    if upper {
        std::borrow::Cow::Owned(s.to_uppercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[sync_facade]
async fn generic_array<T: Copy + Default + Send + Sync, const N: usize>(xs: &[T; N]) -> (T, usize) {
    tick().await;
    (xs.first().copied().unwrap_or_default(), N)
}

#[sync_facade]
async fn first_ref<'a, T: Sync>(xs: &'a [T]) -> Option<&'a T> {
    tick().await;
    xs.first()
}

#[sync_facade]
async fn boxed_error(fail: bool) -> Result<u8, Box<dyn std::error::Error + Send + Sync>> {
    tick().await;
    if fail {
        Err("failed".into())
    } else {
        Ok(1)
    }
}

#[sync_facade]
#[deprecated(note = "use something else")]
async fn deprecated_fn() -> u8 {
    1
}

#[sync_facade]
#[must_use]
#[cfg_attr(all(), allow(clippy::unused_async))]
async fn must_use_fn() -> u8 {
    2
}

#[sync_facade(timeout = "1m")]
async fn spawns_and_sleeps() -> u32 {
    let task = tokio::spawn(async { 40 });
    tokio::time::sleep(Duration::from_millis(1)).await;
    task.await.unwrap() + 2
}

#[sync_facade(timeout = "500us")]
async fn micro_timeout() -> u8 {
    tokio::time::sleep(Duration::from_secs(5)).await;
    0
}

#[sync_facade(local, flatten)]
async fn local_flat(x: u32) -> std::io::Result<u32> {
    let rc = std::rc::Rc::new(x);
    tick().await;
    Ok(*rc)
}

mod visibility {
    pub mod inner {
        use sync_facade::sync_facade;

        #[sync_facade]
        pub(in crate::visibility) async fn restricted() -> u8 {
            3
        }

        #[sync_facade]
        pub(super) async fn to_parent() -> u8 {
            4
        }
    }

    pub fn check() {
        assert_eq!(inner::blocking_restricted().unwrap(), 3);
        assert_eq!(inner::blocking_to_parent().unwrap(), 4);
    }
}

#[sync_facade]
async fn impl_display_lifetime<'a>(s: &'a str) -> impl Display {
    tick().await;
    s.len()
}

#[sync_facade]
async fn impl_display_borrowing(s: &str) -> impl Display + '_ {
    tick().await;
    s
}

mod nested_module {
    use sync_facade::sync_facade;

    #[sync_facade]
    pub async fn in_module() -> &'static str {
        "module"
    }
}

// ---- methods ----------------------------------------------------------------------------------

#[derive(Clone, Default)]
struct Counter {
    n: u32,
    name: String,
}

#[sync_facade(timeout = 30)]
impl Counter {
    async fn new(name: &str) -> Self {
        tick().await;
        Counter { n: 0, name: name.to_owned() }
    }

    async fn get(&self) -> u32 {
        tick().await;
        self.n
    }

    async fn name(&self) -> &str {
        tick().await;
        &self.name
    }

    async fn bump(&mut self, by: u32) -> u32 {
        tick().await;
        self.n += by;
        self.n
    }

    async fn into_n(self) -> u32 {
        self.n
    }

    async fn into_n_mut(mut self) -> u32 {
        self.n += 1;
        self.n
    }

    async fn arc(self: Arc<Self>) -> u32 {
        tick().await;
        self.n
    }

    async fn boxed(self: Box<Self>) -> u32 {
        self.n
    }

    async fn pinned(self: Pin<&mut Self>) -> u32 {
        tick().await;
        self.n + 100
    }

    async fn generic_method<T: Display + Send + Sync>(&self, t: &T) -> String {
        format!("{}{}", self.name, t)
    }

    #[sync_facade(name = renamed_get, timeout = "1s")]
    async fn get_renamed(&self) -> u32 {
        self.n
    }

    #[sync_facade(skip)]
    #[allow(dead_code)]
    async fn skipped(&self) -> u32 {
        self.n
    }

    #[sync_facade(flatten)]
    async fn checked(&self, limit: u32) -> std::io::Result<u32> {
        if self.n > limit {
            Err(std::io::Error::other("over"))
        } else {
            Ok(self.n)
        }
    }

    fn sync_method(&self) -> u32 {
        self.n
    }
}

struct Wrapper<T>(T);

#[sync_facade(flatten)]
impl<T: Clone + Send + Sync + Display> Wrapper<T> {
    async fn get(&self) -> T {
        self.0.clone()
    }

    async fn show(&self) -> Result<String, std::io::Error> {
        Ok(self.0.to_string())
    }

    async fn assoc(x: T) -> Self {
        Wrapper(x)
    }
}

struct Borrowing<'a> {
    text: &'a str,
}

#[sync_facade]
impl<'a> Borrowing<'a> {
    async fn text(&self) -> &'a str {
        tick().await;
        self.text
    }

    async fn longest<'b>(&self, other: &'b str) -> usize
    where
        'a: 'b,
    {
        self.text.len().max(other.len())
    }

    async fn with_generic<T: Into<String> + Send>(&mut self, extra: T, more: impl AsRef<str> + Send) -> String {
        format!("{}{}{}", self.text, extra.into(), more.as_ref())
    }
}

struct Matrix<const R: usize>([u8; R]);

#[sync_facade]
impl<const R: usize> Matrix<R> {
    async fn rows(&self) -> usize {
        R + self.0.len()
    }
}

trait Shape {
    type Unit: Send;
    fn unit(&self) -> Self::Unit;
}

struct Square;

impl Shape for Square {
    type Unit = u16;
    fn unit(&self) -> u16 {
        7
    }
}

struct Holder<S>(S);

#[sync_facade]
impl<S: Shape + Sync> Holder<S> {
    async fn unit(&self) -> S::Unit {
        tick().await;
        self.0.unit()
    }
}

struct Standalone(u32);

impl Standalone {
    #[sync_facade]
    async fn value(&self) -> u32 {
        self.0
    }

    #[sync_facade(local)]
    async fn make() -> Self {
        Standalone(4)
    }
}

struct Local(std::rc::Rc<u32>);

#[sync_facade(local)]
impl Local {
    async fn get(&self) -> u32 {
        tick().await;
        *self.0
    }
}

// ---- the checks -------------------------------------------------------------------------------

fn exercise_all(inside_current_thread: bool) {
    blocking_unit().unwrap();
    assert_eq!(blocking_add(2, 3).unwrap(), 5);
    assert_eq!(blocking_documented(9).unwrap(), 9);
    assert_eq!(blocking_generic_as_ref("four").unwrap(), 4);
    assert_eq!(blocking_generic_as_ref(String::from("xy")).unwrap(), 2);
    assert_eq!(blocking_impl_into("s").unwrap(), "s");
    assert_eq!(blocking_impl_into_and_generic("a", 1).unwrap(), "a1");
    assert_eq!(blocking_borrowed("hello world", "wor").unwrap(), Some("world"));
    let owned = String::from("  pad  ");
    assert_eq!(blocking_elided(&owned).unwrap(), "pad");
    assert_eq!(blocking_two_lifetimes("a", "b").unwrap(), ("a", "b"));
    let mut v = vec![];
    blocking_mutable_ref(&mut v).unwrap();
    assert_eq!(v, [1]);
    assert_eq!(blocking_const_generic([1, 2, 3]).unwrap(), 9);
    assert_eq!(blocking_parse_generic::<u16>("12").unwrap(), Some(12));
    let map = HashMap::from([("k", 1)]);
    assert_eq!(blocking_where_clause(map, "k").unwrap(), Some(1));
    assert_eq!(blocking_assoc_type(vec![1, 2]).unwrap(), [1, 2]);
    let x = 41;
    assert_eq!(unsafe { blocking_unsafe_read(&x) }.unwrap(), 41);
    assert_eq!(blocking_returns_impl(4).unwrap().to_string(), "8");
    assert_eq!(blocking_question_mark("4").unwrap(), Ok(5));
    assert!(blocking_question_mark("x").unwrap().is_err());
    let mut inner = HashMap::new();
    inner.insert("a".to_owned(), vec![Ok(1)]);
    assert_eq!(blocking_nested(vec![Some(inner), None]).unwrap(), [Some(1), None]);
    assert_eq!(blocking_patterns((1, 2), 3, 99, [4, 5]).unwrap(), 16);
    assert_eq!(blocking_struct_pattern(Point { x: 3, y: 4 }).unwrap(), 12);
    assert_eq!(sum_now(&[1, 2, 3]).unwrap(), 6);
    assert_eq!(blocking_fast().unwrap(), 7);
    assert!(blocking_too_slow().unwrap_err().is_timeout());
    assert_eq!(blocking_flat_io(false).unwrap(), 3);
    assert_eq!(blocking_flat_io(true).unwrap_err().to_string(), "nope");
    assert_eq!(blocking_flat_io_timeout().unwrap_err().kind(), std::io::ErrorKind::TimedOut);
    assert_eq!(blocking_flat_anyhow("8").unwrap(), 8);
    assert!(blocking_flat_anyhow("x").is_err());
    assert_eq!(blocking_flat_boxed().unwrap(), 5);
    assert_eq!(blocking_flat_thiserror(0).unwrap(), 1);
    assert!(matches!(blocking_flat_thiserror(1), Err(AppError::Bad)));
    match blocking_flat_thiserror(2) {
        Err(AppError::Facade(e)) => assert!(e.is_timeout()),
        other => panic!("expected a timeout, got {other:?}"),
    }
    let local = blocking_not_send(1);
    if inside_current_thread {
        assert_eq!(local.unwrap_err().kind(), sync_facade::ErrorKind::NotSend);
    } else {
        assert_eq!(local.unwrap(), 2);
    }
    assert_eq!(blocking_forced_hosted().unwrap(), "hosted");
    assert_eq!(blocking_many(1, 1, 1, 1, 1, 1, 1, 1).unwrap(), 8);
    assert_eq!(blocking_boxed_dyn(Box::new(|x| x + 1)).unwrap(), 21);
    let captured = 10;
    assert_eq!(blocking_fn_generic(move |x| x + captured).unwrap(), 11);
    assert_eq!(blocking_awaits_future(async { 1 }).unwrap(), 2);
    assert_eq!(blocking_type(5).unwrap(), 5);
    assert_eq!(blocking_same_name_arg(2).unwrap(), 6);
    assert_eq!(blocking_slice_of_strings(&["a".into(), "b".into()]).unwrap(), "a,b");
    assert_eq!(blocking_dyn_trait_ref(&5).unwrap(), "5");
    assert_eq!(nested_module::blocking_in_module().unwrap(), "module");

    assert_eq!(blocking_cow("a", true).unwrap(), "A");
    assert_eq!(blocking_generic_array(&[3u8, 4]).unwrap(), (3, 2));
    assert_eq!(blocking_first_ref(&[9, 8]).unwrap(), Some(&9));
    assert!(blocking_boxed_error(true).unwrap().is_err());
    #[allow(deprecated)]
    let deprecated = blocking_deprecated_fn().unwrap();
    assert_eq!(deprecated, 1);
    assert_eq!(blocking_must_use_fn().unwrap(), 2);
    assert_eq!(blocking_spawns_and_sleeps().unwrap(), 42);
    assert!(blocking_micro_timeout().unwrap_err().is_timeout());
    let local_flat = blocking_local_flat(5);
    if inside_current_thread {
        assert_eq!(local_flat.unwrap_err().kind(), std::io::ErrorKind::Unsupported);
    } else {
        assert_eq!(local_flat.unwrap(), 5);
    }
    assert_eq!(blocking_impl_display_lifetime("abc").unwrap().to_string(), "3");
    assert_eq!(blocking_impl_display_borrowing("abc").unwrap().to_string(), "abc");
    visibility::check();
    let mut b = Borrowing { text: "ab" };
    assert_eq!(b.blocking_text().unwrap(), "ab");
    assert_eq!(b.blocking_longest("xyz").unwrap(), 3);
    assert_eq!(b.blocking_with_generic("c", "d").unwrap(), "abcd");
    assert_eq!(Matrix([0; 2]).blocking_rows().unwrap(), 4);
    assert_eq!(Holder(Square).blocking_unit().unwrap(), 7);

    let c = Counter::blocking_new("c").unwrap();
    assert_eq!(c.blocking_get().unwrap(), 0);
    assert_eq!(c.blocking_name().unwrap(), "c");
    let mut c = c;
    assert_eq!(c.blocking_bump(2).unwrap(), 2);
    assert_eq!(c.clone().blocking_into_n().unwrap(), 2);
    assert_eq!(c.clone().blocking_into_n_mut().unwrap(), 3);
    assert_eq!(Arc::new(c.clone()).blocking_arc().unwrap(), 2);
    assert_eq!(Box::new(c.clone()).blocking_boxed().unwrap(), 2);
    let mut pinned = c.clone();
    assert_eq!(Pin::new(&mut pinned).blocking_pinned().unwrap(), 102);
    assert_eq!(c.blocking_generic_method(&1).unwrap(), "c1");
    assert_eq!(c.renamed_get().unwrap(), 2);
    assert_eq!(c.blocking_checked(5).unwrap(), 2);
    assert_eq!(c.blocking_checked(1).unwrap_err().to_string(), "over");
    assert_eq!(c.sync_method(), 2);
    let w = Wrapper::blocking_assoc(String::from("w")).unwrap();
    assert_eq!(w.blocking_get().unwrap(), "w");
    assert_eq!(w.blocking_show().unwrap(), "w");
    let s = Standalone(3);
    assert_eq!(s.blocking_value().unwrap(), 3);
    if !inside_current_thread {
        assert_eq!(Standalone::blocking_make().unwrap().0, 4);
        assert_eq!(Local(std::rc::Rc::new(6)).blocking_get().unwrap(), 6);
    }
}

/// `skip` leaves no twin: this only compiles while `blocking_skipped` does not exist.
#[allow(dead_code)]
trait NoTwin {
    fn blocking_skipped(&self) -> u32 {
        0
    }
}
impl NoTwin for Counter {}

#[test]
fn no_runtime() {
    exercise_all(false);
    assert_eq!(Counter::default().blocking_skipped(), 0);
}

#[tokio::test]
async fn current_thread() {
    exercise_all(true);
}

#[tokio::test(flavor = "multi_thread")]
async fn multi_thread() {
    exercise_all(false);
}

#[test]
fn inside_spawn_blocking_and_local_set() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        tokio::task::spawn_blocking(|| exercise_all(false)).await.unwrap();
        tokio::task::LocalSet::new().run_until(async { exercise_all(true) }).await;
    });
}
