//! The signature shapes of async-trait's test suite (`tests/test.rs` of dtolnay/async-trait 0.1.92),
//! ported to `#[sync_facade]`: each shape in every placement where a blocking twin means something
//! (companion trait, inherent `impl`, blocking client, free function), each twin called from sync
//! code and its value checked. The code is written for this crate; only the shapes come from
//! async-trait (each module names the async-trait test or issue it ports).
//!
//! Counts. A shape is one distinct `async fn` signature of async-trait's `tests/test.rs` (a trait
//! declaration and an implementor's signature count separately where they differ, as in
//! `async fn f(&self, foos: (u8, u8, u8, u8))` and `async fn f(&self, (a, ref mut b, ref c, d): ..)`):
//!
//! * shapes: 112
//! * ported: 106, each with its value asserted, in every placement that fits: the companion trait
//!   for all of them, and an inherent `impl`, a blocking client or a free function where the shape
//!   makes sense there. Of these, 6 use `local` because the future or its output is not `Send`
//!   (`test_inference`, issue149 ×2, issue199 ×2, issue204's `*const` argument): that is
//!   async-trait's `#[async_trait(?Send)]`, and a twin that may host the future on another thread
//!   needs it. 6 carry one adjustment, said where they are: issue106 ×2 and issue232 ×2 add a
//!   `Send`/`Sync` bound so that an implementor's future is `Send` (the trait declares it so),
//!   issue204 adds `+ Sync` to an `impl Trait` argument for the same reason, issue123 drops the
//!   `T: 'async_trait` bound (a lifetime only async-trait defines).
//! * deliberately refused: 3 (`test_dyn_compatible_without_default`, `_with_default`, `_no_send`:
//!   the point of each is `&dyn Trait`, and a trait whose `async fn`s return `impl Future` is not
//!   dyn compatible): `tests/ui/companion_dyn.rs`. Placements refused for a ported shape:
//!   `self: Arc<Self>` (issue11, issue161, issue210) on a blocking client, which owns the async
//!   value and cannot forward another receiver: `tests/ui/client_typed_receiver.rs`.
//! * not applicable: 3 nightly-only shapes (issue25's `default async fn`, issue152's `type Assoc =
//!   impl Sized`, issue266's `-> !`), behind `async_trait_nightly_testing` there.
//!
//! Also ported: the 10 future-returning trait method shapes of maybe-async's
//! `tests/ui/07-impl-future-rpit.rs` (module `maybe_async_rpit`: `impl Future + Send + '_`,
//! `+ Send + Sync`, without `Send` under `local`, `Pin<Box<dyn Future + Send>>`, declared and
//! with default bodies). Its `Box<dyn Future>` method is not a future (a `Box<dyn Future>` cannot
//! be awaited) and gets no twin; its free `fn .. -> impl Future` functions are refused with
//! `tests/ui/not_async.rs`'s message (make it an `async fn`).
#![allow(
    dead_code,
    clippy::needless_lifetimes,
    clippy::unused_unit,
    clippy::unit_arg,
    clippy::let_unit_value,
    clippy::needless_arbitrary_self_type,
    clippy::extra_unused_lifetimes,
    clippy::needless_return,
    clippy::unused_async,
    clippy::items_after_statements,
    clippy::non_minimal_cfg,
    clippy::multiple_bound_locations,
    clippy::useless_format,
    clippy::redundant_closure,
    clippy::redundant_closure_for_method_calls,
    clippy::async_yields_async,
    clippy::let_underscore_future,
    clippy::needless_borrow,
    clippy::missing_safety_doc,
    clippy::manual_async_fn
)]

use std::sync::Arc;
use sync_facade::sync_facade;

async fn tick() {
    tokio::task::yield_now().await;
}

// ---- async-trait's first test: `Trait` with an associated type ---------------------------------

mod first {
    use super::*;

    #[sync_facade]
    pub trait Trait {
        type Assoc;

        async fn selfvalue(self) -> u8
        where
            Self: Sized,
        {
            1
        }

        async fn selfref(&self) -> u8 {
            2
        }

        async fn selfmut(&mut self) -> u8 {
            3
        }

        async fn required() -> Self::Assoc;

        async fn elided_lifetime(x: &str) -> usize {
            x.len()
        }

        async fn explicit_lifetime<'a>(x: &'a str) -> &'a str {
            x
        }

        async fn generic_type_param<T: Send>(x: Box<T>) -> T {
            *x
        }

        async fn calls(&self) -> u8 {
            self.selfref().await + Self::elided_lifetime("ab").await as u8 + <Self>::elided_lifetime("").await as u8
        }

        async fn calls_mut(&mut self) -> u8 {
            self.selfmut().await
        }
    }

    pub struct Struct;

    impl Trait for Struct {
        type Assoc = u32;

        async fn selfvalue(self) -> u8 {
            10
        }

        async fn required() -> u32 {
            tick().await;
            42
        }
    }

    /// Also an implementor that is not `Sync`: its default `&self` methods are not available
    /// (async-trait's rule, `where Self: Sync`), the others are.
    pub struct NotSync(pub std::cell::Cell<u8>);

    impl Trait for NotSync {
        type Assoc = String;

        async fn required() -> String {
            "not sync".into()
        }
    }

    #[test]
    fn companion() {
        let mut s = Struct;
        assert_eq!(s.blocking_selfref().unwrap(), 2);
        assert_eq!(s.blocking_selfmut().unwrap(), 3);
        assert_eq!(s.blocking_calls().unwrap(), 4);
        assert_eq!(s.blocking_calls_mut().unwrap(), 3);
        assert_eq!(Struct.blocking_selfvalue().unwrap(), 10);
        assert_eq!(Struct::blocking_required().unwrap(), 42);
        assert_eq!(Struct::blocking_elided_lifetime("abc").unwrap(), 3);
        assert_eq!(Struct::blocking_explicit_lifetime("xyz").unwrap(), "xyz");
        assert_eq!(Struct::blocking_generic_type_param(Box::new(7u64)).unwrap(), 7);
        let mut n = NotSync(std::cell::Cell::new(0));
        assert_eq!(n.blocking_selfmut().unwrap(), 3);
        assert_eq!(NotSync::blocking_required().unwrap(), "not sync");
        assert_eq!(NotSync(std::cell::Cell::new(1)).blocking_selfvalue().unwrap(), 1);
    }

    /// The same shapes on an inherent `impl` and on a blocking client.
    #[derive(Debug, Clone)]
    pub struct Inherent(pub u8);

    #[sync_facade(client = BlockingInherent)]
    impl Inherent {
        pub async fn selfvalue(self) -> u8 {
            self.0
        }
        pub async fn selfref(&self) -> u8 {
            self.0 + 1
        }
        pub async fn selfmut(&mut self) -> u8 {
            self.0 += 1;
            self.0
        }
        pub async fn required() -> Self {
            Inherent(5)
        }
        pub async fn elided_lifetime(x: &str) -> usize {
            x.len()
        }
        pub async fn explicit_lifetime<'a>(x: &'a str) -> &'a str {
            x
        }
        pub async fn generic_type_param<T: Send>(x: Box<T>) -> T {
            *x
        }
        pub async fn calls(&self) -> u8 {
            self.selfref().await + Self::elided_lifetime("ab").await as u8
        }
    }

    pub struct Plain(pub u8);

    #[sync_facade]
    impl Plain {
        pub async fn selfvalue(self) -> u8 {
            self.0
        }
        pub async fn selfref(&self) -> u8 {
            self.0 + 1
        }
        pub async fn selfmut(&mut self) -> u8 {
            self.0 += 1;
            self.0
        }
        pub async fn required() -> Self {
            Plain(5)
        }
        pub async fn explicit_lifetime<'a>(x: &'a str) -> &'a str {
            x
        }
        pub async fn generic_type_param<T: Send>(x: Box<T>) -> T {
            *x
        }
    }

    #[sync_facade]
    pub async fn elided_lifetime(x: &str) -> usize {
        x.len()
    }

    #[sync_facade]
    pub async fn explicit_lifetime<'a>(x: &'a str) -> &'a str {
        x
    }

    #[sync_facade]
    pub async fn generic_type_param<T: Send>(x: Box<T>) -> T {
        *x
    }

    #[test]
    fn inherent_client_free() {
        let mut c = BlockingInherent::required().unwrap();
        assert_eq!(c.selfref().unwrap(), 6);
        assert_eq!(c.selfmut().unwrap(), 6);
        assert_eq!(c.calls().unwrap(), 9);
        assert_eq!(BlockingInherent::elided_lifetime("abcd").unwrap(), 4);
        assert_eq!(BlockingInherent::explicit_lifetime("q").unwrap(), "q");
        assert_eq!(BlockingInherent::generic_type_param(Box::new(3i8)).unwrap(), 3);
        assert_eq!(c.selfvalue().unwrap(), 6);

        let mut p = Plain::blocking_required().unwrap();
        assert_eq!(p.blocking_selfref().unwrap(), 6);
        assert_eq!(p.blocking_selfmut().unwrap(), 6);
        assert_eq!(Plain::blocking_explicit_lifetime("r").unwrap(), "r");
        assert_eq!(Plain::blocking_generic_type_param(Box::new('c')).unwrap(), 'c');
        assert_eq!(p.blocking_selfvalue().unwrap(), 6);

        assert_eq!(blocking_elided_lifetime("xy").unwrap(), 2);
        assert_eq!(blocking_explicit_lifetime("s").unwrap(), "s");
        assert_eq!(blocking_generic_type_param(Box::new(1u8)).unwrap(), 1);
    }
}

