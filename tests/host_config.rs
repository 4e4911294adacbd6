//! Configuring the host before first use (its own test binary: the host is process-wide).

use sync_facade::host::{self, HostConfig};
use sync_facade::{Call, Strategy};

#[test]
fn configured_host_names_its_threads_and_starts_lazily() {
    assert!(!host::is_started(), "nothing has used the host yet");
    host::configure(HostConfig::new().worker_threads(3).thread_name("my-app-facade")).unwrap();
    assert!(!host::is_started(), "configuring does not start it");
    let name = Call::new("where")
        .strategy(Strategy::Hosted)
        .block_on(async { std::thread::current().name().map(str::to_owned) })
        .unwrap();
    assert_eq!(name.as_deref(), Some("my-app-facade"));
    assert!(host::is_started());
}
