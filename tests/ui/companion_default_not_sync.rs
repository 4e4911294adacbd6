// A default `&self` method's future holds `&Self`, so it is `Send` only for a `Sync` implementor:
// as with async-trait, the method (and its twin) then needs `Self: Sync`.
use std::cell::Cell;
use sync_facade::sync_facade;

#[sync_facade]
pub trait Counter {
    async fn get(&self) -> u8 {
        1
    }
}

struct NotSync(Cell<u8>);

impl Counter for NotSync {}

fn main() {
    let _ = NotSync(Cell::new(0)).blocking_get();
}
