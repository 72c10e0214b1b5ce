//! The snapshot store: one folder per watch under `snapshots/`, readable with ordinary tools.
//!
//! Layout of `snapshots/<name>/`:
//! - `versions/000001/` — one folder per stored version: `clauses.txt` (one clause per line,
//!   `[topics] text`, for `diff -r` and grep), `meta.json` (the [`Snapshot`]: URL, fetch time,
//!   status, validators, hashes, extractor version, clauses) and `page.html.gz` (the raw page,
//!   so a newer extractor can re-read it).
//! - `state.json` — the [`WatchState`]: validators and hash of the last page seen, last
//!   outcome, failure count, anomaly hold.
//! - `fetch.log` — one JSON line per fetch, so unchanged fetches cost a line, not a version.
//! - `outbox/<id>.json` — alerts durably queued and not yet delivered; `alerts/<id>.json` —
//!   delivered alerts.
//! - `.lock` — held while a process works on the watch.
//! - `quarantine/` — corrupt entries moved aside instead of failing the watch.
//!
//! Invariants: a version folder appears by an atomic rename of a fully written, fsynced temp
//! folder, so readers never see half a version; JSON files are replaced atomically
//! (temp file + fsync + rename). Leftover temp entries from a crash are removed on open.
//! Nothing here decides *whether* to store; that is `check`'s job.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::alert::Alert;
use crate::config::Retention;
use crate::extract::{Clause, Topic};
use crate::fetch::{RobotsCache, RobotsFile, Validators};

/// On-disk format version of `meta.json` and `state.json`. A watch's format is its
/// `state.json`'s `format`; an older watch is migrated when its lock is first taken
/// ([`WatchStore::lock`]), a newer one is refused, never rewritten.
///
/// - 1: the first release.
/// - 2: `state.json` records `content_version` (the version its page hash was found equal
///   to), `meta.json` records `reason`; the robots.txt cache `.robots/`. Migration from 1:
///   `content_version` is set to the latest version when the state's page hash is that
///   version's; versions keep no `reason` (history shows them as before).
pub const FORMAT: u32 = 2;

/// Why the store cannot do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An I/O error on a path (disk full, permissions, …).
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A JSON file does not parse.
    #[error("{path} is corrupt ({reason}); move it away to let clausewatch rebuild it")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        reason: String,
    },
    /// Another process holds the watch's lock.
    #[error("{0} is locked by another clausewatch process; wait for it to finish or stop it")]
    Locked(PathBuf),
    /// A watch folder written by a newer clausewatch.
    #[error(
        "{path} has store format {found}, newer than this clausewatch reads ({supported}); upgrade clausewatch or use another `snapshots` folder"
    )]
    NewerFormat {
        /// The state file.
        path: PathBuf,
        /// Its format.
        found: u32,
        /// [`FORMAT`].
        supported: u32,
    },
    /// A version that does not exist.
    #[error("watch `{watch}` has no version {version}; `clausewatch history {watch}` lists them")]
    NoSuchVersion {
        /// The watch.
        watch: String,
        /// The version asked for.
        version: u32,
    },
}

type Result<T> = std::result::Result<T, StoreError>;

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Io {
        action,
        path,
        source,
    }
}

/// One stored version of a watch: what the page said about the watched terms at a time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Snapshot {
    /// [`FORMAT`] at write time.
    pub format: u32,
    /// Version number, 1-based, increasing.
    pub version: u32,
    /// The watched URL.
    pub url: String,
    /// When the page was fetched (UTC).
    pub fetched_at: DateTime<Utc>,
    /// HTTP status of the fetch.
    pub http_status: u16,
    /// `Content-Type` of the response.
    pub content_type: Option<String>,
    /// `ETag` / `Last-Modified` of the response.
    pub validators: Validators,
    /// SHA-256 of the raw body, hex.
    pub content_hash: String,
    /// SHA-256 of the clause set, hex (see [`clauses_hash`]).
    pub clauses_hash: String,
    /// Extractor rules version that produced `clauses`.
    pub extractor_version: String,
    /// Fingerprint of the watch's extraction settings (`select`, `topics`).
    pub settings_fingerprint: String,
    /// Characters of main text on the page.
    pub main_text_chars: usize,
    /// The page title.
    pub title: Option<String>,
    /// Topic clauses in page order.
    pub clauses: Vec<Clause>,
    /// Why this version was written; `None` in versions written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<VersionReason>,
}

