/// Saves artifacts.
#[sync_facade(timeout = "2m")]
pub trait ArtifactService {
    /// Saves one artifact.
    async fn save(&self, name: &str, bytes: &[u8]) -> io::Result<u64>;
}
