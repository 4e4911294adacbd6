use sync_facade::sync_facade;

#[sync_facade(timeout = 30, local, timeout = "1s")]
async fn load() {}

fn main() {
    let _ = blocking_load();
}
