#[sync_facade(timout = 30, timeout = 0, flatten)]
async fn load() -> usize {
    1
}

#[sync_facade]
impl Store for Memory {
    #[sync_facade(local)]
    async fn get(&self) {}
}
