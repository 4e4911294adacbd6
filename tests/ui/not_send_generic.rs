use sync_facade::sync_facade;

#[sync_facade]
async fn generic<T: AsRef<str>>(value: T) -> usize {
    value.as_ref().len()
}

fn main() {}