// ---- test_can_destruct, test_self_in_macro, test_inference, test_internal_items, test_unimplemented

mod destruct_and_friends {
    use super::*;

    #[sync_facade]
    pub trait CanDestruct {
        async fn f(&self, foos: (u8, u8, u8, u8)) -> u8;
    }

    pub struct Struct;

    impl CanDestruct for Struct {
        async fn f(&self, (a, ref mut b, ref c, d): (u8, u8, u8, u8)) -> u8 {
            *b += 1;
            a + *b + *c + d
        }
    }

    #[sync_facade]
    pub async fn destruct((a, ref mut b, ref c, d): (u8, u8, u8, u8)) -> u8 {
        *b += 1;
        a + *b + *c + d
    }

    pub struct Destructs;

    #[sync_facade(client = BlockingDestructs)]
    impl Destructs {
        pub async fn f(&self, (a, ref mut b, ref c, d): (u8, u8, u8, u8)) -> u8 {
            *b += 1;
            a + *b + *c + d
        }
    }

    #[sync_facade]
    pub trait SelfInMacro {
        async fn a(self) -> String;
        async fn b(&mut self) -> String;
        async fn c(&self) -> String;
    }

    impl SelfInMacro for String {
        async fn a(self) -> String {
            format!("{}", self)
        }
        async fn b(&mut self) -> String {
            self.push('!');
            format!("{}", self)
        }
        async fn c(&self) -> String {
            format!("{}", self)
        }
    }

    /// A default method without a receiver returning a value that is not `Send`: `local`.
    #[sync_facade]
    pub trait Inference {
        #[sync_facade(local)]
        #[allow(async_fn_in_trait)]
        async fn f() -> Box<dyn Iterator<Item = ()>> {
            Box::new(std::iter::empty())
        }
    }

    impl Inference for () {}

    #[sync_facade]
    pub trait InternalItems: Sized {
        async fn f(self) -> u8 {
            struct Inner;
            impl Inner {
                fn f(self) -> u8 {
                    let _ = self;
                    8
                }
            }
            Inner.f()
        }
    }

    impl InternalItems for u8 {}

    #[sync_facade]
    pub trait Unimplemented {
        async fn f() {
            unimplemented!()
        }
    }

    impl Unimplemented for () {}

    #[test]
    fn values() {
        assert_eq!(Struct.blocking_f((1, 2, 3, 4)).unwrap(), 11);
        assert_eq!(blocking_destruct((1, 2, 3, 4)).unwrap(), 11);
        assert_eq!(BlockingDestructs::from(Destructs).f((1, 2, 3, 4)).unwrap(), 11);
        let mut s = String::from("hi");
        assert_eq!(s.blocking_b().unwrap(), "hi!");
        assert_eq!(s.blocking_c().unwrap(), "hi!");
        assert_eq!(s.blocking_a().unwrap(), "hi!");
        assert_eq!(<() as BlockingInference>::blocking_f().unwrap().count(), 0);
        assert_eq!(0u8.blocking_f().unwrap(), 8);
        // The twin re-raises the panic of the async fn, payload and all.
        let panic = std::panic::catch_unwind(|| <() as BlockingUnimplemented>::blocking_f()).unwrap_err();
        let message = panic.downcast_ref::<String>().map(String::as_str).or(panic.downcast_ref::<&str>().copied());
        assert_eq!(message, Some("not implemented"));
    }
}

// ---- issues 1, 2, 9, 11, 15, 17, 23 ------------------------------------------------------------

mod issues_1_to_23 {
    use super::*;
    use std::future::Future;
    use std::marker::PhantomData;

    #[sync_facade]
    pub trait Issue1 {
        async fn f<U>(&self) -> usize;
    }

    impl<T: Sync> Issue1 for Vec<T> {
        async fn f<U>(&self) -> usize {
            self.len() + std::mem::size_of::<U>()
        }
    }

    #[sync_facade]
    pub trait Issue2: Future {
        async fn flatten(self) -> <Self::Output as Future>::Output
        where
            Self::Output: Future + Send,
            Self: Sized,
        {
            let nested_future = self.await;
            nested_future.await
        }
    }

    impl<F: Future> Issue2 for F {}

    #[sync_facade]
    pub trait Issue9: Sized + Send {
        async fn f(x: Self) -> Self {
            x
        }
    }

    impl Issue9 for u16 {}

    #[sync_facade]
    pub trait Issue11 {
        async fn example(self: Arc<Self>) -> usize;
    }

    pub struct Issue11Struct;

    impl Issue11 for Issue11Struct {
        async fn example(self: Arc<Self>) -> usize {
            Arc::strong_count(&self)
        }
    }

    pub trait Marker {}

    #[sync_facade]
    pub trait Issue15 {
        async fn myfn(&self, _: PhantomData<dyn Marker + Send>) -> u8 {
            15
        }
    }

    impl Issue15 for () {}

    #[sync_facade]
    pub trait Issue17 {
        async fn f(&self) -> String;
    }

    pub struct Issue17Struct {
        pub string: String,
    }

    impl Issue17 for Issue17Struct {
        async fn f(&self) -> String {
            self.string.clone()
        }
    }

    #[sync_facade]
    pub trait Issue23 {
        async fn f(self) -> u8;

