//! Tests of the `artifacts` example's store: no lost work under heavy concurrency from every
//! calling context, kill-safety under timeouts, rejected names and versions, the generator.

#[path = "../examples/artifacts/lib.rs"]
mod artifacts;
#[path = "../examples/ds_tools/lib.rs"]
mod ds_tools;
#[path = "../examples/artifacts/report.rs"]
mod report;

use artifacts::{ArtifactError, ArtifactStore, StoreOptions, ToolContext};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn fresh_store(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sync-facade-artifacts-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Every file of the store: `(name, version)` -> bytes; panics on a leftover temp file or any
/// other stray entry.
fn on_disk(root: &Path) -> HashMap<(String, u64), Vec<u8>> {
    let mut out = HashMap::new();
    let Ok(names) = std::fs::read_dir(root) else {
        return out;
    };
    for name in names {
        let name = name.unwrap();
        let name_str = name.file_name().into_string().unwrap();
        for file in std::fs::read_dir(name.path()).unwrap() {
            let file = file.unwrap().file_name().into_string().unwrap();
            assert!(!file.starts_with(".tmp"), "temp file left behind: {name_str}/{file}");
            let version: u64 =
                file.strip_prefix('v').and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("stray {file}"));
            let bytes = std::fs::read(name.path().join(&file)).unwrap();
            out.insert((name_str.clone(), version), bytes);
        }
    }
    out
}

/// Asserts the versions of every name are exactly 1..=n.
fn assert_contiguous(files: &HashMap<(String, u64), Vec<u8>>) -> HashMap<String, u64> {
    let mut by_name: HashMap<String, Vec<u64>> = HashMap::new();
    for (name, version) in files.keys() {
        by_name.entry(name.clone()).or_default().push(*version);
    }
    by_name
        .into_iter()
        .map(|(name, mut versions)| {
            versions.sort_unstable();
            let n = versions.len() as u64;
            assert_eq!(versions, (1..=n).collect::<Vec<_>>(), "versions of {name} have gaps or duplicates");
            (name, n)
        })
        .collect()
}

/// An acknowledged save: `(name, version, payload)`.
type Ack = (String, u64, Vec<u8>);

const NAMES: [&str; 4] = ["alpha", "beta.json", "gamma-report.md", "delta_1"];

