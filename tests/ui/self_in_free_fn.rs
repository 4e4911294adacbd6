use sync_facade::sync_facade;

#[sync_facade]
async fn len(&self) -> usize {
    0
}

fn main() {}
