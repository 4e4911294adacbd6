use sync_facade::sync_facade;

pub struct Store;

#[sync_facade(client = Store)]
impl Store {
    pub async fn len(&self) -> usize {
        0
    }
}

fn main() {}
