use sync_facade::sync_facade;

trait Service {
    async fn call(&self) -> u8;
}

struct Memory;

#[sync_facade(client = BlockingMemory)]
impl Service for Memory {
    async fn call(&self) -> u8 {
        0
    }
}

fn main() {}
