use std::rc::Rc;
use sync_facade::sync_facade;
use tokio_stream::Stream;

// A stream that is not `Send`, without `local`: its twin could not poll it on another thread.
#[sync_facade]
async fn shared_rows(rows: Rc<Vec<u32>>) -> impl Stream<Item = u32> {
    tokio_stream::iter((0..rows.len()).map(move |i| rows[i]))
}

// A sync `fn` returning a stream that is not `Send`.
#[sync_facade]
fn local_rows(rows: Rc<Vec<u32>>) -> impl Stream<Item = u32> {
    tokio_stream::iter((0..rows.len()).map(move |i| rows[i]))
}

fn main() {
    let _ = blocking_shared_rows(Rc::new(vec![1]));
    let _ = blocking_local_rows(Rc::new(vec![1]));
}
