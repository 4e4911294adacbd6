use std::future::Future;
use sync_facade::sync_facade;

#[sync_facade]
pub trait Service {
    fn load(&self) -> impl Future<Output = u8>;
}

fn main() {}
