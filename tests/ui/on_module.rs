use sync_facade::sync_facade;

#[sync_facade]
mod io {
    pub async fn load() {}
}

fn main() {}
