pub(crate) async fn load(
    path: impl AsRef<str> + Send,
) -> Result<String, std::io::Error> {
    Ok(path.as_ref().to_owned())
}
/// Blocking twin of [`load`]: runs it to completion from sync code, in any calling context.
/// Times out (cancelling the future) after 250ms.
#[inline]
pub(crate) fn load_now(path: impl AsRef<str> + Send) -> Result<String, std::io::Error> {
    #[allow(deprecated)]
    let __sync_facade_future = load(path);
    ::sync_facade::__private::block_on_flatten(
        ::sync_facade::__private::Call::new("load")
            .timeout(::core::time::Duration::new(0u64, 250000000u32))
            .strategy(::sync_facade::__private::Strategy::InPlace),
        __sync_facade_future,
    )
}
#[cfg(unix)]
#[allow(clippy::needless_lifetimes)]
async unsafe fn read_local<const N: usize>(buf: [u8; N]) -> anyhow::Result<usize> {
    Ok(N)
}
/// Blocking twin of [`read_local`]: runs it to completion from sync code, in any calling context.
#[cfg(unix)]
#[allow(clippy::needless_lifetimes)]
#[inline]
unsafe fn blocking_read_local<const N: usize>(buf: [u8; N]) -> anyhow::Result<usize> {
    #[allow(deprecated)]
    let __sync_facade_future = unsafe { read_local::<N>(buf) };
    ::sync_facade::__private::block_on_local_flatten(
        ::sync_facade::__private::Call::new("read_local"),
        __sync_facade_future,
    )
}
