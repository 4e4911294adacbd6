//! Recognising stream, reader and writer return types (`twin::bridge`).

use crate::twin::bridge::{recognize, Bridged, Kind};
use quote::quote;

fn rec(ty: &str) -> Option<Bridged> {
    recognize(Some(&ty.parse().unwrap()))
}

#[test]
fn recognises_streams_readers_and_writers() {
    let plain = |kind| Some(Bridged { kind, in_result: false });
    let ok = |kind| Some(Bridged { kind, in_result: true });
    assert_eq!(rec("impl Stream<Item = u32> + Send"), plain(Kind::Stream));
    assert_eq!(rec("impl futures::Stream<Item = Result<Row, E>> + Send + 'a"), plain(Kind::Stream));
    assert_eq!(rec("BoxStream<'static, u32>"), plain(Kind::Stream));
    assert_eq!(rec("std::pin::Pin<Box<dyn Stream<Item = u32> + Send>>"), plain(Kind::Stream));
    assert_eq!(rec("impl AsyncRead + Send + Unpin"), plain(Kind::Read));
    assert_eq!(rec("impl tokio::io::AsyncBufRead + Send"), plain(Kind::Read));
    assert_eq!(rec("Box<dyn AsyncWrite + Send + Unpin>"), plain(Kind::Write));
    assert_eq!(rec("io::Result<impl AsyncRead + Send>"), ok(Kind::Read));
    assert_eq!(rec("Result<impl Stream<Item = u8> + Send, MyError>"), ok(Kind::Stream));
    for not in [
        "Vec<u8>",
        "Result<Vec<u8>, E>",
        "impl AsyncRead + AsyncWrite + Send",
        "StreamConfig",
        "impl Future<Output = u8>",
        "Vec<impl Stream<Item = u8>>",
        "Option<BoxStream<'static, u8>>",
    ] {
        assert_eq!(rec(not), None, "{not}");
    }
    assert_eq!(recognize(None), None);
}

/// Token text without spaces (`> >` and `>>` print alike).
fn text(tokens: impl ToString) -> String {
    tokens.to_string().replace(' ', "")
}

#[test]
fn writes_the_blocking_type() {
    let b = Bridged { kind: Kind::Read, in_result: true };
    let ty = b.blocking_type(&"io::Result<impl AsyncRead + Send>".parse().unwrap(), false);
    assert_eq!(text(ty), text(quote!(io::Result<::sync_facade::BlockingRead<impl AsyncRead + Send>>)));
    let s = Bridged { kind: Kind::Stream, in_result: false };
    let ty = s.blocking_type(&"impl Stream<Item = u8>".parse().unwrap(), true);
    assert_eq!(text(ty), text(quote!(::sync_facade::LocalBlockingStream<impl Stream<Item = u8>>)));
    assert_eq!(
        b.marker(false, false).to_string(),
        quote!(::sync_facade::__private::InOk<::sync_facade::__private::AsRead>).to_string()
    );
    assert_eq!(b.marker(false, true).to_string(), quote!(::sync_facade::__private::AsRead).to_string());
}
