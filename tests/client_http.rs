//! A blocking client generated from a real async client type (`reqwest`), talking to a server this
//! test starts on loopback, used from every kind of calling context.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;
use sync_facade::sync_facade;

/// A tiny HTTP/1.1 server on loopback: `GET /path` answers the path, `POST /echo` echoes the body.
/// Serves on its own std thread until the process ends; one connection at a time is plenty.
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head_end, content_length) = loop {
                    let n = match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (i + 4, len);
                    }
                };
                while buf.len() < head_end + content_length {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let mut words = head.split_whitespace();
                let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
                let body = match method {
                    "POST" => buf[head_end..head_end + content_length].to_vec(),
                    _ => path.as_bytes().to_vec(),
                };
                let _ =
                    write!(stream, "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(&body);
            });
        }
    });
    format!("http://{addr}")
}

/// An async client over `reqwest`.
#[derive(Clone, Debug)]
pub struct Http {
    client: reqwest::Client,
    base: String,
}

#[sync_facade(client = BlockingHttp, timeout = 10)]
impl Http {
    /// A client for `base`.
    pub fn new(base: impl Into<String>) -> Self {
        Http { client: reqwest::Client::new(), base: base.into() }
    }

    /// A client for `base`, after checking the server answers.
    pub async fn connect(base: &str) -> Result<Self, reqwest::Error> {
        let http = Http::new(base);
        http.get("/ping").await?;
        Ok(http)
    }

    /// `GET path`, as text.
    pub async fn get(&self, path: &str) -> Result<String, reqwest::Error> {
        self.client.get(format!("{}{path}", self.base)).send().await?.error_for_status()?.text().await
    }

    /// `POST /echo`.
    pub async fn echo(&self, body: &[u8]) -> Result<Vec<u8>, reqwest::Error> {
        let response = self.client.post(format!("{}/echo", self.base)).body(body.to_vec()).send().await?;
        Ok(response.bytes().await?.to_vec())
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }
}

mod common;

use common::{Ctx, ALL};

#[test]
fn blocking_http_client_in_every_context() {
    let base = server();
    for &ctx in ALL {
        let url = base.clone();
        let (pong, echoed, root) = ctx.run(move || {
            let http: BlockingHttp = BlockingHttp::connect(&url).unwrap().unwrap();
            let pong = http.get("/hello").unwrap().unwrap();
            let echoed = http.echo(b"payload").unwrap().unwrap();
            (pong, echoed, http.base().to_owned())
        });
        assert_eq!(pong, "/hello", "{ctx:?}");
        assert_eq!(echoed, b"payload", "{ctx:?}");
        assert_eq!(root, base, "{ctx:?}");
    }
}

#[test]
fn client_made_in_a_runtime_is_used_after_that_runtime_is_gone() {
    let base = server();
    let http = {
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        let base = base.clone();
        // Made by the blocking constructor inside a `#[tokio::main]`-style runtime...
        rt.block_on(async move { BlockingHttp::connect(&base).unwrap().unwrap() })
    };
    // ...used from a plain thread once that runtime has been dropped. `reqwest::Client` holds no
    // runtime; each call's connection (the server closes them all, so none is pooled across the
    // runtimes) belongs to the runtime of the call that made it.
    assert_eq!(http.get("/after").unwrap().unwrap(), "/after");
    // The reverse: made from sync code, used inside tasks of both flavors, dropped there.
    for ctx in [Ctx::CurrentThreadTask, Ctx::MultiThreadTask, Ctx::SpawnBlockingCurrentThread] {
        let http = http.clone();
        let got = ctx.run(move || {
            let got = http.get("/inside").unwrap().unwrap();
            drop(http);
            got
        });
        assert_eq!(got, "/inside", "{ctx:?}");
    }
}

#[test]
fn a_sync_constructor_gives_the_blocking_client() {
    let base = server();
    let http: BlockingHttp = BlockingHttp::new(base.clone());
    assert_eq!(http.get("/sync-new").unwrap().unwrap(), "/sync-new");
    let timeout_or_ok = Call::new("raw").timeout(Duration::from_secs(10)).block_on(http.as_async().get("/raw"));
    assert_eq!(timeout_or_ok.unwrap().unwrap(), "/raw");
}

use sync_facade::Call;
