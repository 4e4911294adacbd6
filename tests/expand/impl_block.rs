#[sync_facade(timeout = 5, flatten)]
impl<T: Clone + Send + Sync> Store<T> {
    /// Creates a store.
    pub async fn new(value: T) -> Self {
        Store { value }
    }

    pub async fn get(&self) -> Result<T, std::io::Error> {
        Ok(self.value.clone())
    }

    #[sync_facade(name = put_now, strategy = hosted)]
    pub async fn put(&mut self, value: T) {
        self.value = value;
    }

    pub async fn into_shared(self: std::sync::Arc<Self>) -> T {
        self.value.clone()
    }

    #[sync_facade(skip)]
    pub async fn skipped(&self) {}

    pub fn sync(&self) -> &T {
        &self.value
    }
}
