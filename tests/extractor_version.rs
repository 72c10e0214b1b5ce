//! The extractor version stored with each snapshot must change whenever the clauses
//! extracted from the same page change, or stored pages would not be re-read after an
//! upgrade. The rule data is hashed into the version automatically; this test guards the
//! hand-bumped `ENGINE_VERSION` by extracting the evaluation corpus's dev pages (read at run
//! time from `../shared/corpus/dev`, skipped when absent) and comparing a hash of their
//! clauses with the one recorded for this version in `tests/golden/dev-pages-clauses.txt`.
//! Only hashes are recorded, never the corpus's sentences.
//!
//! After a deliberate change, record the new version's hash with
//! `CLAUSEWATCH_RECORD=1 cargo test --test extractor_version`.

use std::path::{Path, PathBuf};

use clausewatch::extract::{ExtractOptions, Extractor, charset, extractor_version};

const RECORD: &str = "tests/golden/dev-pages-clauses.txt";

fn dev_pages() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    (!pages.is_empty()).then_some(pages)
}

fn clauses_hash(pages: &[PathBuf]) -> String {
    let extractor = Extractor::new(ExtractOptions::default()).expect("default options");
    let mut all = String::new();
    for page in pages {
        let bytes = std::fs::read(page).expect("dev page readable");
        let html = charset::decode_html(&bytes, None);
        let name = page.file_name().unwrap_or_default().to_string_lossy();
        for c in extractor.extract(&html).clauses {
            let topics: Vec<&str> = c.topics.iter().map(|t| t.as_str()).collect();
            all.push_str(&format!("{name}\t{}\t{}\n", topics.join(","), c.text));
        }
    }
    clausewatch::store::sha256_hex(all.as_bytes())[..16].to_owned()
}

#[test]
fn dev_pages_clauses_hash_matches_the_extractor_version() {
    let Some(pages) = dev_pages() else {
        eprintln!("../shared/corpus/dev not found; skipped");
        return;
    };
    let version = extractor_version();
    let hash = clauses_hash(&pages);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(RECORD);
    let record = std::fs::read_to_string(&path).unwrap_or_default();
    let recorded = record.lines().find_map(|l| {
        let (v, h) = l.split_once(' ')?;
        (v == version).then(|| h.trim().to_owned())
    });
    if std::env::var_os("CLAUSEWATCH_RECORD").is_some() {
        let mut lines: Vec<String> = record
            .lines()
            .filter(|l| !l.starts_with(&format!("{version} ")))
            .map(str::to_owned)
            .collect();
        lines.push(format!("{version} {hash}"));
        std::fs::write(&path, lines.join("\n") + "\n").expect("record written");
        return;
    }
    match recorded {
        Some(h) => assert_eq!(
            h, hash,
            "the clauses of the dev pages changed but the extractor version {version} did not: \
             bump ENGINE_VERSION in src/extract/mod.rs, then record the new hash with \
             CLAUSEWATCH_RECORD=1 cargo test --test extractor_version"
        ),
        None => panic!(
            "extractor version {version} has no recorded dev-pages hash (now {hash}); record it \
             with CLAUSEWATCH_RECORD=1 cargo test --test extractor_version"
        ),
    }
}
