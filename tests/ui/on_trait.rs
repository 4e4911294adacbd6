use sync_facade::sync_facade;

#[sync_facade]
pub trait Store {
    async fn load(&self) -> usize;
}

fn main() {}
