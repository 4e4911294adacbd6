use sync_facade::sync_facade;

// On a trait the attribute makes a blocking companion trait; `client` is for `impl` blocks.
#[sync_facade(client = BlockingStore)]
pub trait Store {
    async fn load(&self) -> usize;
}

fn main() {}
