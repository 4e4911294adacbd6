use sync_facade::sync_facade;

#[sync_facade]
pub fn load(path: &str) -> usize {
    path.len()
}

fn main() {}
