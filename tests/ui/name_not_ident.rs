use sync_facade::sync_facade;

#[sync_facade(name = "load_blocking")]
async fn load() {}

#[sync_facade(name = fn)]
async fn load2() {}

#[sync_facade(name = a::b)]
async fn load3() {}

fn main() {}