        async fn g(mut self) -> u8
        where
            Self: Sized,
        {
            do_something(&mut self);
            23
        }
    }

    pub struct S {}

    impl Issue23 for S {
        async fn f(mut self) -> u8 {
            do_something(&mut self);
            1
        }
    }

    fn do_something<T>(_: &mut T) {}

    /// The same receivers and patterns on an inherent `impl` and a client.
    #[derive(Clone)]
    pub struct Owner(pub String);

    #[sync_facade(client = BlockingOwner)]
    impl Owner {
        pub async fn f<U>(&self) -> usize {
            self.0.len() + std::mem::size_of::<U>()
        }
        pub async fn g(mut self) -> String {
            do_something(&mut self);
            self.0
        }
        pub async fn phantom(&self, _: PhantomData<dyn Marker + Send>) -> u8 {
            15
        }
    }

    #[sync_facade]
    impl Owner {
        pub async fn arc(self: Arc<Self>) -> usize {
            Arc::strong_count(&self)
        }
        pub async fn take(x: Self) -> Self {
            x
        }
    }

    #[test]
    fn values() {
        assert_eq!(vec![1u8, 2].blocking_f::<u32>().unwrap(), 6);
        assert_eq!(async { async { 2u8 } }.blocking_flatten().unwrap(), 2);
        assert_eq!(u16::blocking_f(9).unwrap(), 9);
        let shared = Arc::new(Issue11Struct);
        assert_eq!(Arc::clone(&shared).blocking_example().unwrap(), 2);
        assert_eq!(().blocking_myfn(PhantomData).unwrap(), 15);
        assert_eq!(Issue17Struct { string: "17".into() }.blocking_f().unwrap(), "17");
        assert_eq!(S {}.blocking_f().unwrap(), 1);
        assert_eq!(S {}.blocking_g().unwrap(), 23);

        let client = BlockingOwner::from(Owner("abc".into()));
        assert_eq!(client.f::<u16>().unwrap(), 5);
        assert_eq!(client.phantom(PhantomData).unwrap(), 15);
        assert_eq!(client.g().unwrap(), "abc");
        let owner = Arc::new(Owner("x".into()));
        assert_eq!(Arc::clone(&owner).blocking_arc().unwrap(), 2);
        assert_eq!(Owner::blocking_take(Owner("t".into())).unwrap().0, "t");
    }
}

// ---- issue 45 ---------------------------------------------------------------------------------

/// async-trait's issue 45 checks `#[tracing::instrument]` on the implementor's methods (the
/// implementor's own code, which this crate does not rewrite); its signatures are ported here.
mod issue45 {
    use super::*;

    #[sync_facade]
    pub trait Parent {
        async fn foo(&mut self, v: usize) -> usize;
    }

    #[sync_facade]
    pub trait Child {
        async fn bar(&self) -> usize;
    }

    #[derive(Debug)]
    pub struct Impl(usize);

    impl Parent for Impl {
        async fn foo(&mut self, v: usize) -> usize {
            self.0 = v;
            self.bar().await
        }
    }

    impl Child for Impl {
        async fn bar(&self) -> usize {
            self.0
        }
    }

    #[test]
    fn values() {
        let mut i = Impl(0);
        assert_eq!(i.blocking_foo(5).unwrap(), 5);
        assert_eq!(i.blocking_bar().unwrap(), 5);
    }
}

// ---- issues 28, 31, 42, 44, 46, 53, 57 ---------------------------------------------------------

mod issues_28_to_57 {
    use super::*;

