use sync_facade::sync_facade;

#[sync_facade(timeout = -5)]
async fn negative() {}

#[sync_facade(timeout = -0.5)]
async fn negative_float() {}

#[sync_facade(timeout = "-3s")]
async fn negative_string() {}

fn main() {}
