// `-> Self` with `Sized` alone: a twin sends the value back across threads, so it needs
// `Self: Send`; an implementor that is not `Send` is told so where it calls the twin.
use std::rc::Rc;
use sync_facade::sync_facade;

#[sync_facade]
pub trait FromParts: Sized {
    async fn from_parts() -> Self;
}

struct Shared(Rc<u8>);

impl FromParts for Shared {
    async fn from_parts() -> Self {
        Shared(Rc::new(1))
    }
}

fn main() {
    let _ = Shared::blocking_from_parts();
}
