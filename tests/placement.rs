//! `#[sync_facade]` on single functions, wherever they stand: an associated function without
//! `self` or `Self` in an inherent `impl` (its twin must call `Self::name`), the same function at
//! module level, in a `mod`, in a function body, and in an `impl` a `macro_rules!` macro writes.
//! Each twin is called from every context of the matrix. (A function in a trait impl is a ui
//! case: `tests/ui/method_in_trait_impl.rs`, `tests/ui/assoc_fn_in_trait_impl.rs`.)

#[macro_use]
mod common;

use sync_facade::sync_facade;

pub struct Db;

impl Db {
    /// Neither `self` nor `Self`: reads like a free function.
    #[sync_facade(timeout = 5)]
    pub async fn open(path: &str) -> usize {
        tokio::task::yield_now().await;
        path.len()
    }

    #[sync_facade]
    async fn generic<T: Send + Into<u64>>(value: T, times: u64) -> u64 {
        value.into() * times
    }

    // A free function of the same name exists at module level: the twin must still call this one.
    #[sync_facade]
    pub async fn shadowed() -> &'static str {
        "associated"
    }
}

pub async fn shadowed() -> &'static str {
    "free"
}

#[sync_facade]
pub async fn module_level(x: u8) -> u8 {
    x + 1
}

mod inner {
    use sync_facade::sync_facade;

    #[sync_facade]
    pub async fn in_mod(x: u8) -> u8 {
        x * 2
    }
}

// An `impl` written by a macro: the function's tokens come from the macro's own body.
macro_rules! counter_impl {
    ($t:ident) => {
        pub struct $t;
        impl $t {
            #[sync_facade]
            pub async fn start() -> u32 {
                7
            }
        }
    };
}
counter_impl!(Counter);

// Two functions of one name on one line: the compiler's column picks the right one (with the
// column read wrong, the first one's twin would call a `same` that is not in scope).
#[rustfmt::skip]
mod one_line { use sync_facade::sync_facade; pub struct Twice; impl Twice { #[sync_facade] pub async fn same() -> u8 { 1 } } pub mod inner { use sync_facade::sync_facade; #[sync_facade] pub async fn same() -> u8 { 2 } } }

#[test]
fn two_functions_of_one_name_on_one_line() {
    assert_eq!(one_line::Twice::blocking_same().unwrap(), 1);
    assert_eq!(one_line::inner::blocking_same().unwrap(), 2);
}

fn check(ctx: common::Ctx) {
    let (opened, generic, shadowed, module, in_mod, counted, in_body) = ctx.run(|| {
        #[sync_facade]
        async fn in_body() -> i8 {
            -1
        }
        (
            Db::blocking_open("abc").unwrap(),
            Db::blocking_generic(3u8, 4).unwrap(),
            Db::blocking_shadowed().unwrap(),
            blocking_module_level(1).unwrap(),
            inner::blocking_in_mod(4).unwrap(),
            Counter::blocking_start().unwrap(),
            blocking_in_body().unwrap(),
        )
    });
    assert_eq!((opened, generic, shadowed, module, in_mod, counted, in_body), (3, 12, "associated", 2, 8, 7, -1));
}

/// The module-level `shadowed` is left as it is by its namesake's twin.
#[test]
fn the_shadowing_async_fn_is_untouched() {
    let free = tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(shadowed());
    assert_eq!(free, "free");
}

context_matrix!(check);

/// The two fixes the trait-impl error suggests (`tests/ui/method_in_trait_impl.rs`,
/// `assoc_fn_in_trait_impl.rs`) compile and work.
mod suggested_fixes {
    use sync_facade::sync_facade;

    // First fix: the attribute on the trait itself.
    #[sync_facade]
    pub trait Service {
        async fn load(&self) -> u8;
    }

    pub struct Memory;

    impl Service for Memory {
        async fn load(&self) -> u8 {
            1
        }
    }

    pub trait Factory: Sized {
        async fn make(seed: u8) -> Self;
    }

    pub struct Widget<T>(pub T);

    impl<T: From<u8> + Send> Factory for Widget<T>
    where
        T: Clone,
    {
        async fn make(seed: u8) -> Widget<T> {
            Widget(T::from(seed))
        }
    }

    #[test]
    fn both_fixes_compile_and_work() {
        // The companion trait's twin.
        assert_eq!(BlockingService::blocking_load(&Memory).unwrap(), 1);
        // Second fix: `sync_facade::block_on` on the method or associated function.
        let value = Memory;
        assert_eq!(sync_facade::block_on(value.load()).unwrap(), 1);
        assert_eq!(sync_facade::block_on(<Widget<u32> as Factory>::make(4)).unwrap().0, 4);
    }
}
