use sync_facade::sync_facade;

#[sync_facade(flatten)]
async fn count() -> usize {
    1
}

#[sync_facade(flatten)]
async fn nothing() {}

fn main() {
    let _: usize = blocking_count().unwrap();
}
