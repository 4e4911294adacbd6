//! `flatten` into error types this crate cannot implement `From<sync_facade::Error>` for (the
//! orphan rule forbids it for a foreign type): `flatten = convert` names the conversion, a
//! function or a closure `FnOnce(sync_facade::Error) -> E`, on a free function, an `impl` block,
//! a client and a trait method.

use std::time::Duration;
use sync_facade::sync_facade;

async fn slow() {
    tokio::time::sleep(Duration::from_secs(30)).await;
}

/// A foreign error type without `From<sync_facade::Error>` and without anything to hold one.
fn fmt_error(_: sync_facade::Error) -> std::fmt::Error {
    std::fmt::Error
}

#[sync_facade(flatten = fmt_error, timeout = "20ms")]
async fn format_slowly() -> std::fmt::Result {
    slow().await;
    Ok(())
}

#[sync_facade(flatten = fmt_error)]
async fn format_now() -> std::fmt::Result {
    Ok(())
}

/// A foreign error type with `From<std::io::Error>` (as sqlx's has): fold through `io::Error`.
#[sync_facade(flatten = |e| csv_async::Error::from(std::io::Error::from(e)), timeout = "20ms")]
async fn parse_slowly() -> Result<u8, csv_async::Error> {
    slow().await;
    Ok(1)
}

#[sync_facade(local, flatten = fmt_error, timeout = "20ms")]
async fn local_slowly() -> std::fmt::Result {
    let not_send = std::rc::Rc::new(());
    slow().await;
    drop(not_send);
    Ok(())
}

#[test]
fn free_functions() {
    assert_eq!(blocking_format_slowly(), Err(std::fmt::Error));
    assert_eq!(blocking_format_now(), Ok(()));
    let err = blocking_parse_slowly().unwrap_err();
    match err.kind() {
        csv_async::ErrorKind::Io(io) => assert_eq!(io.kind(), std::io::ErrorKind::TimedOut),
        other => panic!("expected the timeout as an io error, got {other:?}"),
    }
    assert_eq!(blocking_local_slowly(), Err(std::fmt::Error));
}

#[derive(Clone, Debug)]
pub struct Formatter;

/// On a block: methods returning a `Result` fold with the block's conversion; a method's own
/// `flatten` wins.
#[sync_facade(flatten = fmt_error, timeout = "20ms")]
impl Formatter {
    pub async fn slowly(&self) -> std::fmt::Result {
        slow().await;
        Ok(())
    }
    pub async fn count(&self) -> u8 {
        3
    }
    #[sync_facade(flatten)]
    pub async fn io_slowly(&self) -> std::io::Result<()> {
        slow().await;
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub struct Parser;

#[sync_facade(client = BlockingParser, timeout = "20ms")]
impl Parser {
    pub async fn new() -> Result<Self, std::fmt::Error> {
        Ok(Parser)
    }
    #[sync_facade(flatten = fmt_error)]
    pub async fn open() -> Result<Self, std::fmt::Error> {
        Ok(Parser)
    }
    #[sync_facade(flatten = fmt_error)]
    pub async fn slowly(&self) -> std::fmt::Result {
        slow().await;
        Ok(())
    }
}

#[sync_facade(timeout = "20ms")]
pub trait Service {
    #[sync_facade(flatten = |e| csv_async::Error::from(std::io::Error::from(e)))]
    async fn parse(&self) -> Result<u8, csv_async::Error>;
}

impl Service for Parser {
    async fn parse(&self) -> Result<u8, csv_async::Error> {
        slow().await;
        Ok(2)
    }
}

#[test]
fn methods_clients_traits() {
    assert_eq!(Formatter.blocking_slowly(), Err(std::fmt::Error));
    assert_eq!(Formatter.blocking_count().unwrap(), 3);
    assert_eq!(Formatter.blocking_io_slowly().unwrap_err().kind(), std::io::ErrorKind::TimedOut);
    let client: BlockingParser = BlockingParser::open().unwrap();
    assert!(BlockingParser::new().unwrap().is_ok());
    assert_eq!(client.slowly(), Err(std::fmt::Error));
    assert!(Parser.blocking_parse().unwrap_err().is_io_error());
}
