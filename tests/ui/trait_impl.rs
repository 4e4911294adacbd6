use sync_facade::sync_facade;

trait Store {
    fn len(&self) -> usize;
}

struct Memory;

#[sync_facade]
impl Store for Memory {
    fn len(&self) -> usize {
        0
    }
}

fn main() {}
