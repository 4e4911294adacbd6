use sync_facade::sync_facade;

#[sync_facade(timeout = 5 local)]
async fn missing_comma() {}

#[sync_facade("fast")]
async fn literal_option() {}

#[sync_facade(skip)]
async fn skip_on_free_fn() {}

fn main() {}
