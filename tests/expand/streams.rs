/// The rows of a table, as a stream.
#[sync_facade(timeout = 30)]
pub async fn rows(path: &str) -> impl Stream<Item = Row> + Send + '_ {
    open(path).await
}

/// A sync `fn` returning a stream: its twin wraps the stream it returns.
#[sync_facade(timeout = 5)]
pub fn events(topic: String) -> BoxStream<'static, Event> {
    subscribe(topic)
}

/// A reader inside an `io::Result`, flattened.
#[sync_facade(flatten)]
pub async fn open_reader(path: PathBuf) -> io::Result<impl AsyncRead + Send + Unpin> {
    tokio::fs::File::open(path).await
}

#[sync_facade(local)]
pub async fn local_writer() -> Pin<Box<dyn AsyncWrite>> {
    make_writer()
}

#[sync_facade(client = BlockingDb, timeout = 10)]
impl Db {
    pub async fn fetch(&self, query: &str) -> Result<impl Stream<Item = Row> + Send + '_, DbError> {
        self.run(query).await
    }
    pub fn changes(&self) -> Pin<Box<dyn Stream<Item = Change> + Send + '_>> {
        self.watch()
    }
}

#[sync_facade(timeout = 10)]
impl Store {
    pub fn keys(&self) -> impl Stream<Item = String> + Send + '_ {
        self.scan()
    }
}

#[sync_facade]
pub trait Feed {
    async fn items(&self, since: u64) -> BoxStream<'static, Item>;
    fn live(&self) -> BoxStream<'_, Item>;
}

#[sync_facade(flatten = to_db_error)]
pub async fn dump(table: &str) -> Result<impl AsyncRead + Send + Unpin, DbError> {
    open_dump(table).await
}