    pub struct Str<'a>(pub &'a str);

    /// Lifetime parameters on the trait, implemented for an unsized type (`str`).
    #[sync_facade]
    pub trait Trait1<'a> {
        async fn f(x: Str<'a>) -> &'a str;
        async fn g(x: Str<'a>) -> &'a str {
            x.0
        }
    }

    impl<'a> Trait1<'a> for str {
        async fn f(x: Str<'a>) -> &'a str {
            &x.0[1..]
        }
    }

    #[sync_facade]
    pub trait Trait2 {
        async fn f() -> u8;
    }

    impl<'a> Trait2 for &'a () {
        async fn f() -> u8 {
            2
        }
    }

    #[sync_facade]
    pub trait Trait3<'a, 'b> {
        async fn f(_: &'a &'b ()) -> u8; // chain 'a and 'b
        async fn g(_: &'b ()) -> u8; // chain 'b only
        async fn h() -> u8; // do not chain
    }

    impl<'a, 'b> Trait3<'a, 'b> for () {
        async fn f(_: &'a &'b ()) -> u8 {
            1
        }
        async fn g(_: &'b ()) -> u8 {
            2
        }
        async fn h() -> u8 {
            3
        }
    }

    pub struct Named<'a> {
        pub name: &'a str,
    }

    #[sync_facade]
    pub trait Issue31<'a> {
        async fn hello(thing: Named<'a>) -> String;
        async fn hello_twice(one: Named<'a>, two: Named<'a>) -> String {
            let str1 = Self::hello(one).await;
            let str2 = Self::hello(two).await;
            str1 + &str2
        }
    }

    impl<'a> Issue31<'a> for () {
        async fn hello(thing: Named<'a>) -> String {
            thing.name.to_uppercase()
        }
    }

    /// `-> Self` with `Sized` alone: the twin needs `Self: Send` and says so only where it is
    /// called (`TokenContext` is `Send`).
    #[sync_facade]
    pub trait Context: Sized {
        async fn from_parts() -> Self;
    }

    #[derive(Debug, PartialEq)]
    pub struct TokenContext(u8);

    impl Context for TokenContext {
        async fn from_parts() -> TokenContext {
            TokenContext(42)
        }
    }

    #[sync_facade]
    pub trait StaticWithWhereSelf
    where
        Box<Self>: Sized,
        Self: Sized + Send,
    {
        async fn get_one() -> u8 {
            1
        }
    }

    pub struct Struct44;

    impl StaticWithWhereSelf for Struct44 {}

    macro_rules! implement_commands_workaround {
        ($tyargs:tt : $ty:tt) => {
            #[sync_facade]
            pub trait AsyncCommands1: Sized {
                async fn f<$tyargs: $ty>(&mut self, x: $tyargs) -> u8 {
                    let _ = x;
                    46
                }
            }
        };
    }

    implement_commands_workaround!(K: Send);

    macro_rules! implement_commands {
        ($tyargs:ident : $ty:ident) => {
            #[sync_facade]
            pub trait AsyncCommands2: Sized {
                async fn f<$tyargs: $ty>(&mut self, x: $tyargs) -> u8 {
                    let _ = x;
                    47
                }
            }
        };
    }

    implement_commands!(K: Send);

    impl AsyncCommands1 for u8 {}
    impl AsyncCommands2 for u8 {}

    pub struct Unit;
    pub struct Tuple(pub u8);
    pub struct Fields {
        pub x: u8,
    }

    #[sync_facade]
    pub trait Issue53 {
        async fn method() -> u8;
    }

    impl Issue53 for Unit {
        async fn method() -> u8 {
            let _ = Self;
            0
        }
    }

    impl Issue53 for Tuple {
        async fn method() -> u8 {
            Self(1).0
        }
    }

    impl Issue53 for Fields {
        async fn method() -> u8 {
            Self { x: 2 }.x
        }
    }

    impl Issue53 for std::marker::PhantomData<Fields> {
        async fn method() -> u8 {
            let _ = Self;
            3
        }
    }

    /// `Self` constructors in the bodies of an inherent `impl`.
    #[sync_facade]
    impl Tuple {
        pub async fn make() -> Self {
            Self(5)
        }
        pub async fn fields() -> Fields {
            Fields { x: Self(6).0 }
        }
    }

    #[sync_facade]
    pub trait Issue57 {
        async fn const_generic<T: Send, const C: usize>(_: [T; C]) -> usize {
            C
        }
    }

    impl Issue57 for Unit {}

    #[sync_facade]
    pub async fn const_generic<T: Send, const C: usize>(_: [T; C]) -> usize {
        C
    }

    #[test]
    fn values() {
        assert_eq!(<str as BlockingTrait1>::blocking_f(Str("abc")).unwrap(), "bc");
        assert_eq!(<str as BlockingTrait1>::blocking_g(Str("abc")).unwrap(), "abc");
        assert_eq!(<&() as BlockingTrait2>::blocking_f().unwrap(), 2);
        assert_eq!(<() as BlockingTrait3>::blocking_f(&&()).unwrap(), 1);
        assert_eq!(<() as BlockingTrait3>::blocking_g(&()).unwrap(), 2);
        assert_eq!(<() as BlockingTrait3>::blocking_h().unwrap(), 3);
        let twice = <() as BlockingIssue31>::blocking_hello_twice(Named { name: "a" }, Named { name: "b" });
        assert_eq!(twice.unwrap(), "AB");
        assert_eq!(TokenContext::blocking_from_parts().unwrap(), TokenContext(42));
        assert_eq!(Struct44::blocking_get_one().unwrap(), 1);
        assert_eq!(BlockingAsyncCommands1::blocking_f(&mut 0u8, "k").unwrap(), 46);
        assert_eq!(BlockingAsyncCommands2::blocking_f(&mut 0u8, "k").unwrap(), 47);
        assert_eq!(Unit::blocking_method().unwrap(), 0);
        assert_eq!(Tuple::blocking_method().unwrap(), 1);
        assert_eq!(Fields::blocking_method().unwrap(), 2);
        assert_eq!(std::marker::PhantomData::<Fields>::blocking_method().unwrap(), 3);
        assert_eq!(Tuple::blocking_make().unwrap().0, 5);
        assert_eq!(Tuple::blocking_fields().unwrap().x, 6);
        assert_eq!(Unit::blocking_const_generic([0u8; 10]).unwrap(), 10);
        assert_eq!(blocking_const_generic(["a"; 3]).unwrap(), 3);
    }
}

// ---- issues 68 to 92 ---------------------------------------------------------------------------

mod issues_68_to_92 {
    use super::*;

    #[sync_facade]
    pub trait Issue68 {
        async fn method(&self) -> u8 {
            macro_rules! t {
                () => {{
                    let _: &Self = self;
                }};
            }
            t!();
            68
        }
    }

    impl Issue68 for () {}

    #[sync_facade]
    pub trait Issue73 {
        const ASSOCIATED: &'static str;

        async fn associated(&self) -> &'static str {
            Self::ASSOCIATED
        }
    }

    impl Issue73 for () {
        const ASSOCIATED: &'static str = "73";
    }

    #[sync_facade]
    pub trait Issue81 {
        async fn handle(&self) -> u8;
    }

    pub enum Enum {
        Variant,
    }

    impl Issue81 for Enum {
        async fn handle(&self) -> u8 {
            let Enum::Variant = self;
            let Self::Variant = self;
            81
        }
    }

    #[sync_facade]
    impl Enum {
        pub async fn handle_inherent(&self) -> u8 {
            let Self::Variant = self;
            81
        }
    }

    #[sync_facade]
    pub trait Issue83 {
        async fn f(&self) -> u8 {
            1
        }
        async fn g(self: &Self) -> u8 {
            2
        }
    }

    impl Issue83 for () {}

    #[derive(Clone)]
    pub struct Receivers(u8);

    /// `self: &Self`, `self: &mut Self` and `self: Self` on a client are `&self`, `&mut self`
    /// and `self`.
    #[sync_facade(client = BlockingReceivers)]
    impl Receivers {
        pub async fn g(self: &Self) -> u8 {
            self.0
        }
        pub async fn h(self: &mut Self) -> u8 {
            self.0 += 1;
            self.0
        }
        pub async fn i(self: Self) -> u8 {
            self.0 * 10
        }
    }

    #[sync_facade]
    pub trait Issue85 {
        #[allow(non_snake_case)]
        async fn camelCase() -> u8;
    }

    pub struct Struct85;

    impl Issue85 for Struct85 {
        async fn camelCase() -> u8 {
            85
        }
    }

    #[allow(non_snake_case)]
    #[sync_facade]
    pub async fn camelCase() -> u8 {
        85
    }

    #[sync_facade]
    pub trait Issue87 {
        async fn f(&self) -> u8;
    }

    pub enum TupleVariant {
        V(),
    }

    pub enum StructVariant {
        V {},
    }

    impl Issue87 for TupleVariant {
        async fn f(&self) -> u8 {
            let TupleVariant::V() = self;
            let Self::V() = self;
            let _ = Self::V;
            let _ = Self::V();
            1
        }
    }

    impl Issue87 for StructVariant {
        async fn f(&self) -> u8 {
            let StructVariant::V {} = self;
            let Self::V {} = self;
            let _ = Self::V {};
            2
        }
    }

    /// Unsized implementors: trait objects.
    #[sync_facade]
    pub trait Issue89 {
        async fn f(&self) -> u8;
    }

    impl Issue89 for dyn Send + Sync {
        async fn f(&self) -> u8 {
            1
        }
    }

    impl Issue89 for dyn Fn(i8) -> i8 + Send + Sync {
        async fn f(&self) -> u8 {
            self(2) as u8
        }
    }

    #[allow(unused_parens)]
    impl Issue89 for (dyn Fn(u8) -> u8 + Send + Sync) {
        async fn f(&self) -> u8 {
            self(3)
        }
    }

    macro_rules! mac {
        ($($tt:tt)*) => {
            $($tt)*
        };
    }

    pub struct Generic<T> {
        _x: T,
    }

    #[sync_facade]
    impl<T> Generic<T> {
        const ASSOCIATED1: &'static str = "1";
        async fn associated1() {}
    }

    #[sync_facade]
    pub trait Issue92
    where
        mac!(Self): Send,
    {
        const ASSOCIATED2: &'static str;
        type Associated2;

        #[allow(path_statements, clippy::let_underscore_future, clippy::no_effect)]
        async fn associated2(&self) -> &'static str {
            mac!(let _: Self::Associated2;);
            mac!(let _: <Self>::Associated2;);
            mac!(let _: <Self as Issue92>::Associated2;);
            mac!(Self::ASSOCIATED2;);
            mac!(<Self>::ASSOCIATED2;);
            mac!(<Self as Issue92>::ASSOCIATED2;);
            Self::ASSOCIATED2
        }

        async fn assoc_out(&self) -> Option<Self::Associated2>;
    }

    impl<T: Send + Sync> Issue92 for Generic<T>
    where
        mac!(Self): Send,
    {
        const ASSOCIATED2: &'static str = "2";
        type Associated2 = ();

        #[allow(path_statements, clippy::no_effect)]
        async fn associated2(&self) -> &'static str {
            mac!(Self::ASSOCIATED1;);
            mac!(<Self>::ASSOCIATED1;);
            mac!(let _ = Self::associated1(););
            mac!(let _ = <Self>::associated1(););
            mac!(let (): <Self as Issue92>::Associated2;);
            Self::ASSOCIATED2
        }

        async fn assoc_out(&self) -> Option<()> {
            Some(())
        }
    }

    pub trait Trait1 {
        fn func1() -> u8;
    }

    #[sync_facade]
    pub trait Trait2: Trait1 {
        async fn func2() -> u8 {
            mac!(Self::func1())
        }
    }

    impl Trait1 for () {
        fn func1() -> u8 {
            92
        }
    }

    impl Trait2 for () {}

    #[test]
    fn values() {
        assert_eq!(().blocking_method().unwrap(), 68);
        assert_eq!(().blocking_associated().unwrap(), "73");
        assert_eq!(Enum::Variant.blocking_handle().unwrap(), 81);
        assert_eq!(Enum::Variant.blocking_handle_inherent().unwrap(), 81);
        assert_eq!(BlockingIssue83::blocking_f(&()).unwrap(), 1);
        assert_eq!(BlockingIssue83::blocking_g(&()).unwrap(), 2);
        let mut r = BlockingReceivers::from(Receivers(4));
        assert_eq!(r.g().unwrap(), 4);
        assert_eq!(r.h().unwrap(), 5);
        assert_eq!(r.i().unwrap(), 50);
        assert_eq!(Struct85::blocking_camelCase().unwrap(), 85);
        assert_eq!(blocking_camelCase().unwrap(), 85);
        assert_eq!(TupleVariant::V().blocking_f().unwrap(), 1);
        assert_eq!(StructVariant::V {}.blocking_f().unwrap(), 2);
        let object: &(dyn Send + Sync) = &();
        assert_eq!(object.blocking_f().unwrap(), 1);
        let closure: &(dyn Fn(i8) -> i8 + Send + Sync) = &|x| x * 2;
        assert_eq!(closure.blocking_f().unwrap(), 4);
        let closure: &(dyn Fn(u8) -> u8 + Send + Sync) = &|x| x + 1;
        assert_eq!(closure.blocking_f().unwrap(), 4);
        let g = Generic { _x: 0u8 };
        assert_eq!(g.blocking_associated2().unwrap(), "2");
        assert_eq!(g.blocking_assoc_out().unwrap(), Some(()));
        assert_eq!(<() as BlockingTrait2>::blocking_func2().unwrap(), 92);
        Generic::<u8>::blocking_associated1().unwrap();
    }
}