/// Why a version was written: only [`VersionReason::Change`] came with an alert.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum VersionReason {
    /// The first good fetch (no alert).
    Baseline,
    /// The topic clauses changed (alerted).
    Change,
    /// The stored page re-read under new rules (a new extractor, an edited `select` or
    /// `topics`) with no clause change on the page (no alert).
    RulesUpgrade,
    /// `clausewatch rebaseline` accepted the page as it was (no alert).
    Rebaseline,
}

impl VersionReason {
    /// How `history` and `diff` name it.
    pub fn describe(self) -> &'static str {
        match self {
            VersionReason::Baseline => "baseline",
            VersionReason::Change => "change (alerted)",
            VersionReason::RulesUpgrade => "re-read under new rules (no alert)",
            VersionReason::Rebaseline => "rebaselined by hand (no alert)",
        }
    }
}

/// Mutable per-watch state, rewritten atomically after each check.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct WatchState {
    /// [`FORMAT`] at write time.
    pub format: u32,
    /// Validators to send on the next fetch (advance only with a good page).
    pub validators: Validators,
    /// Hash of the last good page body seen, for the "same bytes" fast path.
    pub content_hash: Option<String>,
    /// When the last check finished.
    pub last_check: Option<DateTime<Utc>>,
    /// Outcome word of the last check.
    pub last_outcome: Option<String>,
    /// Failed checks in a row.
    pub consecutive_failures: u32,
    /// A "watch failing" notice was queued for the current failure streak.
    #[serde(default)]
    pub failure_notified: bool,
    /// When the current (or last notified) failure streak began; names its notices.
    #[serde(default)]
    pub failing_since: Option<DateTime<Utc>>,
    /// The server asked not to be fetched before this time (`Retry-After`); the daemon
    /// honours it across restarts.
    #[serde(default)]
    pub not_before: Option<DateTime<Utc>>,
    /// Set while a collapsed page is held back instead of stored.
    pub anomaly: Option<AnomalyHold>,
    /// The version `content_hash` was found equal to; the "same bytes" fast path holds only
    /// while that version is still the latest (not after it was quarantined).
    #[serde(default)]
    pub content_version: Option<u32>,
}

/// A page that suddenly collapsed and is not (yet) believed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AnomalyHold {
    /// First time the collapse was seen.
    pub since: DateTime<Utc>,
    /// Checks in a row that saw it.
    pub count: u32,
    /// Clauses hash of the collapsed page, to tell a persisting collapse from a new one.
    pub clauses_hash: String,
    /// Why it counts as a collapse.
    pub reason: String,
}

/// A line of `fetch.log`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FetchLogEntry {
    /// When.
    pub time: DateTime<Utc>,
    /// HTTP status, if a response came.
    pub status: Option<u16>,
    /// Outcome word (`new`, `unchanged`, `changed`, `failed`, `anomaly`).
    pub outcome: String,
    /// Version stored or compared against.
    pub version: Option<u32>,
    /// Failure or anomaly reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Duration of the check in milliseconds.
    pub ms: u64,
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Order-independent hash of a clause set: a moved clause keeps the hash.
pub fn clauses_hash(clauses: &[Clause]) -> String {
    let mut lines: Vec<String> = clauses.iter().map(clause_line).collect();
    lines.sort();
    sha256_hex(lines.join("\n").as_bytes())
}

/// `clauses.txt` line: `[cloud,exclusivity] The text.`
pub fn clause_line(c: &Clause) -> String {
    let topics: Vec<&str> = c.topics.iter().map(Topic::as_str).collect();
    format!("[{}] {}", topics.join(","), c.text)
}

/// The whole store.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Opens (and creates) the store folder.
    pub fn open(root: &Path) -> Result<Store> {
        fs::create_dir_all(root).map_err(io("create snapshot store", root))?;
        Ok(Store {
            root: root.to_path_buf(),
        })
    }

    /// The store folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of one watch (not created until written).
    pub fn watch(&self, name: &str) -> WatchStore {
        WatchStore {
            name: name.to_string(),
            dir: self.root.join(name),
            read_only: false,
        }
    }

    /// The folder of one watch for commands that only read (`status`, `show`, `diff`,
    /// `--dry-run`): they hold no lock, so they skip corrupt entries instead of moving them.
    pub fn watch_read_only(&self, name: &str) -> WatchStore {
        WatchStore {
            read_only: true,
            ..self.watch(name)
        }
    }
}

