/// Saves artifacts.
#[sync_facade(timeout = "2m")]
pub trait ArtifactService {
    /// Saves one artifact.
    async fn save(&self, name: &str, bytes: &[u8]) -> io::Result<u64>;
}

/// Associated types, `-> Self`, a default `&self` method and an `impl Future` method.
#[sync_facade]
pub trait Connection: Sized {
    type Error;
    async fn open() -> Result<Self, Self::Error>;
    async fn ping(&self) -> u8 {
        self.id()
    }
    fn id(&self) -> u8;
    fn close(self) -> impl Future<Output = ()> + Send;
}
