use sync_facade::sync_facade;

#[sync_facade(timeout = 5)]
const LIMIT: usize = 5;

fn main() {}
