//! The built binary, driven like a user would, against loopback servers.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use support::*;

fn bin() -> Command {
    Command::cargo_bin("clausewatch").unwrap()
}

async fn run(args: Vec<String>, dir: std::path::PathBuf) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        bin()
            .args(&args)
            .current_dir(dir)
            .env_remove("RUST_LOG")
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_prints_one_line_per_watch_and_mails_a_change() {
    let w = World::new().await;
    let args = vec![
        "check".to_string(),
        "--config".into(),
        w.config().display().to_string(),
    ];
    let out = run(args.clone(), w.dir.path().into()).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("new deal "), "{stdout}");

    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_B);
    let out = run(args.clone(), w.dir.path().into()).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("changed deal "), "{stdout}");
    assert_eq!(w.smtp.mails().len(), 1);

    let out = run(
        vec![
            "diff".into(),
            "deal".into(),
            "--config".into(),
            w.config().display().to_string(),
            "--json".into(),
        ],
        w.dir.path().into(),
    )
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"]["changed"].as_array().unwrap().len(), 1, "{v}");

    let out = run(
        vec![
            "history".into(),
            "deal".into(),
            "--config".into(),
            w.config().display().to_string(),
        ],
        w.dir.path().into(),
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("baseline") && stdout.contains("exclusivity"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_watch_exits_1_and_names_the_reason() {
    let w = World::new().await;
    w.set(Page::status(503));
    let out = run(
        vec![
            "check".into(),
            "--config".into(),
            w.config().display().to_string(),
        ],
        w.dir.path().into(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("failed deal ") && stdout.contains("503"),
        "{stdout}"
    );
}

#[test]
fn a_bad_watchlist_is_reported_with_its_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(
        &path,
        "[settings]\nsnapshots = \"s\"\n\n[[watch]]\nname = \"ok\"\nurl = \"https://e.example/a\"\nintervall = \"1h\"\n",
    )
    .unwrap();
    bin()
        .args(["validate", "--config"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("w.toml:7").and(predicate::str::contains("intervall")));
    bin()
        .args(["check", "--config"])
        .arg(&path)
        .assert()
        .code(2);
}

#[test]
fn the_example_watchlist_is_valid() {
    let root = env!("CARGO_MANIFEST_DIR");
    let wl = clausewatch::config::load(&std::path::Path::new(root).join("watchlist.toml")).unwrap();
    assert!(wl.watches.len() >= 5);
    assert!(wl.email.is_some());
    let hosts: Vec<_> = wl
        .watches
        .iter()
        .filter_map(|w| w.url.host_str().map(str::to_string))
        .collect();
    for company in ["microsoft", "openai", "amazon", "anthropic"] {
        assert!(
            hosts.iter().any(|h| h.contains(company)),
            "no {company} page in {hosts:?}"
        );
    }
}

#[test]
fn extract_json_has_the_contract_shape() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.html");
    std::fs::write(&path, page_v1()).unwrap();
    let out = bin()
        .args(["extract", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let clauses = v["clauses"].as_array().unwrap();
    assert!(!clauses.is_empty());
    for c in clauses {
        assert!(c["text"].is_string());
        assert!(!c["topics"].as_array().unwrap().is_empty());
    }
}

#[test]
fn demo_runs_offline_and_shows_the_alert() {
    bin()
        .arg("demo")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success()
        .stdout(
            predicate::str::is_match("X-Clausewatch-Topics: .*exclusivity")
                .unwrap()
                .and(predicate::str::contains("non-exclusive")),
        );
}

#[test]
fn extract_explain_names_dropped_boilerplate_and_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.html");
    std::fs::write(&path, page_v1()).unwrap();
    let out = bin()
        .args(["extract", "--explain", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dropped = v["dropped"].as_array().unwrap();
    assert!(
        dropped
            .iter()
            .any(|d| d["text"].as_str().unwrap_or("").contains("Related stories")),
        "{dropped:?}"
    );
    let rules: Vec<&str> = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["sentences"].as_array().unwrap())
        .flat_map(|s| s["rules"].as_array().unwrap())
        .filter_map(|r| r["rule"].as_str())
        .collect();
    assert!(
        rules.iter().any(|r| r.starts_with("exclusivity.")),
        "{rules:?}"
    );
    let human = bin()
        .args(["extract", "--explain"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("dropped as boilerplate") && text.contains("CLAUSE"),
        "{text}"
    );
}
