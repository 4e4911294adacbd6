use sync_facade::sync_facade;

#[sync_facade(timeout = "soon")]
async fn words() {}

#[sync_facade(timeout = "30")]
async fn no_unit() {}

#[sync_facade(timeout = thirty)]
async fn ident() {}

#[sync_facade(timeout)]
async fn missing() {}

#[sync_facade(timeout = 30s)]
async fn suffix() {}

fn main() {}
