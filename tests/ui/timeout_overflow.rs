use sync_facade::sync_facade;

#[sync_facade(timeout = 18446744073709551616)]
async fn overflow() {}

#[sync_facade(timeout = 1e30)]
async fn overflow_float() {}

#[sync_facade(timeout = "99999999999999999999h")]
async fn overflow_string() {}

fn main() {}
