use sync_facade::sync_facade;

#[derive(Debug)]
pub struct MyError;

#[sync_facade(flatten)]
async fn load() -> Result<u32, MyError> {
    Ok(1)
}

#[sync_facade(flatten)]
async fn format() -> std::fmt::Result {
    Ok(())
}

fn main() {}