impl Store {
    /// The store's robots.txt cache, `.robots/<origin>.json` (written atomically, last
    /// writer wins); `read_only` (dry runs) reads it but writes nothing.
    pub fn robots_cache(&self, read_only: bool) -> RobotsStore {
        RobotsStore {
            dir: self.root.join(".robots"),
            read_only,
        }
    }
}

/// robots.txt answers shared by every process using the store (see [`Store::robots_cache`]).
#[derive(Debug, Clone)]
pub struct RobotsStore {
    dir: PathBuf,
    read_only: bool,
}

/// One cached robots.txt answer on disk.
#[derive(Serialize, Deserialize)]
struct RobotsEntry {
    origin: String,
    fetched_at: DateTime<Utc>,
    file: RobotsFile,
}

impl RobotsStore {
    fn path(&self, origin: &str) -> PathBuf {
        let safe: String = origin
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(100)
            .collect();
        let hash = &sha256_hex(origin.as_bytes())[..8];
        self.dir.join(format!("{safe}-{hash}.json"))
    }
}

impl RobotsCache for RobotsStore {
    fn load(&self, origin: &str) -> Option<(DateTime<Utc>, RobotsFile)> {
        let bytes = fs::read(self.path(origin)).ok()?;
        let entry: RobotsEntry = serde_json::from_slice(&bytes).ok()?;
        (entry.origin == origin).then_some((entry.fetched_at, entry.file))
    }

    fn save(&self, origin: &str, fetched_at: DateTime<Utc>, file: &RobotsFile) {
        if self.read_only {
            return;
        }
        let entry = RobotsEntry {
            origin: origin.to_string(),
            fetched_at,
            file: file.clone(),
        };
        let path = self.path(origin);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = serde_json::to_vec(&entry).expect("entry serializes");
        if let Err(e) = write_atomic(&self.dir, &name, &bytes, false) {
            tracing::warn!(error = %e, "cannot cache robots.txt");
        }
    }
}

/// One watch's folder.
#[derive(Debug, Clone)]
pub struct WatchStore {
    name: String,
    dir: PathBuf,
    read_only: bool,
}

/// Held while a process works on a watch; released on drop.
#[derive(Debug)]
pub struct WatchLock {
    _file: File,
}

impl WatchStore {
    /// The watch's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether anything was ever stored for this watch.
    pub fn exists(&self) -> bool {
        self.dir.join("state.json").exists() || self.dir.join("versions").exists()
    }

    /// Takes the watch's lock without waiting and removes crash leftovers.
    pub fn lock(&self) -> Result<WatchLock> {
        fs::create_dir_all(&self.dir).map_err(io("create", &self.dir))?;
        let path = self.dir.join(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io("open lock file", &path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(StoreError::Locked(self.dir.clone())),
            Err(fs::TryLockError::Error(e)) => return Err(io("lock", &path)(e)),
        }
        self.clean_leftovers();
        self.migrate()?;
        Ok(WatchLock { _file: file })
    }

    /// Brings a watch written by an older release to [`FORMAT`] (see there), once, under
    /// the lock; refuses one written by a newer release.
    fn migrate(&self) -> Result<()> {
        let path = self.dir.join("state.json");
        if !path.exists() {
            return Ok(());
        }
        let mut state = self.state()?;
        if state.format > FORMAT {
            return Err(StoreError::NewerFormat {
                path,
                found: state.format,
                supported: FORMAT,
            });
        }
        if state.format == FORMAT || !path.exists() {
            return Ok(());
        }
        let from = state.format;
        if state.content_version.is_none()
            && let Some(latest) = self.latest()?
            && state.content_hash.as_deref() == Some(latest.content_hash.as_str())
        {
            state.content_version = Some(latest.version);
        }
        self.save_state(&state)?;
        tracing::info!(watch = %self.name, from, to = FORMAT, "store format migrated");
        Ok(())
    }

    /// Temp entries exist only between a write's start and its rename; any found while we
    /// hold the lock are leftovers of a crash.
    fn clean_leftovers(&self) {
        for dir in [
            self.dir.clone(),
            self.dir.join("versions"),
            self.dir.join("outbox"),
        ] {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(".tmp") {
                    tracing::warn!(path = %e.path().display(), "removing leftover of an interrupted write");
                    let _ = fs::remove_dir_all(e.path()).or_else(|_| fs::remove_file(e.path()));
                }
            }
        }
    }

    /// The watch state, or the default for a new watch. A corrupt state file is moved aside
    /// (`quarantine/`) with a warning and the default state is used: it only holds caches
    /// and counters, so the next fetch is simply unconditional.
    pub fn state(&self) -> Result<WatchState> {
        let path = self.dir.join("state.json");
        match fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(state) => Ok(state),
                Err(e) => {
                    self.quarantine(&path, &e.to_string())?;
                    Ok(WatchState::default())
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(WatchState::default()),
            Err(e) => Err(io("read", &path)(e)),
        }
    }