/// The lost-work regression: 10,000 saves through the blocking twin, issued concurrently from
/// current_thread tasks, multi_thread tasks, `spawn_blocking` and plain threads. Every save must
/// land under its own version, versions must be 1..=n per name, and no temp file may remain.
#[test]
fn ten_thousand_concurrent_saves_lose_nothing() {
    const PER_CONTEXT: usize = 2_500;
    const TASKS: usize = 50;
    let root = fresh_store("lost-work");
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    // (name, version, payload) of every acknowledged save.
    let acks: Arc<Mutex<Vec<Ack>>> = Arc::default();
    let started = Instant::now();

    // The sync callback: what tools call. It saves through the blocking twin.
    let callback = {
        let (ctx, acks) = (ctx.clone(), acks.clone());
        move |context: &str, i: usize| {
            let name = NAMES[i % NAMES.len()];
            let payload = format!("{context} save {i}\n{}", "x".repeat(i % 97)).into_bytes();
            let version = ctx.blocking_save_artifact(name, payload.clone()).expect("save");
            acks.lock().unwrap().push((name.to_string(), version, payload));
        }
    };

    let mut threads = Vec::new();
    // current_thread runtime: TASKS tasks, each calling the sync callback in a loop.
    let cb = callback.clone();
    threads.push(std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let tasks: Vec<_> = (0..TASKS)
                .map(|t| {
                    let cb = cb.clone();
                    tokio::spawn(async move {
                        for j in 0..PER_CONTEXT / TASKS {
                            cb("current_thread", t * 1000 + j);
                            tokio::task::yield_now().await;
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        });
    }));
    // multi_thread runtime: tasks on the workers, and spawn_blocking closures.
    for blocking in [false, true] {
        let cb = callback.clone();
        threads.push(std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async {
                let tasks: Vec<_> = (0..TASKS)
                    .map(|t| {
                        let cb = cb.clone();
                        if blocking {
                            tokio::task::spawn_blocking(move || {
                                for j in 0..PER_CONTEXT / TASKS {
                                    cb("spawn_blocking", t * 1000 + j);
                                }
                            })
                        } else {
                            tokio::spawn(async move {
                                for j in 0..PER_CONTEXT / TASKS {
                                    cb("multi_thread", t * 1000 + j);
                                    tokio::task::yield_now().await;
                                }
                            })
                        }
                    })
                    .collect();
                for t in tasks {
                    t.await.unwrap();
                }
            });
        }));
    }
    // Plain threads.
    for t in 0..4 {
        let cb = callback.clone();
        threads.push(std::thread::spawn(move || {
            for j in 0..PER_CONTEXT / 4 {
                cb("thread", t * 1000 + j);
            }
        }));
    }
    for t in threads {
        t.join().unwrap();
    }
    ctx.blocking_wait_idle().unwrap();
    let elapsed = started.elapsed();

    let acks = acks.lock().unwrap();
    assert_eq!(acks.len(), 10_000);
    let files = on_disk(&root);
    assert_eq!(files.len(), 10_000, "every save is on disk, each under its own version");
    let counts = assert_contiguous(&files);
    assert_eq!(counts.values().sum::<u64>(), 10_000);
    let mut seen = HashSet::new();
    for (name, version, payload) in acks.iter() {
        assert!(seen.insert((name.clone(), *version)), "version {version} of {name} acknowledged twice");
        assert_eq!(&files[&(name.clone(), *version)], payload, "{name} v{version} holds another save's bytes");
    }
    assert_eq!(ctx.saved().len(), 10_000);
    eprintln!("10,000 saves in {elapsed:?}, checked in {:?}", started.elapsed() - elapsed);
    let t = Instant::now();
    std::fs::remove_dir_all(&root).unwrap();
    eprintln!("removed in {:?}", t.elapsed());
}

/// A save interrupted by a timeout (a hook delays between write and commit) leaves nothing:
/// no version, no temp file. With a long enough timeout the same save commits completely.
#[test]
fn a_save_interrupted_by_a_timeout_leaves_nothing() {
    let root = fresh_store("interrupted");
    let options = StoreOptions { fsync: true, commit_delay: Duration::from_millis(300) };
    let ctx = ToolContext::new(ArtifactStore::with_options(&root, options));
    let payload = vec![7u8; 1 << 20];
    let quick = sync_facade::Call::new("save_artifact").timeout(Duration::from_millis(20));
    let err = quick.block_on(ctx.save_artifact("model.bin", payload.clone())).unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    ctx.blocking_wait_idle().unwrap();
    let files = on_disk(&root);
    assert!(files.is_empty(), "a cancelled save left {:?}", files.keys().collect::<Vec<_>>());
    assert!(matches!(ctx.blocking_load_artifact("model.bin", None), Err(ArtifactError::NotFound { .. })));

    // The same from inside a current_thread runtime (the hosted strategy).
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let c = ctx.clone();
    let p = payload.clone();
    let err = rt.block_on(async move { quick.block_on(c.save_artifact("model.bin", p)) }).unwrap_err();
    assert!(err.is_timeout());
    ctx.blocking_wait_idle().unwrap();
    assert!(on_disk(&root).is_empty());

    // Given time, the save commits: the whole payload, as version 1.
    assert_eq!(ctx.blocking_save_artifact("model.bin", payload.clone()).unwrap(), 1);
    let files = on_disk(&root);
    assert_eq!(files.len(), 1);
    assert_eq!(files[&("model.bin".to_string(), 1)], payload);
    std::fs::remove_dir_all(&root).unwrap();
}

