use sync_facade::sync_facade;

struct Memory;

#[sync_facade(name = blocking_thing, skip)]
impl Memory {
    #[sync_facade(timeout = "1 fortnight")]
    async fn load(&self) -> usize {
        0
    }

    #[sync_facade(timeout = 5)]
    fn sync(&self) -> usize {
        0
    }
}

fn main() {
    let _ = Memory.blocking_load();
}
