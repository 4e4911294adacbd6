use sync_facade::sync_facade;

#[sync_facade(= = ,, timeout)]
async fn load() -> u8 {
    1
}

fn main() {}