/// Many saves cut by tiny timeouts at arbitrary points: each one either committed completely
/// or left nothing, versions stay 1..=n, no temp file remains.
#[test]
fn saves_cut_at_random_points_are_all_or_nothing() {
    let root = fresh_store("random-cuts");
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                let mut timeouts = 0;
                for i in 0..60u64 {
                    // 0..=20 ms: cuts before the open, during the write, the fsync, the commit...
                    let timeout = Duration::from_micros((t * 7919 + i * 104_729) % 20_001);
                    let payload = format!("{t}:{i}:").repeat(2_000).into_bytes();
                    let call = sync_facade::Call::new("save_artifact").timeout(timeout);
                    match call.block_on(ctx.save_artifact("cut", payload)) {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => panic!("save failed: {e}"),
                        Err(e) => {
                            assert!(e.is_timeout());
                            timeouts += 1;
                        }
                    }
                }
                timeouts
            })
        })
        .collect();
    let timeouts: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    ctx.blocking_wait_idle().unwrap();
    let files = on_disk(&root);
    assert_contiguous(&files);
    for bytes in files.values() {
        // A complete payload is one `t:i:` unit repeated 2,000 times.
        let text = std::str::from_utf8(bytes).unwrap();
        let unit_len = text.match_indices(':').nth(1).map(|(i, _)| i + 1).unwrap();
        assert_eq!(text.len(), unit_len * 2_000, "a partial version");
        assert_eq!(text, text[..unit_len].repeat(2_000));
    }
    eprintln!("{} of 240 saves timed out; {} versions committed", timeouts, files.len());
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn bad_names_are_rejected_without_writing() {
    let root = fresh_store("bad-names");
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    for name in ["", "a/b", "/etc/passwd", "..", "../escape", "a..b", ".hidden", ".", "a\\b", "spa ce", "nul\0"] {
        let err = ctx.blocking_save_artifact(name, b"x".to_vec()).unwrap_err();
        assert!(matches!(err, ArtifactError::InvalidName { .. }), "{name:?}: {err:?}");
        assert!(err.to_string().contains("invalid artifact name"), "{err}");
        assert!(matches!(ctx.blocking_load_artifact(name, None), Err(ArtifactError::InvalidName { .. })));
    }
    assert!(!root.exists(), "nothing may be written for a rejected name");
    assert!(!root.parent().unwrap().join("escape").exists());
}

#[test]
fn missing_names_and_versions_are_errors() {
    let root = fresh_store("versions");
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    assert!(matches!(ctx.blocking_load_artifact("nothing", None), Err(ArtifactError::NotFound { .. })));
    assert_eq!(ctx.blocking_save_artifact("notes", b"one".to_vec()).unwrap(), 1);
    assert_eq!(ctx.blocking_save_artifact("notes", b"two".to_vec()).unwrap(), 2);
    assert_eq!(ctx.blocking_load_artifact("notes", None).unwrap(), b"two");
    assert_eq!(ctx.blocking_load_artifact("notes", Some(1)).unwrap(), b"one");
    for v in [0, 3, 99] {
        let err = ctx.blocking_load_artifact("notes", Some(v)).unwrap_err();
        assert!(matches!(err, ArtifactError::VersionNotFound { version, latest: 2, .. } if version == v), "{err:?}");
        assert!(err.to_string().contains("no version"), "{err}");
    }
    let list = ctx.blocking_list_artifacts().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].name.as_str(), list[0].versions.as_slice(), list[0].latest_size), ("notes", &[1, 2][..], 3));
    // A second store on the same directory (another process, say) continues the numbering.
    let other = ToolContext::new(ArtifactStore::new(&root));
    assert_eq!(other.blocking_save_artifact("notes", b"three".to_vec()).unwrap(), 3);
    assert_eq!(
        ctx.blocking_save_artifact("notes", b"four".to_vec()).unwrap(),
        4,
        "retries past a version taken elsewhere"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn generator_saves_report_summary_and_csv() {
    let root = fresh_store("generate");
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/penguins.csv");
    let saved = report::generate(&ctx, &data).unwrap();
    let names: Vec<&str> = saved.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["penguins-report.md", "penguins-summary.json", "penguins-describe.csv"]);
    assert!(saved.iter().all(|s| s.version == 1));
    let md = String::from_utf8(ctx.blocking_load_artifact("penguins-report.md", None).unwrap()).unwrap();
    assert!(md.contains("344 rows, 8 columns") && md.contains("| bill_length_mm | 342.000000 | 43.921930 |"), "{md}");
    let json = String::from_utf8(ctx.blocking_load_artifact("penguins-summary.json", None).unwrap()).unwrap();
    assert!(json.contains("\"rows\": 344") && json.contains("\"top\": \"Adelie\""), "{json}");
    let csv = String::from_utf8(ctx.blocking_load_artifact("penguins-describe.csv", None).unwrap()).unwrap();
    assert_eq!(csv.lines().count(), 9);
    // From inside a multi_thread task, generating again makes version 2 of each.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let again = rt.block_on(async move { tokio::spawn(async move { report::generate(&ctx, &data) }).await.unwrap() });
    assert!(again.unwrap().iter().all(|s| s.version == 2));
    std::fs::remove_dir_all(&root).unwrap();
}

