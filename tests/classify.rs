//! `clausewatch classify`: one output line per input line, in order, never split.

use assert_cmd::Command;

fn classify() -> Command {
    let mut cmd = Command::cargo_bin("clausewatch").expect("binary built");
    cmd.arg("classify").env_remove("RUST_LOG");
    cmd
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn classify_prints_one_json_line_per_stdin_line_in_order() {
    let input = "Globex will be the sole cloud provider for Acme until 2030. Acme keeps 30% of every sale.\n\
                 \n\
                 Prices are exclusive of VAT.\n\
                 Globex keeps 30% of every sale in its store.\n";
    let out = classify()
        .arg("--json")
        .write_stdin(input)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 4, "one line per input line, the empty one too");
    // Two sentences on one line stay one unit.
    assert_eq!(
        lines[0]["text"],
        "Globex will be the sole cloud provider for Acme until 2030. Acme keeps 30% of every sale."
    );
    let topics = |i: usize| lines[i]["topics"].clone();
    assert_eq!(
        topics(0),
        serde_json::json!(["cloud", "exclusivity", "revenue_share"])
    );
    assert_eq!(topics(1), serde_json::json!([]));
    assert_eq!(topics(2), serde_json::json!([]));
    assert_eq!(topics(3), serde_json::json!(["revenue_share"]));
    assert!(lines[0]["rules"][0]["rule"].is_string());
    assert!(lines[0]["terms"]["kinds"].is_array());
    assert_eq!(lines[3]["terms"]["percentages"], serde_json::json!([30.0]));
}

#[test]
fn classify_arguments_give_plain_lines_with_rules_and_terms() {
    let out = classify()
        .args([
            "Globex will be the sole cloud provider for Acme until 2030.",
            "The weather was cloudy all week.",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("cloud,exclusivity\trules: "),
        "{stdout}"
    );
    assert!(lines[0].contains("exclusivity.sole ("), "{stdout}");
    assert!(lines[0].contains("terms: exclusive"), "{stdout}");
    assert_eq!(lines[1], "-");
}

#[test]
fn classify_with_config_adds_the_watchlists_custom_topics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("watchlist.toml");
    std::fs::write(
        &config,
        r#"[settings]
snapshots = "snapshots"

[topics.board_seat]
patterns = ['\bboard (seat|observer)\b']
exclude = ['\bformer board\b']

[[watch]]
name = "deal"
url = "https://example.com/deal"
"#,
    )
    .expect("written");
    let out = classify()
        .args(["--json", "--config"])
        .arg(&config)
        .write_stdin("Globex gains a board seat at Acme.\nA former board observer left Acme.\n")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines[0]["topics"], serde_json::json!(["board_seat"]));
    assert_eq!(lines[0]["rules"][0]["rule"], "custom.pattern");
    assert_eq!(lines[1]["topics"], serde_json::json!([]));
}

#[test]
fn classify_help_has_examples() {
    let out = classify().arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("Examples:") && help.contains("--json"),
        "{help}"
    );
}
