//! The core stays pure: no tokio, no async-nats, no I/O crates under src/core.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn core_imports_neither_tokio_nor_async_nats() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"), &mut files);
    assert!(files.len() > 5, "found the core's files");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for forbidden in ["tokio", "async_nats", "async fn", "crate::bus", "crate::app", "std::net"] {
            assert!(!text.contains(forbidden), "{} uses {forbidden}", f.display());
        }
    }
}
