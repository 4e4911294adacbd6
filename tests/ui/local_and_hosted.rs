use sync_facade::sync_facade;

#[sync_facade(local, strategy = hosted)]
async fn load() {}

#[sync_facade(strategy = hostd)]
async fn load2() {}

#[sync_facade(flatten = true)]
async fn load3() -> std::io::Result<()> {
    Ok(())
}

fn main() {
    let _ = blocking_load();
}