    /// Replaces the watch state atomically. Not fsynced: it holds caches and counters, and
    /// after a power loss an older or missing state only costs an unconditional fetch.
    pub fn save_state(&self, state: &WatchState) -> Result<()> {
        // Test builds only: `CLAUSEWATCH_TEST_STATE_UNWRITABLE=<watch>` fails this write as
        // a full disk would, for the fault tests.
        #[cfg(debug_assertions)]
        if std::env::var("CLAUSEWATCH_TEST_STATE_UNWRITABLE").is_ok_and(|n| n == self.name) {
            return Err(io("write", &self.dir.join("state.json"))(
                std::io::Error::from(std::io::ErrorKind::StorageFull),
            ));
        }
        let mut state = state.clone();
        state.format = FORMAT;
        let bytes = serde_json::to_vec_pretty(&state).expect("state serializes");
        write_atomic(&self.dir, "state.json", &bytes, false)
    }

    /// Stored version numbers, ascending.
    pub fn versions(&self) -> Result<Vec<u32>> {
        let dir = self.dir.join("versions");
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io("list", &dir)(e)),
        };
        let mut out: Vec<u32> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    /// The newest readable version, if any. A version whose metadata is corrupt (a disk
    /// error, a hand edit) is moved to `quarantine/` with a warning and the one before it is
    /// used, so one bad entry never stops the watch.
    pub fn latest(&self) -> Result<Option<Snapshot>> {
        for v in self.versions()?.into_iter().rev() {
            match self.load(v) {
                Ok(s) => return Ok(Some(s)),
                Err(StoreError::Corrupt { path, reason }) => {
                    tracing::warn!(path = %path.display(), %reason, "corrupt version");
                    self.quarantine(&self.version_dir(v), &reason)?;
                }
                Err(StoreError::NoSuchVersion { .. }) => {
                    self.quarantine(&self.version_dir(v), "version folder without meta.json")?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// Moves a version's raw page that cannot be read into `quarantine/` (as
    /// `<version>-page.html.gz.<time>`), with a warning; nothing to do if it is missing.
    pub fn quarantine_raw(&self, version: u32, reason: &str) -> Result<()> {
        let path = self.version_dir(version).join("page.html.gz");
        if fs::symlink_metadata(&path).is_err() {
            tracing::warn!(path = %path.display(), %reason, "raw page missing");
            return Ok(());
        }
        self.quarantine_named(&path, &format!("{version:06}-page.html.gz"), reason)
    }

    /// Moves a corrupt file or folder into `quarantine/` (kept for inspection, never read).
    fn quarantine(&self, path: &Path, reason: &str) -> Result<()> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.quarantine_named(path, &name, reason)
    }

    fn quarantine_named(&self, path: &Path, name: &str, reason: &str) -> Result<()> {
        if self.read_only {
            tracing::warn!(path = %path.display(), %reason, "corrupt store entry skipped");
            return Ok(());
        }
        let q = self.dir.join("quarantine");
        fs::create_dir_all(&q).map_err(io("create", &q))?;
        let target = q.join(format!("{name}.{}", Utc::now().format("%Y%m%dT%H%M%S%.f")));
        tracing::warn!(
            from = %path.display(),
            to = %target.display(),
            %reason,
            "quarantining a corrupt store entry"
        );
        fs::rename(path, &target).map_err(io("quarantine", path))
    }

    fn version_dir(&self, version: u32) -> PathBuf {
        self.dir.join("versions").join(format!("{version:06}"))
    }

    /// Loads one version's metadata and clauses.
    pub fn load(&self, version: u32) -> Result<Snapshot> {
        let path = self.version_dir(version).join("meta.json");
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NoSuchVersion {
                    watch: self.name.clone(),
                    version,
                });
            }
            Err(e) => return Err(io("read", &path)(e)),
        };
        serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path,
            reason: e.to_string(),
        })
    }

    /// The raw page of a version, decompressed.
    pub fn load_raw(&self, version: u32) -> Result<Vec<u8>> {
        let path = self.version_dir(version).join("page.html.gz");
        let file = File::open(&path).map_err(io("open", &path))?;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut out)
            .map_err(io("decompress", &path))?;
        Ok(out)
    }

    /// Stores a new version (its number must be the next one) with its raw page, atomically.
    /// `durable` fsyncs it: wanted for a version that follows an alert, not for a baseline,
    /// which a power loss at worst makes clausewatch take again.
    /// `reason` is recorded in its `meta.json`.
    pub fn write_version(
        &self,
        snapshot: &Snapshot,
        reason: VersionReason,
        raw: &[u8],
        durable: bool,
    ) -> Result<()> {
        let snapshot = &Snapshot {
            reason: Some(reason),
            ..snapshot.clone()
        };
        let versions = self.dir.join("versions");
        fs::create_dir_all(&versions).map_err(io("create", &versions))?;
        let tmp = tempfile::Builder::new()
            .prefix(".tmp-version-")
            .tempdir_in(&versions)
            .map_err(io("create temp folder in", &versions))?;
        let meta = serde_json::to_vec_pretty(snapshot).expect("snapshot serializes");
        let mut text = String::new();
        for c in &snapshot.clauses {
            text.push_str(&clause_line(c));
            text.push('\n');
        }
        // Fast compression: raw pages are written on every change of thousands of watches and
        // read back only after a rules upgrade; level 1 keeps most of the saving.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(raw).expect("writing to a Vec cannot fail");
        let gz = gz.finish().expect("writing to a Vec cannot fail");
        for (name, bytes) in [
            ("meta.json", meta.as_slice()),
            ("clauses.txt", text.as_bytes()),
            ("page.html.gz", gz.as_slice()),
        ] {
            write_file(&tmp.path().join(name), bytes, durable)?;
        }
        let target = self.version_dir(snapshot.version);
        let tmp_path = tmp.keep();
        fs::rename(&tmp_path, &target).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp_path);
            io("rename into", &target)(e)
        })?;
        if durable {
            sync_dir(&versions);
        }
        Ok(())
    }

    /// Appends a line to `fetch.log`, then keeps the log under `max_bytes` (the newest half
    /// is kept when it grows past it), so the log is bounded after every check. A torn last
    /// line after a crash is skipped by readers.
    pub fn log_fetch(&self, entry: &FetchLogEntry, max_bytes: u64) -> Result<()> {
        fs::create_dir_all(&self.dir).map_err(io("create", &self.dir))?;
        let path = self.dir.join("fetch.log");
        let mut line = serde_json::to_string(entry).expect("log entry serializes");
        line.push('\n');
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .map_err(io("append to", &path))?;
        self.trim_log(max_bytes, false).map(|_| ())
    }

    /// When `fetch.log` is larger than `max_bytes`, keeps its newest `max_bytes / 2` (from a
    /// line start), reading only that part; returns the bytes removed.
    fn trim_log(&self, max_bytes: u64, dry_run: bool) -> Result<u64> {
        let path = self.dir.join("fetch.log");
        let len = match fs::metadata(&path) {
            Ok(m) => m.len(),
            Err(_) => return Ok(0),
        };
        if len <= max_bytes {
            return Ok(0);
        }
        let keep = max_bytes / 2;
        let mut tail = Vec::new();
        let mut f = File::open(&path).map_err(io("open", &path))?;
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(len - keep))
            .map_err(io("read", &path))?;
        f.take(keep)
            .read_to_end(&mut tail)
            .map_err(io("read", &path))?;
        let kept = match tail.iter().position(|&b| b == b'\n') {
            Some(i) => &tail[i + 1..],
            None => &[][..],
        };
        if !dry_run {
            write_atomic(&self.dir, "fetch.log", kept, false)?;
        }
        Ok(len - kept.len() as u64)
    }

    /// The fetch log, oldest first, read line by line; a line that is not valid UTF-8 or not
    /// an entry is skipped.
    pub fn fetch_log(&self) -> Result<Vec<FetchLogEntry>> {
        let mut out = Vec::new();
        self.each_log_entry(|e| out.push(e))?;
        Ok(out)
    }

    /// How many entries the fetch log holds and its last one, reading it line by line in
    /// bounded memory, whatever its size.
    pub fn fetch_log_summary(&self) -> Result<(usize, Option<FetchLogEntry>)> {
        let (mut n, mut last) = (0, None);
        self.each_log_entry(|e| {
            n += 1;
            last = Some(e);
        })?;
        Ok((n, last))
    }

    fn each_log_entry(&self, mut f: impl FnMut(FetchLogEntry)) -> Result<()> {
        use std::io::BufRead;
        let path = self.dir.join("fetch.log");
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io("read", &path)(e)),
        };
        let mut reader = std::io::BufReader::new(file);
        let mut line = Vec::new();
        loop {
            line.clear();
            // A line longer than an entry can be is skipped without holding it in memory.
            let n = (&mut reader)
                .take(MAX_LOG_LINE)
                .read_until(b'\n', &mut line)
                .map_err(io("read", &path))?;
            if n == 0 {
                return Ok(());
            }
            if line.last() != Some(&b'\n') && n as u64 == MAX_LOG_LINE {
                skip_line(&mut reader).map_err(io("read", &path))?;
                continue;
            }
            if let Ok(entry) = serde_json::from_slice(&line) {
                f(entry);
            }
        }
    }

    /// Queues an alert durably (fsynced) in `outbox/`. Returns false if an alert with the same
    /// id is already queued or delivered, so a retried pass never queues a change twice. An
    /// unreadable entry in its place is quarantined, not taken for the alert.
    pub fn queue_alert(&self, alert: &Alert) -> Result<bool> {
        let file = format!("{}.json", alert.id);
        for sub in ["outbox", "alerts"] {
            let path = self.dir.join(sub).join(&file);
            if fs::symlink_metadata(&path).is_ok() {
                match read_alert(&path) {
                    Ok(_) => return Ok(false),
                    Err(reason) => {
                        tracing::warn!(path = %path.display(), %reason, "unreadable alert file");
                        self.quarantine(&path, &reason)?;
                    }
                }
            }
        }
        write_json_atomic(&self.dir.join("outbox"), &file, alert)?;
        Ok(true)
    }

    /// Updates a queued alert (attempt count, last error).
    pub fn update_pending(&self, alert: &Alert) -> Result<()> {
        write_json_atomic(
            &self.dir.join("outbox"),
            &format!("{}.json", alert.id),
            alert,
        )
    }

    /// Alerts queued and not delivered, oldest first.
    pub fn pending_alerts(&self) -> Result<Vec<Alert>> {
        self.read_alerts("outbox")
    }

    /// Delivered alerts, oldest first.
    pub fn delivered_alerts(&self) -> Result<Vec<Alert>> {
        self.read_alerts("alerts")
    }

    fn read_alerts(&self, sub: &str) -> Result<Vec<Alert>> {
        let dir = self.dir.join(sub);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io("list", &dir)(e)),
        };
        let mut out = Vec::new();
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !name.ends_with(".json") {
                continue;
            }
            match read_alert(&e.path()) {
                Ok(a) => out.push(a),
                Err(reason) => self.set_aside(&e.path(), &reason),
            }
        }
        out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// An alert file that cannot be read (not a file, no permission, not an alert) is
    /// quarantined with a warning (skipped by read-only readers), so it never stops the
    /// watch's other alerts nor hides forever among them.
    fn set_aside(&self, path: &Path, reason: &str) {
        tracing::warn!(path = %path.display(), %reason, "unreadable alert file");
        if let Err(e) = self.quarantine(path, reason) {
            tracing::warn!(error = %e, "cannot quarantine the unreadable alert file; skipped");
        }
    }

    /// The delivered record of an alert, if it is in `alerts/` and readable.
    pub fn delivered_alert(&self, id: &str) -> Option<Alert> {
        read_alert(&self.dir.join("alerts").join(format!("{id}.json"))).ok()
    }

    /// Moves a delivered alert from `outbox/` to `alerts/`.
    pub fn mark_delivered(&self, alert: &Alert) -> Result<()> {
        let file = format!("{}.json", alert.id);
        write_json_atomic(&self.dir.join("alerts"), &file, alert)?;
        let pending = self.dir.join("outbox").join(&file);
        match fs::remove_file(&pending) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("remove", &pending)(e)),
        }
    }
}

