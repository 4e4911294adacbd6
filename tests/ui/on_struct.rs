use sync_facade::sync_facade;

#[sync_facade]
pub struct Table {
    rows: usize,
}

fn main() {}
