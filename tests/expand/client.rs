/// A store.
#[sync_facade(client = BlockingStore, timeout = 30)]
impl Store {
    /// Opens a store.
    pub async fn open(root: PathBuf) -> io::Result<Self> {
        Ok(Store { root })
    }

    /// Saves bytes.
    pub async fn save(&self, name: &str, bytes: &[u8]) -> io::Result<u64> {
        Ok(0)
    }

    /// The root.
    pub fn root(&self) -> &Path {
        &self.root
    }
}