/// Longest `fetch.log` line read; an entry is a few hundred bytes.
const MAX_LOG_LINE: u64 = 64 * 1024;

/// Skips the rest of an over-long line.
fn skip_line(reader: &mut impl std::io::BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// Reads one alert file; the error says why it cannot be used.
fn read_alert(path: &Path) -> std::result::Result<Alert, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    serde_json::from_slice::<Alert>(&bytes).map_err(|e| format!("not an alert: {e}"))
}

/// What a garbage collection removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GcReport {
    /// Version folders removed.
    pub versions: usize,
    /// Raw pages removed.
    pub raw_pages: usize,
    /// Delivered alert records removed.
    pub alerts: usize,
    /// Bytes freed (approximate).
    pub bytes: u64,
}

impl WatchStore {
    /// Applies a retention policy. Never touches the newest version, its raw page or any
    /// pending alert; with `dry_run` only reports.
    pub fn gc(&self, keep: &Retention, dry_run: bool) -> Result<GcReport> {
        let mut report = GcReport::default();
        let versions = self.versions()?;
        let Some((_newest, older)) = versions.split_last() else {
            return Ok(report);
        };
        let now = Utc::now();
        for (age_rank, &v) in older.iter().rev().enumerate() {
            // age_rank 0 is the second newest.
            let rank = age_rank + 1;
            let dir = self.version_dir(v);
            let too_many = keep.versions.is_some_and(|n| rank >= n.max(1));
            let too_old = keep.max_age.is_some_and(|age| {
                self.load(v)
                    .map(|s| now - s.fetched_at > age)
                    .unwrap_or(false)
            });
            if too_many || too_old {
                report.versions += 1;
                report.bytes += dir_size(&dir);
                if !dry_run {
                    // Renamed away first, so a crash mid-delete leaves a temp folder (removed
                    // at the next lock), never a half-deleted version.
                    let doomed = self.dir.join("versions").join(format!(".tmp-gc-{v:06}"));
                    fs::rename(&dir, &doomed).map_err(io("rename", &dir))?;
                    fs::remove_dir_all(&doomed).map_err(io("remove", &doomed))?;
                }
            } else if rank >= keep.raw_pages.max(1) {
                let raw = dir.join("page.html.gz");
                if let Ok(meta) = fs::metadata(&raw) {
                    report.raw_pages += 1;
                    report.bytes += meta.len();
                    if !dry_run {
                        fs::remove_file(&raw).map_err(io("remove", &raw))?;
                    }
                }
            }
        }
        report.bytes += self.trim_log(keep.log_bytes, dry_run)?;
        let delivered = self.delivered_alerts()?;
        if delivered.len() > keep.delivered_alerts {
            for a in &delivered[..delivered.len() - keep.delivered_alerts] {
                let path = self.dir.join("alerts").join(format!("{}.json", a.id));
                report.alerts += 1;
                report.bytes += fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                if !dry_run {
                    fs::remove_file(&path).map_err(io("remove", &path))?;
                }
            }
        }
        Ok(report)
    }
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn write_file(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let mut f = File::create(path).map_err(io("create", path))?;
    f.write_all(bytes).map_err(io("write", path))?;
    if sync {
        f.sync_all().map_err(io("sync", path))?;
    }
    Ok(())
}

/// Writes JSON to `dir/name` by temp file + fsync + rename: the old file stays intact until
/// the new one is complete, so a full disk or a crash never leaves half a file.
fn write_json_atomic<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<()> {
    write_atomic(
        dir,
        name,
        &serde_json::to_vec_pretty(value).expect("value serializes"),
        true,
    )
}

/// Writes bytes to `dir/name` atomically (temp file + rename), fsynced when `sync`.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8], sync: bool) -> Result<()> {
    fs::create_dir_all(dir).map_err(io("create", dir))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(io("create temp file in", dir))?;
    let target = dir.join(name);
    tmp.write_all(bytes).map_err(io("write", &target))?;
    if sync {
        tmp.as_file().sync_all().map_err(io("sync", &target))?;
    }
    tmp.persist(&target)
        .map_err(|e| io("rename into", &target)(e.error))?;
    if sync {
        sync_dir(dir);
    }
    Ok(())
}

