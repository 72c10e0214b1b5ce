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

/// A watchlist of `n` watches `p0…`, each on its own page with version 1 of the terms.
fn many_watches(w: &World, n: usize, extra: &str) {
    let mut text = format!(
        "[settings]\nsnapshots = \"snapshots\"\ntimeout = \"3s\"\n{extra}\n\n[email]\nsmtp_url = \"{}\"\n\
         from = \"cw@test.example\"\nto = [\"analyst@test.example\"]\n",
        w.smtp.url()
    );
    for i in 0..n {
        text.push_str(&format!(
            "\n[[watch]]\nname = \"p{i}\"\nurl = \"{}\"\n",
            w.http.url(&format!("/p{i}"))
        ));
        w.http.set(&format!("/p{i}"), Page::html(page_v1()));
    }
    std::fs::write(w.config(), text).unwrap();
}

fn edit_page(w: &World, path: &str) {
    let terms = terms_exclusivity_edit();
    let refs: Vec<&str> = terms.iter().map(String::as_str).collect();
    w.http
        .set(path, Page::html(page(&refs, BOILERPLATE_A, 2026)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_unreadable_outbox_entries_are_quarantined_and_mailed_means_accepted() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    let outbox = w.snapshots().join("deal/outbox");
    std::fs::create_dir_all(outbox.join("a-folder.json")).unwrap();
    std::fs::write(outbox.join("garbage.json"), "{not json").unwrap();
    // Read-only commands skip them (with a warning) instead of failing.
    let out = bin(&w, &["status"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    let out = bin(&w, &["check"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout.contains("alert mailed"), "{stdout}");
    assert_eq!(w.smtp.mails().len(), 1, "the alert really went out");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unreadable alert file"), "{stderr}");
    assert_eq!(list(&w.snapshots().join("deal/quarantine")).len(), 2);
    assert!(list(&outbox).is_empty());
    for cmd in [&["status"][..], &["outbox"][..]] {
        let out = bin(&w, cmd).await;
        assert_eq!(out.status.code(), Some(0), "{cmd:?}: {out:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_a_digest_dropped_after_acceptance_keeps_its_message_id() {
    let w = World::new().await;
    many_watches(&w, 3, "");
    w.pass().await;
    edit_page(&w, "/p0");
    edit_page(&w, "/p1");
    // The server takes the digest, then the connection drops before its "250".
    w.smtp.set_drop_after_accept(true);
    w.pass().await;
    assert_eq!(w.smtp.mails().len(), 1);
    w.smtp.set_drop_after_accept(false);
    // A third change joins before the retry: it must not pull the first two into a new
    // digest under another Message-ID.
    edit_page(&w, "/p2");
    w.pass().await;
    let mails = w.smtp.mails();
    for i in 0..3 {
        let mut ids: Vec<String> = mails
            .iter()
            .filter(|m| m.data.contains(&format!("\"p{i}\"")))
            .filter_map(|m| m.header("Message-ID"))
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 1, "p{i} mailed under {ids:?}");
    }
    for i in 0..3 {
        assert!(list(&w.snapshots().join(format!("p{i}/outbox"))).is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_a_revert_after_the_newest_version_was_quarantined_is_alerted() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    assert!(matches!(check(&w).await.outcome, Outcome::Changed { .. }));
    assert_eq!(w.topic_mails(), 1);
    // The newest version's metadata gets corrupted: it is quarantined, version 1 is latest.
    let meta = w.snapshots().join("deal/versions/000002/meta.json");
    std::fs::write(&meta, "{corrupt").unwrap();
    let r = check(&w).await;
    assert!(
        matches!(r.outcome, Outcome::Changed { .. }),
        "the fast paths must not trust the quarantined version's hash or validators: {:?}",
        r.outcome
    );
    assert_eq!(w.topic_mails(), 1, "the same change is not mailed twice");
    // Now the page goes back to version 1's terms: that is a change against the latest.
    w.set_paragraphs(
        &TERMS_V1.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        BOILERPLATE_A,
    );
    let r = check(&w).await;
    assert!(
        matches!(r.outcome, Outcome::Changed { .. }),
        "{:?}",
        r.outcome
    );
    assert_eq!(w.topic_mails(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_a_corrupt_newest_raw_page_is_quarantined_and_the_stored_clauses_used() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    let raw = w.snapshots().join("deal/versions/000001/page.html.gz");
    let mut bytes = std::fs::read(&raw).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&raw, bytes).unwrap();
    // An edited `select` makes the check re-read the stored page under the new rules.
    let text = std::fs::read_to_string(w.config()).unwrap() + "select = \"article\"\n";
    std::fs::write(w.config(), text).unwrap();
    for _ in 0..2 {
        let r = check(&w).await;
        assert!(
            matches!(r.outcome, Outcome::Unchanged { .. }),
            "{:?}",
            r.outcome
        );
    }
    assert!(w.smtp.mails().is_empty());
    let q = list(&w.snapshots().join("deal/quarantine"));
    assert_eq!(q.len(), 1, "{q:?}");
    assert!(q[0].starts_with("000001-page.html.gz"), "{q:?}");
}

/// Version 1 of the terms with `insert` put into the exclusivity clause's words.
fn terms_with(insert: &str) -> Vec<String> {
    TERMS_V1
        .iter()
        .map(|p| {
            p.replace(
                "exclusive cloud",
                &format!("exclu{insert}sive{insert} cloud"),
            )
            .replace("revenue share", &format!("revenue{insert} share"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_invisible_characters_are_no_change() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    for insert in [
        "\u{200e}",
        "\u{202e}",
        "\u{2066}\u{2069}",
        "\u{34f}",
        "\u{fe0f}",
        "\u{180e}",
        "\u{e0041}\u{e007f}",
        "\u{1b}",
    ] {
        w.set_paragraphs(&terms_with(insert), BOILERPLATE_A);
        let r = check(&w).await;
        assert!(
            matches!(r.outcome, Outcome::Unchanged { .. }),
            "{insert:?}: {:?}",
            r.outcome
        );
    }
    assert!(w.smtp.mails().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_control_characters_never_reach_the_terminal() {
    let w = World::new().await;
    // No [email]: alerts are printed by `check`.
    let text = std::fs::read_to_string(w.config()).unwrap();
    let start = text.find("[email]").unwrap();
    let end = text.find("[[watch]]").unwrap();
    std::fs::write(w.config(), format!("{}{}", &text[..start], &text[end..])).unwrap();
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\r";
    w.set_paragraphs(&terms_with(hostile), BOILERPLATE_A);
    let out = bin(&w, &["check"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let mut edited = terms_with(hostile);
    edited[1] = edited[1].replace("2029", "2031");
    w.set_paragraphs(&edited, BOILERPLATE_A);
    let out = bin(&w, &["check"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.contains("Subject:"),
        "the alert is printed: {stdout}"
    );
    let mut outputs = vec![("check", stdout)];
    for args in [
        &["show", "deal"][..],
        &["diff", "deal"][..],
        &["diff", "deal", "--side-by-side"][..],
        &["history", "deal"][..],
    ] {
        let out = bin(&w, args).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        outputs.push((args[0], String::from_utf8_lossy(&out.stdout).into_owned()));
    }
    for (what, text) in outputs {
        let raw: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
            .collect();
        // Extraction drops them from page text; anything that still carries one (a clause
        // stored by an earlier release) is escaped by the renderers (unit tests there).
        assert!(raw.is_empty(), "{what}: raw {raw:?} in {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_credentials_come_from_the_environment_never_from_the_url() {
    let w = World::new().await;
    let base = std::fs::read_to_string(w.config()).unwrap();
    let url = w.http.url("/deal");
    let with_creds = url.replace("http://", "http://analyst:hunter2@");
    std::fs::write(w.config(), base.replace(&url, &with_creds)).unwrap();
    let out = bin(&w, &["validate"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("watch[1].url") && stderr.contains("password_env"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
    // The keys instead: HTTP Basic with the password from the environment.
    std::fs::write(
        w.config(),
        base + "username = \"analyst\"\npassword_env = \"CW_TEST_PAGE_PASSWORD\"\n",
    )
    .unwrap();
    let out = bin(&w, &["check"]).await;
    assert_eq!(out.status.code(), Some(1), "no password set: {out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("CW_TEST_PAGE_PASSWORD"));
    let out = bin_env(&w, &["check"], &[("CW_TEST_PAGE_PASSWORD", "hunter2")]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // base64("analyst:hunter2")
    assert_eq!(
        w.http.last_authorization().as_deref(),
        Some("Basic YW5hbHlzdDpodW50ZXIy")
    );
    for f in walk(&w.snapshots()) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        assert!(!text.contains("hunter2"), "{}", f.display());
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_names_that_escape_the_store_or_collide_are_refused() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    for cmd in ["show", "history", "diff", "rebaseline"] {
        for name in ["../../x", "/tmp/x", "CON"] {
            let out = bin(&w, &[cmd, name]).await;
            assert_eq!(out.status.code(), Some(2), "{cmd} {name}: {out:?}");
        }
    }
    let text = std::fs::read_to_string(w.config()).unwrap();
    let text = format!(
        "{text}\n[[watch]]\nname = \"Deal\"\nurl = \"{}\"\n",
        w.http.url("/deal")
    );
    std::fs::write(w.config(), text).unwrap();
    let out = bin(&w, &["validate"]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("watch[2].name"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_a_snapshots_path_that_is_a_file_is_refused_by_validate() {
    let w = World::new().await;
    for (setting, value) in [("snapshots", "\"/dev/null\""), ("max_body_bytes", "0")] {
        let text = std::fs::read_to_string(w.config())
            .unwrap()
            .replace("snapshots = \"snapshots\"", &format!("{setting} = {value}"));
        let text = if setting == "max_body_bytes" {
            text.replace("[settings]\n", "[settings]\nsnapshots = \"snapshots\"\n")
        } else {
            text
        };
        std::fs::write(w.config(), &text).unwrap();
        let out = bin(&w, &["validate"]).await;
        assert_eq!(out.status.code(), Some(2), "{setting}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("settings.{setting}")), "{stderr}");
        w.write_watchlist("", &w.smtp.url());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_robots_txt_is_capped_5xx_disallows_and_answers_are_cached_in_the_store() {
    let w = World::new().await;
    w.write_watchlist("failure_alert_after = 1000", &w.smtp.url());
    // A 5xx robots.txt: disallowed for now (RFC 9309), nothing fetched or stored.
    w.http.set("/robots.txt", Page::status(503));
    let r = check(&w).await;
    let Outcome::Failed { reason } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert!(reason.contains("robots.txt"), "{reason}");
    assert!(w.versions().is_empty());
    // Rules after the first 500 KiB are never read: the Disallow at the end does not count.
    let mut huge = String::from("User-agent: *\nAllow: /\n");
    while huge.len() < 600 * 1024 {
        huge.push_str("# padding padding padding padding padding padding padding\n");
    }
    huge.push_str("User-agent: clausewatch\nDisallow: /deal\n");
    w.http.set("/robots.txt", Page::html(huge));
    let out = bin(&w, &["check"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(w.versions().len(), 1);
    // Cached in the store for 24 h: the next `check` process does not fetch it again, even
    // though it now forbids everything.
    assert_eq!(list(&w.snapshots().join(".robots")).len(), 1);
    w.http
        .set("/robots.txt", Page::html("User-agent: *\nDisallow: /\n"));
    let before = w.http.requests();
    let out = bin(&w, &["check"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(w.http.requests() - before, 1, "only the page was fetched");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_versions_record_why_they_were_written_and_history_and_diff_say_so() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    // A rebaseline of an edited page: stored, not alerted.
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    let out = bin(&w, &["rebaseline", "deal"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // An edited `select`: the page is re-read under the new rules and stored, not alerted.
    let text = std::fs::read_to_string(w.config()).unwrap() + "select = \"main\"\n";
    std::fs::write(w.config(), text).unwrap();
    let r = check(&w).await;
    assert!(
        matches!(r.outcome, Outcome::Unchanged { .. }),
        "{:?}",
        r.outcome
    );
    assert!(w.smtp.mails().is_empty());
    assert_eq!(w.versions().len(), 3);
    let out = bin(&w, &["history", "deal"]).await;
    let history = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = history.lines().collect();
    assert!(lines[0].contains("baseline"), "{history}");
    assert!(
        lines[1].contains("rebaselined by hand (no alert)"),
        "{history}"
    );
    assert!(
        lines[2].contains("re-read under new rules (no alert)"),
        "{history}"
    );
    let out = bin(&w, &["diff", "deal", "--from", "1", "--to", "2"]).await;
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("no alert was sent"), "{diff}");
    let out = bin(&w, &["history", "deal", "--json"]).await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[1]["reason"], "rebaseline", "{v}");
    assert_eq!(v[2]["reason"], "rules_upgrade", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_the_daemon_without_email_prints_the_alert_text() {
    use std::io::BufRead;
    let w = World::new().await;
    let text = std::fs::read_to_string(w.config()).unwrap();
    let start = text.find("[email]").unwrap();
    let end = text.find("[[watch]]").unwrap();
    let text = format!("{}{}interval = \"1s\"\n", &text[..start], &text[end..]);
    std::fs::write(w.config(), text).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clausewatch"))
        .args(["run", "--seed", "5", "--config"])
        .arg(w.config())
        .current_dir(w.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut edited = false;
    while std::time::Instant::now() < deadline
        && !seen.iter().any(|l: &String| l.contains("non-exclusive"))
    {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if line.starts_with("new deal") && !edited {
                w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
                edited = true;
            }
            seen.push(line);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let all = seen.join("\n");
    assert!(all.contains("changed deal"), "{all}");
    assert!(all.contains("Subject: [clausewatch] deal"), "{all}");
    assert!(all.contains("non-exclusive"), "the alert's text: {all}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_failures_are_counted_in_memory_when_the_state_cannot_be_written() {
    let w = World::new().await;
    w.write_watchlist("failure_alert_after = 2", &w.smtp.url());
    let text = std::fs::read_to_string(w.config()).unwrap() + "interval = \"1s\"\n";
    std::fs::write(w.config(), text).unwrap();
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    w.set(Page::status(500));
    // As on a full disk: state.json cannot be written, the outbox still can.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clausewatch"))
        .args(["run", "--seed", "9", "--config"])
        .arg(w.config())
        .env("CLAUSEWATCH_TEST_STATE_UNWRITABLE", "deal")
        .current_dir(w.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let notified = || {
        w.smtp.mails().iter().any(|m| {
            m.header("Subject")
                .is_some_and(|s| s.contains("watch failing"))
        })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !notified() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(notified(), "the second failure in a row sends the notice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_partial_content_is_no_page_and_ten_redirects_are_followed() {
    let w = World::new().await;
    w.write_watchlist("failure_alert_after = 1000", &w.smtp.url());
    let mut partial = Page::html(page_v1());
    partial.status = 206;
    w.set(partial);
    let r = check(&w).await;
    assert!(
        matches!(r.outcome, Outcome::Failed { .. }),
        "{:?}",
        r.outcome
    );
    assert!(w.versions().is_empty());
    // /deal → /hop1 → … → /hop10 (ten redirects), then the page.
    let chain = |hops: usize| {
        w.set(Page::status(302).header("Location", "/hop1"));
        for i in 1..hops {
            w.http.set(
                &format!("/hop{i}"),
                Page::status(302).header("Location", &format!("/hop{}", i + 1)),
            );
        }
        w.http.set(&format!("/hop{hops}"), Page::html(page_v1()));
    };
    chain(11);
    let r = check(&w).await;
    let Outcome::Failed { reason } = &r.outcome else {
        panic!("eleven redirects: {:?}", r.outcome)
    };
    assert!(reason.contains("redirect"), "{reason}");
    chain(10);
    let r = check(&w).await;
    assert!(
        matches!(r.outcome, Outcome::New { .. }),
        "ten redirects: {:?}",
        r.outcome
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_fetch_log_is_read_line_by_line_and_capped_at_every_check() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    let log = w.snapshots().join("deal/fetch.log");
    let good = std::fs::read(&log).unwrap();
    let mut bytes = good.clone();
    bytes.extend_from_slice(b"{\"time\": \"bad \xff byte\"}\nnot json at all\n");
    bytes.extend_from_slice(&good);
    std::fs::write(&log, &bytes).unwrap();
    let out = bin(&w, &["history", "deal"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 fetches logged"),
        "{out:?}"
    );
    let out = bin(&w, &["gc"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // A log far over its cap (1 MiB) is cut back by the next check, without a new version.
    let mut big = Vec::new();
    while big.len() < 3 * 1024 * 1024 {
        big.extend_from_slice(&good);
    }
    std::fs::write(&log, &big).unwrap();
    let r = check(&w).await;
    assert!(
        matches!(r.outcome, Outcome::Unchanged { .. }),
        "{:?}",
        r.outcome
    );
    let len = std::fs::metadata(&log).unwrap().len();
    assert!(len <= 1024 * 1024, "{len}");
    let out = bin(&w, &["history", "deal"]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_a_store_written_by_the_previous_release_is_migrated_without_false_alerts() {
    use std::io::Read;
    let w = World::new().await;
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/store-format1/norvale-cumulus");
    let dir = w.snapshots().join("norvale-cumulus");
    copy_dir(&fixture, &dir);
    // The page as it was when the previous release stored version 2.
    let mut page = Vec::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(dir.join("versions/000002/page.html.gz")).unwrap(),
    )
    .read_to_end(&mut page)
    .unwrap();
    w.http.set("/norvale", Page::html(page.clone()));
    let text = std::fs::read_to_string(w.config())
        .unwrap()
        .replace("name = \"deal\"", "name = \"norvale-cumulus\"")
        .replace(&w.http.url("/deal"), &w.http.url("/norvale"));
    std::fs::write(w.config(), text).unwrap();
    let state = |w: &World| -> serde_json::Value {
        let path = w.snapshots().join("norvale-cumulus/state.json");
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    };
    assert_eq!(state(&w)["format"], 1);
    // The stored pages are re-read by today's extractor (a version written for the rules
    // upgrade, when the extractor changed since the fixture was made), never alerted.
    for _ in 0..2 {
        let r = check(&w).await;
        assert!(
            matches!(r.outcome, Outcome::Unchanged { version, .. } if version >= 2),
            "{:?}",
            r.outcome
        );
    }
    assert!(w.smtp.mails().is_empty());
    assert_eq!(state(&w)["format"], 2, "migrated on first lock");
    assert!(
        state(&w)["content_version"].as_u64() >= Some(2),
        "{}",
        state(&w)
    );
    // Boilerplate-only edits are still no change against the old versions.
    let edited = String::from_utf8_lossy(&page).replace("</body>", "<p>Footer.</p></body>");
    w.http.set("/norvale", Page::html(edited));
    let r = check(&w).await;
    assert!(
        matches!(r.outcome, Outcome::Unchanged { .. }),
        "{:?}",
        r.outcome
    );
    assert!(w.smtp.mails().is_empty());
    for args in [
        &["history", "norvale-cumulus"][..],
        &["diff", "norvale-cumulus"][..],
        &["status"][..],
    ] {
        let out = bin(&w, args).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    }
    // A store from a newer release is refused, never rewritten.
    let path = w.snapshots().join("norvale-cumulus/state.json");
    let mut newer = state(&w);
    newer["format"] = 99.into();
    std::fs::write(&path, serde_json::to_vec(&newer).unwrap()).unwrap();
    let r = check(&w).await;
    let Outcome::Failed { reason } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert!(reason.contains("newer"), "{reason}");
    assert_eq!(state(&w)["format"], 99);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue9_pages_over_the_work_bounds_fail_with_the_reason() {
    use clausewatch::check::{MAX_ATTRIBUTES, MAX_DEPTH};
    let w = World::new().await;
    w.write_watchlist("failure_alert_after = 1000", &w.smtp.url());
    let good = page_v1();
    let nested = good.replace(
        "<article>",
        &format!("<article>{}", "<div>".repeat(MAX_DEPTH + 10)),
    );
    let wide = good.replace(
        "<article>",
        &format!("<article {}>", "data-x=1 ".repeat(MAX_ATTRIBUTES + 10)),
    );
    for (what, page, word) in [("nested", nested, "nested"), ("wide", wide, "attributes")] {
        w.set(Page::html(page));
        let r = check(&w).await;
        let Outcome::Failed { reason } = &r.outcome else {
            panic!("{what}: {:?}", r.outcome)
        };
        assert!(reason.contains(word), "{what}: {reason}");
        assert!(w.versions().is_empty());
    }
    w.set(Page::html(good));
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
}
