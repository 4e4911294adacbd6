/// Loads a table.
pub async fn load<'a, T: AsRef<str> + Send>(
    path: &'a str,
    (a, b): (u32, u32),
    mut retries: u8,
    _: T,
) -> std::io::Result<&'a str> {
    retries += a + b;
    Ok(path)
}
/// Loads a table.
///
/// Blocking twin of [`load`]: runs it to completion from sync code, in any calling context.
/// Times out (cancelling the future) after 30s.
#[inline]
pub fn blocking_load<'a, T: AsRef<str> + Send>(
    path: &'a str,
    __arg1: (u32, u32),
    retries: u8,
    __arg3: T,
) -> ::core::result::Result<std::io::Result<&'a str>, ::sync_facade::Error> {
    #[allow(deprecated)]
    let __sync_facade_future = load::<T>(path, __arg1, retries, __arg3);
    ::sync_facade::__private::block_on(
        ::sync_facade::__private::Call::new("load")
            .timeout(::core::time::Duration::new(30u64, 0u32)),
        __sync_facade_future,
    )
}
