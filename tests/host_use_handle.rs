//! Replacing the host with the application's own runtime (its own test binary).

use sync_facade::host;

#[test]
fn application_runtime_hosts_the_calls_and_its_shutdown_is_reported() {
    let app = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("the-app")
        .enable_all()
        .build()
        .unwrap();
    host::use_handle(app.handle().clone()).unwrap();
    let ct = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let name = ct
        .block_on(async { sync_facade::block_on(async { std::thread::current().name().map(str::to_owned) }).unwrap() });
    assert_eq!(name.as_deref(), Some("the-app"));

    // Once the application's runtime is gone, hosted calls fail instead of hanging.
    app.shutdown_background();
    let err = ct.block_on(async { sync_facade::block_on(async { 1 }).unwrap_err() });
    assert_eq!(err.kind(), sync_facade::ErrorKind::HostShutdown, "{err}");
}
