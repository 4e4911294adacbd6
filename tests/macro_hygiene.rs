//! Generated twins compile whatever the user's scope shadows: `core`, `std`, `Result`, `Option`,
//! `Send`, `Future`, `sync_facade` and the runtime's type names.
#![allow(dead_code, non_camel_case_types, clippy::disallowed_names)]
#![no_implicit_prelude]

mod core {}
mod std {}

// `sync_facade` here is a local module: generated code must still reach the crate through
// `::sync_facade`.
mod sync_facade {
    pub use ::sync_facade::sync_facade as attribute;
    pub struct Error;
    pub mod __private {}
}

struct Result;
struct Option;
struct Ok;
struct Err;
struct Duration;
struct Call;
struct Strategy;
trait Send {}
trait Future {}
fn block_on() {}
fn block_on_local() {}

use self::sync_facade::attribute as sync_facade;

#[sync_facade(timeout = "1s", strategy = hosted)]
async fn shadowed(value: u32) -> u32 {
    value + 1
}

#[sync_facade(flatten)]
async fn shadowed_flat(value: u32) -> ::std::io::Result<u32> {
    ::std::result::Result::Ok(value)
}

#[sync_facade(local)]
async fn shadowed_local((a, b): (u32, u32)) -> u32 {
    a + b
}

struct Thing(u32);

#[sync_facade]
impl Thing {
    async fn get(&self) -> u32 {
        self.0
    }
}

#[derive(Clone, Debug)]
struct Counter(u32);

#[sync_facade(client = BlockingCounter, timeout = 5)]
impl Counter {
    async fn new(start: u32) -> Self {
        Counter(start)
    }
    async fn checked(start: u32) -> ::std::result::Result<Self, ::std::string::String> {
        ::std::result::Result::Ok(Counter(start))
    }
    async fn value(&self) -> u32 {
        self.0
    }
    fn peek(&self) -> u32 {
        self.0
    }
}

#[sync_facade(timeout = 5)]
trait Service {
    async fn call(&self, x: u32) -> u32;
}

impl Service for Thing {
    async fn call(&self, x: u32) -> u32 {
        self.0 + x
    }
}

fn call_all(local_works: bool) {
    let counter = BlockingCounter::new(5).unwrap();
    ::std::assert_eq!(counter.value().unwrap(), 5);
    ::std::assert_eq!(::core::clone::Clone::clone(&counter).peek(), 5);
    ::std::assert_eq!(BlockingCounter::checked(6).unwrap().unwrap().into_async().0, 6);
    ::std::assert_eq!(BlockingService::blocking_call(&Thing(1), 2).unwrap(), 3);
    ::std::assert_eq!(blocking_shadowed(1).unwrap(), 2);
    ::std::assert_eq!(blocking_shadowed_flat(3).unwrap(), 3);
    ::std::assert_eq!(blocking_shadowed_local((1, 2)).is_ok(), local_works);
    ::std::assert_eq!(Thing(4).blocking_get().unwrap(), 4);
}

#[::core::prelude::v1::test]
fn shadowed_names_do_not_leak_into_twins() {
    call_all(true);
}

#[::core::prelude::v1::test]
fn shadowed_names_inside_runtimes() {
    let current = ::tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    current.block_on(async { call_all(false) });
    let multi = ::tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    multi.block_on(async { call_all(true) });
}

mod pattern_names {
    use ::sync_facade::sync_facade;

    /// Generated argument names do not clash with the user's, whatever they are called.
    #[sync_facade]
    pub async fn clash((__arg0, __arg1): (u32, u32), __arg2: u32, __sync_facade_future: u32) -> u32 {
        __arg0 + __arg1 + __arg2 + __sync_facade_future
    }

    #[::core::prelude::v1::test]
    fn generated_names_are_hygienic() {
        ::std::assert_eq!(blocking_clash((1, 2), 3, 4).unwrap(), 10);
    }
}
