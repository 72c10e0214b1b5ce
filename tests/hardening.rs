//! Issue 9 regressions: no page, server, disk or store entry can crash a pass, stall the
//! daemon, lose an alert or fake one. Each test drives the real binary or the library
//! against loopback servers, as `faults.rs` does.

mod support;

use std::time::Duration;

use clausewatch::check::{CheckReport, Outcome};
use support::servers::Page;
use support::*;

async fn check(w: &World) -> CheckReport {
    w.pass().await.remove(0)
}

/// The binary with `args` and `--config`, run to completion (bounded by a timeout).
async fn bin(w: &World, args: &[&str]) -> std::process::Output {
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    args.push("--config".into());
    args.push(w.config().display().to_string());
    let dir = w.dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        assert_cmd::Command::cargo_bin("clausewatch")
            .unwrap()
            .args(&args)
            .current_dir(dir)
            .env_remove("RUST_LOG")
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn state(w: &World) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(w.snapshots().join("deal/state.json")).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_absurd_retry_after_is_capped_at_a_day() {
    let w = World::new().await;
    w.write_watchlist("failure_alert_after = 1000", &w.smtp.url());
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    for huge in ["10000000000000", "100000000000000000", "1000000000000"] {
        w.set(Page::status(503).header("Retry-After", huge));
        let out = bin(&w, &["check"]).await;
        assert_eq!(out.status.code(), Some(1), "{huge}: {out:?}");
        let not_before: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(state(&w)["not_before"].clone()).unwrap();
        let day = chrono::Utc::now() + chrono::Duration::days(1);
        assert!(not_before <= day, "{huge}: not before {not_before}");
        let r = check(&w).await;
        assert_eq!(r.retry_after_secs, Some(86_400), "{huge}");
    }
    // `status` reads that state without trouble.
    let out = bin(&w, &["status"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_durations_beyond_their_bounds_are_refused_by_validate() {
    let w = World::new().await;
    let text = std::fs::read_to_string(w.config()).unwrap() + "interval = \"100000000y\"\n";
    std::fs::write(w.config(), text).unwrap();
    let out = bin(&w, &["validate"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("watch[1].interval") && stderr.contains("365 days"),
        "{stderr}"
    );
}
