use sync_facade::sync_facade;

pub struct Store;

// A blocking client can return `Self`, `Result<Self, E>` or `Option<Self>`, not a `Vec<Self>`.
#[sync_facade(client = BlockingStore)]
impl Store {
    pub async fn many() -> Vec<Self> {
        Vec::new()
    }
}

fn main() {}
