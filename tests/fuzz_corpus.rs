//! Replays the minimised fuzz corpus (`fuzz/corpus/<target>/`, crash inputs included) through
//! the same bodies the afl targets run (`revlens::fuzzing`): every input must pass the targets'
//! checks, so a fixed crash stays fixed without afl. `REVLENS_FUZZ_CORPUS=DIR` replays another
//! folder of the same layout instead (e.g. an afl run's queues, copied per target).

use revlens::fuzzing::TARGETS;
use std::path::{Path, PathBuf};

fn corpus_root() -> PathBuf {
    match std::env::var_os("REVLENS_FUZZ_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus"),
    }
}

fn replay(target: &str) {
    let (_, body) = TARGETS.iter().find(|(name, _)| *name == target).expect("a target of revlens::fuzzing");
    let dir = corpus_root().join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no corpus", dir.display());
    for path in &files {
        let bytes = std::fs::read(path).expect("a corpus file");
        if let Err(panic) = std::panic::catch_unwind(|| body(&bytes)) {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("fuzz target {target} fails on {}: {why}", path.display());
        }
    }
    println!("{target}: {} inputs replayed", files.len());
}

#[test]
fn every_target_has_a_corpus() {
    for (name, _) in TARGETS {
        assert!(corpus_root().join(name).is_dir(), "fuzz/corpus/{name} is missing");
    }
}

#[test]
fn csv() {
    replay("csv");
}

#[test]
fn values() {
    replay("values");
}

#[test]
fn spreadsheet() {
    replay("spreadsheet");
}

#[test]
fn series() {
    replay("series");
}

#[test]
fn analyze() {
    replay("analyze");
}

#[test]
fn analyze_multi() {
    replay("analyze_multi");
}