// ---- issues 104 to 158 -------------------------------------------------------------------------

mod issues_104_to_158 {
    use super::*;
    use std::future::Future;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[sync_facade]
    pub trait T1 {
        async fn id(&self) -> i32;
    }

    macro_rules! impl_t1 {
        ($ty:ty, $id:expr) => {
            impl T1 for $ty {
                async fn id(&self) -> i32 {
                    $id
                }
            }
        };
    }

    pub struct Foo;

    impl_t1!(Foo, 1);

    /// An associated type in a bound, a generic output, an implementor `&P` for unsized `P`.
    #[sync_facade]
    pub trait ProcessPool: Send + Sync {
        type ThreadPool;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&Self::ThreadPool) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static;
    }

    pub struct Pool(u32);

    impl ProcessPool for Pool {
        type ThreadPool = u32;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&u32) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static,
        {
            work(&self.0).await
        }
    }

    impl<P> ProcessPool for &P
    where
        P: ?Sized + ProcessPool,
    {
        type ThreadPool = P::ThreadPool;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&Self::ThreadPool) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static,
        {
            (**self).spawn(work).await
        }
    }

    /// A client method whose bound names `Self`: `Self` is the async type there, as in the
    /// parameters. (A twin's output crosses threads, so `T: Send`; in a companion trait the twin
    /// adds that bound itself.)
    #[derive(Clone)]
    pub struct Pooled(u32);

    #[sync_facade(client = BlockingPooled)]
    impl Pooled {
        pub async fn spawn<F, Fut, T: Send>(&self, work: F) -> T
        where
            F: FnOnce(&Self) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static,
        {
            work(self).await
        }
        pub async fn merge(&self, other: Self) -> Self {
            Pooled(self.0 + other.0)
        }
    }

    pub struct Loader<'a> {
        marker: std::marker::PhantomData<&'a ()>,
    }

    #[sync_facade]
    pub trait Issue110 {
        async fn load(&self, key: &str) -> usize;
    }

    impl Issue110 for Loader<'_> {
        async fn load(&self, key: &str) -> usize {
            key.len()
        }
    }

    #[sync_facade]
    pub trait Issue120 {
        async fn f(&self) -> u8;
    }

    impl Issue120 for () {
        async fn f(&self) -> u8 {
            120
        }
    }

    /// A defaulted trait parameter and a borrowed output of a default `&self` method.
    #[sync_facade]
    pub trait Issue123<T = ()> {
        async fn f(&self) -> &str {
            "default"
        }
    }

    impl<T> Issue123<T> for () {}

    #[sync_facade]
    pub trait Issue129 {
        async fn a(_b: u8, c: u8) -> u8 {
            c
        }
    }

    pub struct Struct129;

    impl Issue129 for Struct129 {
        async fn a(_b: u8, c: u8) -> u8 {
            c + 1
        }
    }

    #[sync_facade]
    pub trait Issue134 {
        async fn run<const DUMMY: bool>(self) -> bool
        where
            Self: Sized,
        {
            DUMMY
        }
    }

    pub struct Struct134;

    impl Issue134 for Struct134 {
        async fn run<const DUMMY: bool>(self) -> bool
        where
            Self: Sized,
        {
            !DUMMY
        }
    }

    #[sync_facade]
    impl Struct134 {
        pub async fn run_inherent<const DUMMY: bool>(self) -> bool {
            DUMMY
        }
    }

    // drop_order: the twin hands its arguments to the async fn, which drops them in the order
    // it always does (the unnamed argument after the body).
    pub struct Flagger<'a>(&'a AtomicBool);

    impl Drop for Flagger<'_> {
        fn drop(&mut self) {
            self.0.fetch_xor(true, Ordering::AcqRel);
        }
    }

    #[sync_facade]
    pub trait DropOrder {
        async fn async_trait(_: Flagger<'_>, flag: &AtomicBool);
    }

    pub struct StructDrop;

    impl DropOrder for StructDrop {
        async fn async_trait(_: Flagger<'_>, flag: &AtomicBool) {
            flag.fetch_or(true, Ordering::AcqRel);
        }
    }

    #[sync_facade]
    pub async fn standalone(_: Flagger<'_>, flag: &AtomicBool) {
        flag.fetch_or(true, Ordering::AcqRel);
    }

    #[sync_facade]
    pub trait SelfTrait {
        async fn async_trait(self, flag: &AtomicBool);
    }

    impl SelfTrait for Flagger<'_> {
        async fn async_trait(self, flag: &AtomicBool) {
            flag.fetch_or(true, Ordering::AcqRel);
        }
    }

    /// Associated types inside `Result`.
    #[sync_facade]
    pub trait ManageConnection: Sized + Send + Sync + 'static {
        type Connection: Send + 'static;
        type Error: Send + 'static;

        async fn connect(&self) -> Result<Self::Connection, Self::Error>;
    }

    pub struct Manager;

    impl ManageConnection for Manager {
        type Connection = u16;
        type Error = String;

        async fn connect(&self) -> Result<u16, String> {
            Ok(145)
        }
    }

    #[sync_facade]
    pub trait Issue147 {
        async fn x();
        async fn y() -> ();
        async fn z();
    }

    pub struct MyType;

    impl Issue147 for MyType {
        async fn x() {}
        async fn y() -> () {}
        async fn z() {
            unimplemented!()
        }
    }

    pub struct Thing;
    pub trait Ret {
        fn n(&self) -> u8;
    }
    impl Ret for Thing {
        fn n(&self) -> u8 {
            149
        }
    }

    /// An output that is not `Send` (`&dyn Ret`): `local`.
    #[sync_facade(local)]
    pub async fn ok() -> &'static dyn Ret {
        return &Thing;
    }

    #[sync_facade]
    pub trait Issue149 {
        #[sync_facade(local)]
        #[allow(async_fn_in_trait)]
        async fn fail() -> &'static dyn Ret {
            return &Thing;
        }
    }

    impl Issue149 for () {}

    #[sync_facade]
    pub trait Issue154 {
        async fn f(&self) -> u16;
    }

    impl Issue154 for () {
        async fn f(&self) -> u16 {
            const MAX: u16 = 128;
            MAX
        }
    }

    fn f() -> u8 {
        158
    }

    #[sync_facade]
    pub trait Issue158 {
        async fn f(&self) -> u8 {
            self::f()
        }
    }

    impl Issue158 for () {}

    #[test]
    fn values() {
        assert_eq!(Foo.blocking_id().unwrap(), 1);
        let pool = Pool(7);
        assert_eq!(pool.blocking_spawn(|n: &u32| std::future::ready(*n * 2)).unwrap(), 14);
        assert_eq!((&pool).blocking_spawn(|n: &u32| std::future::ready(*n + 1)).unwrap(), 8);
        let pooled = BlockingPooled::from(Pooled(3));
        assert_eq!(pooled.spawn(|p: &Pooled| std::future::ready(p.0 * 3)).unwrap(), 9);
        assert_eq!(pooled.merge(Pooled(4)).unwrap().as_async().0, 7);
        assert_eq!(Loader { marker: std::marker::PhantomData }.blocking_load("key").unwrap(), 3);
        assert_eq!(BlockingIssue120::blocking_f(&()).unwrap(), 120);
        assert_eq!(BlockingIssue123::<u8>::blocking_f(&()).unwrap(), "default");
        assert_eq!(Struct129::blocking_a(0, 1).unwrap(), 2);
        assert!(!Struct134.blocking_run::<true>().unwrap());
        assert!(Struct134.blocking_run_inherent::<true>().unwrap());

        let flag = AtomicBool::new(false);
        blocking_standalone(Flagger(&flag), &flag).unwrap();
        assert!(!flag.load(Ordering::Acquire));
        StructDrop::blocking_async_trait(Flagger(&flag), &flag).unwrap();
        assert!(!flag.load(Ordering::Acquire));
        Flagger(&flag).blocking_async_trait(&flag).unwrap();
        assert!(!flag.load(Ordering::Acquire));

        assert_eq!(Manager.blocking_connect().unwrap(), Ok(145));
        MyType::blocking_x().unwrap();
        MyType::blocking_y().unwrap();
        assert!(std::panic::catch_unwind(|| MyType::blocking_z()).is_err());
        assert_eq!(blocking_ok().unwrap().n(), 149);
        assert_eq!(<() as BlockingIssue149>::blocking_fail().unwrap().n(), 149);
        assert_eq!(BlockingIssue154::blocking_f(&()).unwrap(), 128);
        assert_eq!(BlockingIssue158::blocking_f(&()).unwrap(), 158);
    }
}

