use std::rc::Rc;
use sync_facade::sync_facade;

async fn tick() {}

#[sync_facade]
async fn holds_rc(x: u32) -> u32 {
    let shared = Rc::new(x);
    tick().await;
    *shared
}

fn main() {
    let _ = blocking_holds_rc(1);
}
