use sync_facade::sync_facade;
use tokio::io::{AsyncRead, AsyncWrite};

// `AsyncRead + AsyncWrite` has no single blocking side: the twin returns the value as it is, so
// using it as `std::io::Read` is an error that names the type.
#[sync_facade]
async fn duplex() -> impl AsyncRead + AsyncWrite + Send + Unpin {
    tokio::io::duplex(64).0
}

fn main() {
    let mut both = blocking_duplex().unwrap();
    let mut buf = [0u8; 4];
    let _ = std::io::Read::read(&mut both, &mut buf);
}