// ---- issues 161 to 300 -------------------------------------------------------------------------

mod issues_161_to_300 {
    use super::*;
    use std::cell::Cell;
    use std::future::{self, Ready};

    #[sync_facade]
    pub trait Issue161 {
        async fn f(self: Arc<Self>) -> bool;
    }

    pub struct MyStruct(bool);

    impl Issue161 for MyStruct {
        async fn f(self: Arc<Self>) -> bool {
            async { self.0 }.await
        }
    }

    #[sync_facade]
    pub trait Issue169: ::core::marker::Sync {
        async fn f(&self) -> u8 {
            169
        }
    }

    impl Issue169 for () {}

    #[sync_facade]
    pub trait Issue177 {
        async fn foo(&self, mut callback: impl FnMut(&str) + Send) {
            callback("default")
        }
    }

    pub struct Struct177;

    impl Issue177 for Struct177 {
        async fn foo(&self, mut callback: impl FnMut(&str) + Send) {
            callback("177")
        }
    }

    #[sync_facade]
    pub async fn foo177(mut callback: impl FnMut(&str) + Send) {
        callback("free")
    }

    #[sync_facade]
    pub trait Issue183 {
        async fn foo(n: i32) -> i32 {
            n
        }
    }

    impl Issue183 for () {}

    pub struct IncrementOnDrop<'a>(&'a Cell<usize>);

    impl Drop for IncrementOnDrop<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    /// async-trait's `?Send` is `local` here.
    #[sync_facade(local)]
    #[allow(async_fn_in_trait)]
    pub trait Issue199 {
        async fn f(counter: &Cell<usize>, arg: IncrementOnDrop<'_>) -> usize;
    }

    pub struct Struct199;

    impl Issue199 for Struct199 {
        async fn f(counter: &Cell<usize>, _: IncrementOnDrop<'_>) -> usize {
            counter.get() // the second argument is not dropped yet
        }
    }

    #[sync_facade]
    pub trait Issue204 {
        async fn f(arg: &(impl Issue204 + Sync)) -> u8;
        #[sync_facade(local)]
        async fn g(arg: *const impl Issue204) -> bool;
    }

    impl Issue204 for () {
        async fn f(_: &(impl Issue204 + Sync)) -> u8 {
            204
        }
        #[allow(clippy::manual_async_fn)]
        fn g(arg: *const impl Issue204) -> impl std::future::Future<Output = bool> {
            async move { arg.is_null() }
        }
    }

    #[sync_facade]
    pub trait Issue210 {
        async fn f(self: Arc<Self>) -> usize {
            Arc::strong_count(&self)
        }
    }

    impl Issue210 for () {}

    /// `#[cfg]` on parameters: configured-away parameters are neither taken nor passed.
    #[sync_facade]
    pub trait Issue226 {
        async fn cfg_param(&self, param: u8) -> u8;
        async fn cfg_param_wildcard(&self, _: u8) -> u8;
        async fn cfg_param_tuple(&self, (left, right): (u8, u8)) -> u8;
    }

    /// The same with `#[cfg]` in the trait's own declarations: the twins follow them.
    #[sync_facade]
    pub trait Issue226Cfg {
        async fn cfg_param(&self, #[cfg(any())] param: u8, #[cfg(all())] kept: u8) -> u8;
    }

    impl Issue226Cfg for Struct226 {
        async fn cfg_param(&self, #[cfg(any())] param: u8, #[cfg(all())] kept: u8) -> u8 {
            kept * 2
        }
    }

    pub struct Struct226;

    impl Issue226 for Struct226 {
        async fn cfg_param(&self, #[cfg(any())] param: u8, #[cfg(all())] kept: u8) -> u8 {
            kept
        }
        async fn cfg_param_wildcard(&self, #[cfg(any())] _: u8, #[cfg(all())] _: u8) -> u8 {
            0
        }
        async fn cfg_param_tuple(
            &self,
            #[cfg(any())] (left, right): (u8, u8),
            #[cfg(all())] (left, right): (u8, u8),
        ) -> u8 {
            left + right
        }
    }

    #[derive(Clone)]
    pub struct Cfg;

    #[sync_facade(client = BlockingCfg)]
    impl Cfg {
        pub async fn cfg_param(&self, #[cfg(any())] param: u8, #[cfg(all())] kept: u8) -> u8 {
            kept
        }
        pub async fn cfg_param_tuple(
            &self,
            #[cfg(any())] (left, right): (u8, u8),
            #[cfg(all())] (left, right): (u8, u8),
        ) -> u8 {
            left + right
        }
    }

    #[sync_facade]
    impl Struct226 {
        pub async fn inherent(#[cfg(any())] param: u8, #[cfg(all())] kept: u8) -> u8 {
            kept
        }
    }

    #[sync_facade]
    pub async fn cfg_param(
        #[cfg(any())] param: u8,
        #[cfg(all())] kept: u8,
        #[cfg_attr(all(), allow(unused))] x: u8,
    ) -> u8 {
        kept + x
    }

    #[sync_facade]
    pub trait Generic<T> {
        async fn take_ref(&self, thing: &T) -> usize;
    }

    pub struct One;

    // The implementor's future must be `Send` (the trait says so): a `&T` in it needs `T: Sync`.
    impl<T: Sync> Generic<T> for One {
        async fn take_ref(&self, _: &T) -> usize {
            1
        }
    }

    pub struct Two;

    impl<T: Sync + Copy + Into<usize>> Generic<(T, T)> for Two {
        async fn take_ref(&self, (a, b): &(T, T)) -> usize {
            (*a).into() + (*b).into()
        }
    }

    pub struct Three;

    impl<T: Sync> Generic<(T, T, T)> for Three {
        async fn take_ref(&self, (_a, _b, _c): &(T, T, T)) -> usize {
            3
        }
    }

    pub struct Droppable;

    impl Drop for Droppable {
        fn drop(&mut self) {}
    }

    pub struct Tuple<T, U>(T, U);

    #[sync_facade]
    pub trait Issue234 {
        async fn f(arg: Tuple<Droppable, i32>) -> i32;
    }

    pub struct UnderscorePattern;

    impl Issue234 for UnderscorePattern {
        async fn f(Tuple(_, int): Tuple<Droppable, i32>) -> i32 {
            int
        }
    }

    pub struct DotDotPattern;

    impl Issue234 for DotDotPattern {
        async fn f(Tuple { 1: int, .. }: Tuple<Droppable, i32>) -> i32 {
            int + 1
        }
    }

    #[sync_facade]
    pub async fn dot_dot(Tuple { 1: int, .. }: Tuple<Droppable, i32>) -> i32 {
        int
    }

    #[sync_facade]
    pub async fn async_fn() -> Ready<u8> {
        future::ready(236)
    }

    #[sync_facade]
    pub trait Issue236 {
        async fn f() -> Ready<u8> {
            future::ready(236)
        }
    }

    impl Issue236 for () {}

    #[sync_facade]
    pub trait Issue238 {
        async fn f() -> u8;
    }

    pub struct Struct238;

    impl Issue238 for &Struct238 {
        async fn f() -> u8 {
            238
        }
    }

    #[sync_facade]
    pub trait Issue277 {
        async fn f(&self) -> u8;
    }

    impl Issue277 for () {
        async fn f(mut self: &Self) -> u8 {
            g(&mut self);
            27
        }
    }

    fn g(_: &mut &()) {}

    #[derive(Clone)]
    pub struct MutSelfRef;

    #[sync_facade(client = BlockingMutSelfRef)]
    impl MutSelfRef {
        pub async fn f(mut self: &Self) -> u8 {
            let _ = &mut self;
            77
        }
    }

    /// `impl Trait` inside the output, next to an associated type.
    #[sync_facade]
    pub trait Issue281 {
        type Error;
        async fn method(&self) -> Result<impl AsRef<str> + Send + Sync, Self::Error>;
    }

    pub struct T281;

    impl Issue281 for T281 {
        type Error = ();
        async fn method(&self) -> Result<impl AsRef<str> + Send + Sync, ()> {
            Ok("Hello World")
        }
    }

    #[sync_facade]
    pub async fn method281() -> Result<impl AsRef<str> + Send + Sync, ()> {
        Ok("free")
    }

    #[sync_facade]
    pub trait Issue283 {
        async fn a() -> u8;
    }

    pub trait Bound {
        fn b() -> u8;
    }

    impl Bound for u8 {
        fn b() -> u8 {
            28
        }
    }

    impl<T: Bound> Issue283 for T {
        async fn a() -> u8 {
            Self::b() - 1
        }
    }

    /// `#[cfg]` on generic parameters.
    #[sync_facade]
    pub trait Issue288 {
        async fn f<#[cfg(any())] T: Send>(#[cfg(any())] t: T) -> u8;
        async fn g<#[cfg(all())] T: Send + Into<u8>>(#[cfg(all())] t: T) -> u8;
    }

    pub struct Struct288;

    impl Issue288 for Struct288 {
        async fn f<#[cfg(any())] T: Send>(#[cfg(any())] t: T) -> u8 {
            1
        }
        async fn g<#[cfg(all())] T: Send + Into<u8>>(#[cfg(all())] t: T) -> u8 {
            t.into()
        }
    }

    #[sync_facade]
    pub async fn generic_cfg<#[cfg(all())] T: Send + Into<u8>, #[cfg(any())] U>(#[cfg(all())] t: T) -> u8 {
        t.into()
    }

    #[sync_facade]
    pub trait Issue300 {
        async fn f(&mut self) -> ();
    }

    pub struct Thing300(u8);

    impl Issue300 for Thing300 {
        async fn f(&mut self) -> () {
            self.0 = 30;
        }
    }

    #[test]
    fn values() {
        assert!(Arc::new(MyStruct(true)).blocking_f().unwrap());
        assert_eq!(BlockingIssue169::blocking_f(&()).unwrap(), 169);
        let mut seen = Vec::new();
        Struct177.blocking_foo(|s: &str| seen.push(s.to_owned())).unwrap();
        blocking_foo177(|s: &str| seen.push(s.to_owned())).unwrap();
        assert_eq!(seen, ["177", "free"]);
        assert_eq!(<() as BlockingIssue183>::blocking_foo(183).unwrap(), 183);
        let counter = Cell::new(0);
        assert_eq!(Struct199::blocking_f(&counter, IncrementOnDrop(&counter)).unwrap(), 0);
        assert_eq!(counter.get(), 1);
        assert_eq!(<() as BlockingIssue204>::blocking_f(&()).unwrap(), 204);
        assert!(<() as BlockingIssue204>::blocking_g(std::ptr::null::<()>()).unwrap());
        assert_eq!(BlockingIssue210::blocking_f(Arc::new(())).unwrap(), 1);
        assert_eq!(BlockingIssue226::blocking_cfg_param(&Struct226, 5).unwrap(), 5);
        assert_eq!(BlockingIssue226Cfg::blocking_cfg_param(&Struct226, 5).unwrap(), 10);
        assert_eq!(Struct226.blocking_cfg_param_wildcard(5).unwrap(), 0);
        assert_eq!(Struct226.blocking_cfg_param_tuple((2, 3)).unwrap(), 5);
        assert_eq!(BlockingCfg::from(Cfg).cfg_param(6).unwrap(), 6);
        assert_eq!(BlockingCfg::from(Cfg).cfg_param_tuple((3, 4)).unwrap(), 7);
        assert_eq!(Struct226::blocking_inherent(8).unwrap(), 8);
        assert_eq!(blocking_cfg_param(1, 2).unwrap(), 3);
        assert_eq!(BlockingGeneric::<u8>::blocking_take_ref(&One, &0).unwrap(), 1);
        assert_eq!(Two.blocking_take_ref(&(2u8, 3u8)).unwrap(), 5);
        assert_eq!(Three.blocking_take_ref(&((), (), ())).unwrap(), 3);
        assert_eq!(UnderscorePattern::blocking_f(Tuple(Droppable, 4)).unwrap(), 4);
        assert_eq!(DotDotPattern::blocking_f(Tuple(Droppable, 4)).unwrap(), 5);
        assert_eq!(blocking_dot_dot(Tuple(Droppable, 9)).unwrap(), 9);
        assert_eq!(<() as BlockingIssue236>::blocking_f().unwrap().into_inner(), 236);
        assert_eq!(blocking_async_fn().unwrap().into_inner(), 236);
        assert_eq!(<&Struct238 as BlockingIssue238>::blocking_f().unwrap(), 238);
        assert_eq!(BlockingIssue277::blocking_f(&()).unwrap(), 27);
        assert_eq!(BlockingMutSelfRef::from(MutSelfRef).f().unwrap(), 77);
        assert_eq!(T281.blocking_method().unwrap().unwrap().as_ref(), "Hello World");
        assert_eq!(blocking_method281().unwrap().unwrap().as_ref(), "free");
        assert_eq!(u8::blocking_a().unwrap(), 27);
        assert_eq!(Struct288::blocking_f().unwrap(), 1);
        assert_eq!(Struct288::blocking_g(7u8).unwrap(), 7);
        assert_eq!(blocking_generic_cfg(9u8).unwrap(), 9);
        let mut thing = Thing300(0);
        thing.blocking_f().unwrap();
        assert_eq!(thing.0, 30);
    }
}