/// What a killed process leaves (a temp file) is never listed or loaded, and can be swept.
#[test]
fn temp_files_of_killed_saves_are_invisible_and_swept() {
    let root = fresh_store("stale");
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    assert_eq!(ctx.blocking_save_artifact("log", b"complete".to_vec()).unwrap(), 1);
    std::fs::write(root.join("log/.tmp-999999-0"), b"half writ").unwrap();
    assert_eq!(ctx.blocking_list_artifacts().unwrap()[0].versions, [1]);
    assert_eq!(ctx.blocking_load_artifact("log", None).unwrap(), b"complete");
    assert_eq!(ctx.blocking_save_artifact("log", b"next".to_vec()).unwrap(), 2);
    assert_eq!(ctx.blocking_remove_stale_temp_files(Duration::from_secs(3600)).unwrap(), 0, "too recent");
    assert_eq!(ctx.blocking_remove_stale_temp_files(Duration::ZERO).unwrap(), 1);
    assert_eq!(on_disk(&root).len(), 2);
    std::fs::remove_dir_all(&root).unwrap();
}

/// Sync callers read an artifact through `std::io::Read` without loading it whole: a 24 MiB
/// artifact read back in every kind of context (each read is one blocking call), bytes checked;
/// names and versions that do not exist are the same errors as for `load`.
#[test]
fn artifact_reader_streams_a_large_artifact_from_every_context() {
    use std::io::{BufRead, Read};
    let root = fresh_store("reader");
    let ctx = ToolContext::new(ArtifactStore::new(&root));
    let big: Vec<u8> = (0..24 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    assert_eq!(ctx.blocking_save_artifact("model.bin", big.clone()).unwrap(), 1);
    assert_eq!(ctx.blocking_save_artifact("notes", b"line one\nline two\n".to_vec()).unwrap(), 1);

    let read_all = {
        let ctx = ctx.clone();
        move || {
            let mut reader = ctx.blocking_open_artifact("model.bin", None).unwrap();
            // A small read goes through the reader's buffer, which holds no more than 64 KiB.
            let mut first = [0u8; 10];
            reader.read_exact(&mut first).unwrap();
            assert!(reader.fill_buf().unwrap().len() < 64 * 1024);
            let mut rest = Vec::new();
            reader.read_to_end(&mut rest).unwrap();
            [&first[..], &rest].concat()
        }
    };
    assert!(read_all() == big, "plain thread");
    let ct = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let from_ct = ct.block_on({
        let read_all = read_all.clone();
        async move { tokio::spawn(async move { read_all() }).await.unwrap() }
    });
    assert!(from_ct == big, "current_thread task");
    let mt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let from_mt = mt.block_on(async move { tokio::spawn(async move { read_all() }).await.unwrap() });
    assert!(from_mt == big, "multi_thread task");

    let lines: Vec<String> =
        ctx.blocking_open_artifact("notes", Some(1)).unwrap().lines().map(Result::unwrap).collect();
    assert_eq!(lines, ["line one", "line two"]);
    assert!(matches!(ctx.blocking_open_artifact("nothing", None), Err(ArtifactError::NotFound { .. })));
    assert!(matches!(ctx.blocking_open_artifact("notes", Some(2)), Err(ArtifactError::VersionNotFound { .. })));
    assert!(matches!(ctx.blocking_open_artifact("../x", None), Err(ArtifactError::InvalidName { .. })));
    std::fs::remove_dir_all(&root).unwrap();
}
