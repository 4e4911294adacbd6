use sync_facade::sync_facade;

#[sync_facade(timout = 30)]
async fn load() {}

#[sync_facade(flaten)]
async fn load2() -> std::io::Result<()> {
    Ok(())
}

#[sync_facade(retries = 3)]
async fn load3() {}

fn main() {
    let _ = blocking_load();
    let _ = blocking_load2();
}
