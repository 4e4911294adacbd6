//! Tests of the `agent` example: the async loop calls sync tools and callbacks on both runtime
//! flavors, and every upload and tool result is persisted.

#[path = "../examples/agent/lib.rs"]
mod agent;
#[path = "../examples/artifacts/lib.rs"]
mod artifacts;
#[path = "../examples/ds_tools/lib.rs"]
mod ds_tools;

use artifacts::{ArtifactStore, ToolContext};
use std::path::PathBuf;

fn run(flavor: &str) {
    let root = std::env::temp_dir().join(format!("sync-facade-agent-test-{flavor}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = manifest.join("examples/data/penguins.csv");
    let uploads = [data.clone(), manifest.join("examples/data/README.md")];
    let plan = agent::default_plan(&data, &uploads);
    let rt = match flavor {
        "current_thread" => tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap(),
        _ => tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap(),
    };
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    let report = rt.block_on(agent::run_agent(ctx.clone(), plan)).unwrap();

    // 2 uploads + 5 tool calls, each saved once, each read back by the run itself.
    assert_eq!(report.saved.len(), 7, "{:#?}", report.transcript);
    let names: Vec<(&str, Vec<u64>)> = report.listing.iter().map(|a| (a.name.as_str(), a.versions.clone())).collect();
    assert_eq!(
        names,
        [
            ("tool-describe.txt", vec![1, 2, 3]),
            ("tool-head.txt", vec![1]),
            ("tool-shape.txt", vec![1]),
            ("upload-README.md", vec![1]),
            ("upload-penguins.csv", vec![1]),
        ]
    );
    assert_eq!(ctx.blocking_load_artifact("upload-penguins.csv", None).unwrap(), std::fs::read(&data).unwrap());
    assert_eq!(ctx.blocking_load_artifact("tool-shape.txt", None).unwrap(), b"ok\n(344, 8)\n");
    // The failing tool call is a result too: its error is persisted.
    let describes: Vec<String> = (1..=3)
        .map(|v| String::from_utf8(ctx.blocking_load_artifact("tool-describe.txt", Some(v)).unwrap()).unwrap())
        .collect();
    assert_eq!(describes.iter().filter(|d| d.starts_with("error\n") && d.contains("not numeric")).count(), 1);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn agent_on_a_current_thread_runtime() {
    run("current_thread");
}

#[test]
fn agent_on_a_multi_thread_runtime() {
    run("multi_thread");
}

#[test]
fn a_missing_upload_is_an_error() {
    let root = std::env::temp_dir().join(format!("sync-facade-agent-test-missing-{}", std::process::id()));
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    let err = agent::on_upload(&ctx, &PathBuf::from("/no/such/upload.txt")).unwrap_err();
    assert!(err.to_string().contains("/no/such/upload.txt"), "{err}");
    assert!(!root.exists());
}
