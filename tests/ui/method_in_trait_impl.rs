use sync_facade::sync_facade;

pub trait Service {
    async fn load(&self) -> u8;
}

struct Memory;

impl Service for Memory {
    #[sync_facade]
    async fn load(&self) -> u8 {
        1
    }
}

fn main() {}
