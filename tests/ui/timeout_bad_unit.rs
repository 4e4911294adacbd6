use sync_facade::sync_facade;

#[sync_facade(timeout = "30 days")]
async fn days() {}

#[sync_facade(timeout = "5sec")]
async fn sec() {}

fn main() {}
