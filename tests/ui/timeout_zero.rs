use sync_facade::sync_facade;

#[sync_facade(timeout = 0)]
async fn zero() {}

#[sync_facade(timeout = "0ms")]
async fn zero_string() {}

#[sync_facade(timeout = 0.0)]
async fn zero_float() {}

fn main() {}
