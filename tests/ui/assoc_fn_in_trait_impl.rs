use sync_facade::sync_facade;

pub trait Factory: Sized {
    async fn make(seed: u8) -> Self;
}

pub struct Widget<T>(T);

impl<T: From<u8> + Send> Factory for Widget<T>
where
    T: Clone,
{
    #[sync_facade(timeout = 5)]
    async fn make(seed: u8) -> Widget<T> {
        Widget(T::from(seed))
    }
}

fn main() {}
