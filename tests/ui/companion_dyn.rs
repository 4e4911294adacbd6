// async-trait's `test_dyn_compatible_*`: refused. A trait whose `async fn`s return `impl Future`
// is not dyn compatible; use the trait through generics (`&impl Service`), or keep a
// `#[sync_facade]`-free object-safe trait for `dyn` use.
use sync_facade::sync_facade;

#[sync_facade]
pub trait Service {
    async fn f(&self) -> u8;
}

struct Memory;

impl Service for Memory {
    async fn f(&self) -> u8 {
        1
    }
}

fn main() {
    let object = &Memory as &dyn Service;
    let _ = object;
}