// ---- unsafe traits (test.rs: `UnsafeTrait`, `UnsafeTraitPubCrate`, `UnsafeTraitPrivate`) --------

mod unsafe_traits {
    use super::*;

    #[sync_facade]
    pub unsafe trait UnsafeTrait {
        async fn f(&self) -> u8 {
            1
        }
    }

    // SAFETY: the trait has no safety contract; it is `unsafe` to check the attribute keeps it so.
    unsafe impl UnsafeTrait for () {}

    #[sync_facade]
    pub(crate) unsafe trait UnsafeTraitPubCrate {}

    #[sync_facade]
    unsafe trait UnsafeTraitPrivate {
        async unsafe fn g(&self) -> u8;
    }

    // SAFETY: as above.
    unsafe impl UnsafeTraitPrivate for () {
        async unsafe fn g(&self) -> u8 {
            2
        }
    }

    #[test]
    fn values() {
        assert_eq!(BlockingUnsafeTrait::blocking_f(&()).unwrap(), 1);
        // SAFETY: `g` has no safety contract.
        assert_eq!(unsafe { BlockingUnsafeTraitPrivate::blocking_g(&()) }.unwrap(), 2);
    }
}

// ---- maybe-async's future-returning trait methods (`tests/ui/07-impl-future-rpit.rs`) ----------

