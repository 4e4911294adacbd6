use sync_facade::sync_facade;

#[sync_facade(client = BlockingLoad)]
pub async fn load() -> usize {
    1
}

fn main() {}
