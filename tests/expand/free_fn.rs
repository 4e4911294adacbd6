/// Loads a table.
#[sync_facade(timeout = 30)]
pub async fn load<'a, T: AsRef<str> + Send>(path: &'a str, (a, b): (u32, u32), mut retries: u8, _: T) -> std::io::Result<&'a str> {
    retries += a + b;
    Ok(path)
}