/// fsync a directory so a rename in it survives power loss (best effort: not every file
/// system supports it).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(text: &str, topics: &[&str]) -> Clause {
        Clause {
            topics: topics.iter().map(|t| Topic::new(t)).collect(),
            text: text.into(),
        }
    }

    fn snapshot(version: u32, clauses: Vec<Clause>) -> Snapshot {
        Snapshot {
            format: FORMAT,
            version,
            url: "http://127.0.0.1/x".into(),
            fetched_at: Utc::now(),
            http_status: 200,
            content_type: None,
            validators: Validators::default(),
            content_hash: sha256_hex(b"x"),
            clauses_hash: clauses_hash(&clauses),
            extractor_version: "t".into(),
            settings_fingerprint: "f".into(),
            main_text_chars: 10,
            title: None,
            clauses,
            reason: None,
        }
    }

    #[test]
    fn versions_round_trip_with_raw_page_and_text_file() {
        let tmp = tempfile::tempdir().unwrap();
        let w = Store::open(tmp.path()).unwrap().watch("w");
        let _lock = w.lock().unwrap();
        assert!(w.latest().unwrap().is_none());
        let s = snapshot(1, vec![clause("Acme is the sole host.", &["exclusivity"])]);
        w.write_version(&s, VersionReason::Baseline, b"<p>page</p>", true)
            .unwrap();
        assert_eq!(w.versions().unwrap(), vec![1]);
        let mut written = s.clone();
        written.reason = Some(VersionReason::Baseline);
        assert_eq!(w.latest().unwrap().unwrap(), written);
        assert_eq!(w.load_raw(1).unwrap(), b"<p>page</p>");
        let text = fs::read_to_string(w.dir().join("versions/000001/clauses.txt")).unwrap();
        assert_eq!(text, "[exclusivity] Acme is the sole host.\n");
    }

    #[test]
    fn second_lock_is_refused_and_leftovers_are_cleaned() {
        let tmp = tempfile::tempdir().unwrap();
        let w = Store::open(tmp.path()).unwrap().watch("w");
        fs::create_dir_all(w.dir().join("versions/.tmp-version-x")).unwrap();
        let lock = w.lock().unwrap();
        assert!(!w.dir().join("versions/.tmp-version-x").exists());
        assert!(matches!(w.lock(), Err(StoreError::Locked(_))));
        drop(lock);
        assert!(w.lock().is_ok());
    }

    #[test]
    fn gc_keeps_the_newest_version_and_its_raw_page() {
        let tmp = tempfile::tempdir().unwrap();
        let w = Store::open(tmp.path()).unwrap().watch("w");
        let _lock = w.lock().unwrap();
        for v in 1..=6 {
            let s = snapshot(v, vec![clause(&format!("Clause {v}."), &["cloud"])]);
            w.write_version(&s, VersionReason::Change, b"<p>raw</p>", false)
                .unwrap();
        }
        let keep = Retention {
            versions: Some(4),
            raw_pages: 2,
            ..Retention::default()
        };
        let dry = w.gc(&keep, true).unwrap();
        assert_eq!(w.versions().unwrap().len(), 6, "dry run removes nothing");
        let r = w.gc(&keep, false).unwrap();
        assert_eq!(r, dry);
        assert_eq!(w.versions().unwrap(), vec![3, 4, 5, 6]);
        assert_eq!((r.versions, r.raw_pages), (2, 2));
        assert!(w.load_raw(6).is_ok() && w.load_raw(5).is_ok());
        assert!(w.load_raw(4).is_err() && w.load(4).is_ok());
        // Keeping one version still keeps the newest.
        let r = w
            .gc(
                &Retention {
                    versions: Some(0),
                    ..Retention::default()
                },
                false,
            )
            .unwrap();
        assert_eq!(r.versions, 3);
        assert_eq!(w.versions().unwrap(), vec![6]);
    }

    #[test]
    fn clauses_hash_ignores_order() {
        let a = clause("One.", &["cloud"]);
        let b = clause("Two.", &["cloud"]);
        assert_eq!(
            clauses_hash(&[a.clone(), b.clone()]),
            clauses_hash(&[b.clone(), a.clone()])
        );
        assert_ne!(clauses_hash(&[a]), clauses_hash(&[b]));
    }

    #[test]
    fn corrupt_entries_are_quarantined_not_fatal() {
        let tmp = tempfile::tempdir().unwrap();
        let w = Store::open(tmp.path()).unwrap().watch("w");
        fs::create_dir_all(w.dir()).unwrap();
        fs::write(w.dir().join("state.json"), "{not json").unwrap();
        assert_eq!(w.state().unwrap(), WatchState::default());
        assert!(!w.dir().join("state.json").exists());
        let q = fs::read_dir(w.dir().join("quarantine")).unwrap().count();
        assert_eq!(q, 1, "the corrupt file is kept aside");

        for v in 1..=2 {
            let s = snapshot(v, vec![clause(&format!("Clause {v}."), &["cloud"])]);
            w.write_version(&s, VersionReason::Change, b"<p>raw</p>", false)
                .unwrap();
        }
        fs::write(w.dir().join("versions/000002/meta.json"), "garbage").unwrap();
        let reader = Store::open(tmp.path()).unwrap().watch_read_only("w");
        assert_eq!(reader.latest().unwrap().unwrap().version, 1);
        assert_eq!(
            reader.versions().unwrap(),
            vec![1, 2],
            "a reader moves nothing"
        );
        assert_eq!(w.latest().unwrap().unwrap().version, 1);
        assert_eq!(w.versions().unwrap(), vec![1]);
    }
}
