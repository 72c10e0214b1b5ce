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
    bin_env(w, args, &[]).await
}

async fn bin_env(w: &World, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
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
            .envs(env)
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

/// Adds a second watch, `other`, on its own page.
fn add_other_watch(w: &World) {
    w.http.set("/other", Page::html(page_v1()));
    let text = std::fs::read_to_string(w.config()).unwrap()
        + &format!(
            "\n[[watch]]\nname = \"other\"\nurl = \"{}\"\ninterval = \"1s\"\n",
            w.http.url("/other")
        );
    std::fs::write(w.config(), text).unwrap();
}

fn fetch_log_lines(w: &World, name: &str) -> Vec<String> {
    std::fs::read_to_string(w.snapshots().join(name).join("fetch.log"))
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_a_panic_in_one_check_is_that_watchs_failure_in_check() {
    let w = World::new().await;
    w.write_watchlist("failure_alert_after = 2", &w.smtp.url());
    add_other_watch(&w);
    let panic = [("CLAUSEWATCH_TEST_PANIC", "deal")];
    for round in 1..=2 {
        let out = bin_env(&w, &["check"], &panic).await;
        assert_eq!(out.status.code(), Some(1), "round {round}: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("failed deal"), "{stdout}");
        assert!(stdout.contains("internal error"), "{stdout}");
        assert!(stdout.contains("other"), "the pass went on: {stdout}");
        assert_eq!(
            state(&w)["consecutive_failures"],
            round,
            "counted as a failure"
        );
    }
    // The second failure in a row sends the "watch failing" notice.
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0]
            .header("Subject")
            .unwrap()
            .contains("watch failing")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_a_panic_in_one_check_never_ends_the_watchs_daemon_loop() {
    let w = World::new().await;
    w.write_watchlist("failure_alert_after = 1000", &w.smtp.url());
    let text = std::fs::read_to_string(w.config()).unwrap() + "interval = \"1s\"\n";
    std::fs::write(w.config(), text).unwrap();
    add_other_watch(&w);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clausewatch"))
        .args(["run", "--seed", "3", "--config"])
        .arg(w.config())
        .env("CLAUSEWATCH_TEST_PANIC", "deal")
        .current_dir(w.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The panicking watch is checked again and again (1 s interval, backoff up to 8 s).
    let checked_thrice = || fetch_log_lines(&w, "deal").len() >= 3;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !checked_thrice() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let log = fetch_log_lines(&w, "deal");
    assert!(log.len() >= 3, "{log:?}");
    assert!(log.iter().all(|l| l.contains("internal error")), "{log:?}");
    assert!(!fetch_log_lines(&w, "other").is_empty());
}
