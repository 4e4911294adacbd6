use std::sync::Arc;
use sync_facade::sync_facade;

pub struct Store;

// The client owns a `Store`, not an `Arc<Store>`: it cannot call this method.
#[sync_facade(client = BlockingStore)]
impl Store {
    pub async fn shared(self: Arc<Self>) -> usize {
        0
    }
}

fn main() {}
