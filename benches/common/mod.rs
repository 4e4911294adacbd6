//! What the benchmarks share (each bench includes this file with `mod common;`).

use std::sync::OnceLock;
use tokio::runtime::{Builder, Runtime};

/// The shared multi_thread runtime (2 workers) the alternatives run on.
pub fn mt() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap())
}

/// The median (the mean of the two middle values for an even count); sorts `v`.
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}
