#[sync_facade(flatten, timeout = "250ms", strategy = in_place, name = load_now)]
pub(crate) async fn load(path: impl AsRef<str> + Send) -> Result<String, std::io::Error> {
    Ok(path.as_ref().to_owned())
}

#[sync_facade(local, flatten)]
#[cfg(unix)]
#[allow(clippy::needless_lifetimes)]
async unsafe fn read_local<const N: usize>(buf: [u8; N]) -> anyhow::Result<usize> {
    Ok(N)
}
