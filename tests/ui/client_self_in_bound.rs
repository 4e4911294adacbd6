// `Self` in a client method's bounds is the async type; an error about it points at the user's
// `Self`, not into generated code.
use sync_facade::sync_facade;

pub struct Store;

#[sync_facade(client = BlockingStore)]
impl Store {
    pub async fn run<F: FnOnce(&Self) -> u8 + Send>(&self, f: F) -> u8 {
        f(self)
    }
}

fn main() {
    let store = BlockingStore::from(Store);
    let _ = store.run(|s: &BlockingStore| { let _ = s; 1 });
}