/// maybe-async's shapes of trait methods that return a future without being `async fn`: `impl
/// Future + Send + '_`, `+ Send + Sync + '_`, default bodies, `Pin<Box<dyn Future + Send + '_>>`,
/// and a future that is not `Send` (`local` here). Each gets a twin.
mod maybe_async_rpit {
    use super::*;
    use std::future::Future;
    use std::pin::Pin;

    #[sync_facade]
    pub trait PubRpitTrait: Sync {
        fn declare_rpit(&self) -> impl Future<Output = u32> + Send + '_;

        fn default_rpit(&self) -> impl Future<Output = u32> + Send + '_ {
            async move { self.declare_rpit().await + 1 }
        }
    }

    #[sync_facade(local)]
    pub trait PubRpitNotSendTrait {
        fn declare_rpit_nosend(&self) -> impl Future<Output = u32> + '_;

        fn default_rpit_nosend(&self) -> impl Future<Output = u32> + '_ {
            async move { self.declare_rpit_nosend().await * 2 }
        }
    }

    #[sync_facade]
    pub trait MixedTrait: Sync {
        fn sync_fn(&self) -> u32 {
            1
        }

        async fn async_fn_decl(&self) -> u32;

        fn rpit_fn(&self) -> impl Future<Output = Result<u32, ()>> + Send + '_ {
            async move { Ok(self.async_fn_decl().await + 40) }
        }
    }

    #[sync_facade]
    pub trait SyncBoundTrait: Sync {
        fn rpit_send_sync(&self) -> impl Future<Output = u32> + Send + Sync + '_;

        fn rpit_send_sync_default(&self) -> impl Future<Output = u32> + Send + Sync + '_ {
            async move { self.rpit_send_sync().await + 1 }
        }
    }

    #[sync_facade]
    pub trait BoxedTrait: Sync {
        fn pin_box_decl(&self) -> Pin<Box<dyn Future<Output = u32> + Send + '_>>;

        fn pin_box_default(&self) -> Pin<Box<dyn Future<Output = u32> + Send + '_>> {
            Box::pin(async move { self.pin_box_decl().await + 1 })
        }
    }

    pub struct Foo;

    impl PubRpitTrait for Foo {
        fn declare_rpit(&self) -> impl Future<Output = u32> + Send + '_ {
            async move { 1 }
        }
    }

    impl PubRpitNotSendTrait for Foo {
        fn declare_rpit_nosend(&self) -> impl Future<Output = u32> + '_ {
            let not_send = std::rc::Rc::new(3);
            async move { *not_send }
        }
    }

    impl MixedTrait for Foo {
        async fn async_fn_decl(&self) -> u32 {
            2
        }
    }

    impl SyncBoundTrait for Foo {
        fn rpit_send_sync(&self) -> impl Future<Output = u32> + Send + Sync + '_ {
            async move { 4 }
        }
    }

    impl BoxedTrait for Foo {
        fn pin_box_decl(&self) -> Pin<Box<dyn Future<Output = u32> + Send + '_>> {
            Box::pin(async move { 5 })
        }
    }

    #[test]
    fn values() {
        assert_eq!(Foo.blocking_declare_rpit().unwrap(), 1);
        assert_eq!(Foo.blocking_default_rpit().unwrap(), 2);
        assert_eq!(Foo.blocking_declare_rpit_nosend().unwrap(), 3);
        assert_eq!(Foo.blocking_default_rpit_nosend().unwrap(), 6);
        assert_eq!(Foo.sync_fn(), 1);
        assert_eq!(Foo.blocking_async_fn_decl().unwrap(), 2);
        assert_eq!(Foo.blocking_rpit_fn().unwrap(), Ok(42));
        assert_eq!(Foo.blocking_rpit_send_sync().unwrap(), 4);
        assert_eq!(Foo.blocking_rpit_send_sync_default().unwrap(), 5);
        assert_eq!(Foo.blocking_pin_box_decl().unwrap(), 5);
        assert_eq!(Foo.blocking_pin_box_default().unwrap(), 6);
    }
}
