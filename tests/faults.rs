//! Fault injection over loopback: every fault goes through real `check` passes (library and
//! binary) and daemon runs. Across all of them: no false alert, no lost alert, no corrupted
//! snapshot. Timeouts are shortened in the watchlists; random choices take a fixed seed.

mod support;

use std::io::Write;
use std::time::Duration;

use clausewatch::check::{CheckReport, Outcome};
use clausewatch::store::Store;
use support::servers::Fault;
use support::*;

async fn check(w: &World) -> CheckReport {
    w.pass().await.remove(0)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transport_and_http_faults_fail_cleanly_and_keep_the_snapshot() {
    let w = World::new().await;
    // 1 MB body cap; failure notices out of the way (tested elsewhere).
    w.write_watchlist(
        "max_body_bytes = 1048576\nfailure_alert_after = 1000",
        &w.smtp.url(),
    );
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    let before = w.latest_clauses_txt();
    let good = page_v1();
    let faults: Vec<(&str, Page)> = vec![
        (
            "hanging server",
            Page::html(good.clone()).fault(Fault::Hang),
        ),
        ("slow server", {
            let mut p = Page::html(good.clone());
            p.delay = Duration::from_secs(5);
            p
        }),
        (
            "stall mid-body",
            Page::html(good.clone()).fault(Fault::StallAfter(300)),
        ),
        (
            "connection reset",
            Page::html(good.clone()).fault(Fault::Reset),
        ),
        (
            "truncated body",
            Page::html(good.clone()).fault(Fault::Truncate(400)),
        ),
        ("HTTP 500", Page::status(500)),
        ("HTTP 404", Page::status(404)),
        ("HTTP 503", Page::status(503).header("Retry-After", "120")),
        ("HTTP 429", Page::status(429).header("Retry-After", "30")),
        (
            "redirect loop",
            Page::status(302).header("Location", "/deal"),
        ),
        (
            "redirect to file:",
            Page::status(302).header("Location", "file:///etc/passwd"),
        ),
        ("60 MB body", Page::html(vec![b'a'; 60 * 1024 * 1024])),
        ("gzip bomb", {
            Page::html(gzip(&vec![b' '; 64 * 1024 * 1024])).header("Content-Encoding", "gzip")
        }),
        ("empty 200", Page::html("")),
        (
            "soft page without text",
            Page::html("<html><body><div id=app></div></body></html>"),
        ),
    ];
    for (what, page) in faults {
        w.set(page);
        let r = check(&w).await;
        assert!(
            matches!(r.outcome, Outcome::Failed { .. }),
            "{what}: {:?}",
            r.outcome
        );
        assert_eq!(w.versions().len(), 1, "{what}");
        assert_eq!(w.latest_clauses_txt(), before, "{what}");
        if what == "HTTP 503" {
            assert_eq!(r.retry_after_secs, Some(120));
        }
        if what == "HTTP 429" {
            assert_eq!(r.retry_after_secs, Some(30));
        }
        if what == "redirect to file:" || what == "redirect loop" {
            let Outcome::Failed { reason } = &r.outcome else {
                unreachable!()
            };
            assert!(reason.contains("redirect"), "{what}: {reason}");
        }
    }
    assert!(w.smtp.mails().is_empty(), "no mail at all");

    // Odd but readable pages: no false alert.
    let mut bad_utf8 = page_v1().into_bytes();
    let at = bad_utf8.len() - 30;
    bad_utf8.splice(at..at, [0xff, 0xfe, 0xc3]);
    let readable: Vec<(&str, Page)> = vec![
        ("invalid UTF-8 in the footer", Page::html(bad_utf8)),
        ("UTF-8 declared as windows-1252", {
            let mut p = Page::html(page_v1());
            p.content_type = "text/html; charset=windows-1252".into();
            p
        }),
        ("the good page again", Page::html(page_v1())),
    ];
    for (what, page) in readable {
        w.set(page);
        let r = check(&w).await;
        assert!(
            matches!(r.outcome, Outcome::Unchanged { .. }),
            "{what}: {:?}",
            r.outcome
        );
    }
    assert!(w.smtp.mails().is_empty());
    assert_eq!(w.versions().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_is_respected_unless_overridden() {
    let w = World::new().await;
    w.http.set(
        "/robots.txt",
        Page::html("User-agent: *\nDisallow: /deal\n").header("X", "y"),
    );
    let r = check(&w).await;
    let Outcome::Failed { reason } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert!(reason.contains("robots.txt"), "{reason}");
    assert!(w.versions().is_empty());
    // The watch overrides it.
    let text = std::fs::read_to_string(w.config()).unwrap() + "robots = false\n";
    std::fs::write(w.config(), text).unwrap();
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_that_is_down_then_up_gets_each_alert_once() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    // Down: nothing listens on the port.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("smtp://{}", dead.local_addr().unwrap());
    drop(dead);
    w.write_watchlist("", &dead_url);
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    for _ in 0..3 {
        check(&w).await;
    }
    assert_eq!(
        w.versions().len(),
        2,
        "the change is stored, its alert queued"
    );
    assert_eq!(list(&w.snapshots().join("deal/outbox")).len(), 1);
    // Up, but answering 421 at first.
    w.write_watchlist("", &w.smtp.url());
    w.smtp.set_refuse(true);
    check(&w).await;
    assert!(w.smtp.mails().is_empty());
    w.smtp.set_refuse(false);
    check(&w).await;
    check(&w).await;
    assert_eq!(w.topic_mails(), 1);
    assert!(list(&w.snapshots().join("deal/outbox")).is_empty());
}

/// A store that cannot be written (as on a full disk): here the outbox folder's place is
/// taken by a file, so queueing the alert fails. Nothing is lost or corrupted, and the
/// change is alerted once the store is writable again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_store_corrupts_nothing_and_loses_no_change() {
    let w = World::new().await;
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    let blocker = w.snapshots().join("deal/outbox");
    std::fs::write(&blocker, "not a folder").unwrap();
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    let r = check(&w).await;
    assert!(
        matches!(r.outcome, Outcome::Failed { .. }),
        "{:?}",
        r.outcome
    );
    assert_eq!(
        w.versions().len(),
        1,
        "snapshot not advanced without a queued alert"
    );
    assert!(w.smtp.mails().is_empty());
    std::fs::remove_file(&blocker).unwrap();
    assert!(matches!(check(&w).await.outcome, Outcome::Changed { .. }));
    assert_eq!(w.topic_mails(), 1);
    assert_eq!(w.versions().len(), 2);
}

const PAGES: usize = 6;

fn multi_world_watchlist(w: &World, extra: &str) {
    let mut text = format!(
        "[settings]\nsnapshots = \"snapshots\"\ntimeout = \"3s\"\n{extra}\n\n[email]\nsmtp_url = \"{}\"\n\
         from = \"cw@test.example\"\nto = [\"analyst@test.example\"]\n",
        w.smtp.url()
    );
    for i in 0..PAGES {
        text.push_str(&format!(
            "\n[[watch]]\nname = \"p{i}\"\nurl = \"{}\"\ninterval = \"1s\"\n",
            w.http.url(&format!("/p{i}"))
        ));
    }
    std::fs::write(w.config(), text).unwrap();
}

fn terms_v1() -> Vec<String> {
    TERMS_V1.iter().map(|s| s.to_string()).collect()
}

fn set_all(w: &World, paragraphs: &[String]) {
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    for i in 0..PAGES {
        w.http.set(
            &format!("/p{i}"),
            Page::html(page(&refs, BOILERPLATE_A, 2026)),
        );
    }
}

fn bin(w: &World, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_clausewatch"));
    c.args(args)
        .arg("--config")
        .arg(w.config())
        .current_dir(w.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    c
}

/// Every stored version and state file still parses, and no temp leftovers remain.
fn assert_store_intact(w: &World, versions_each: usize) {
    let store = Store::open(&w.snapshots()).unwrap();
    for i in 0..PAGES {
        let ws = store.watch(&format!("p{i}"));
        let versions = ws.versions().unwrap();
        assert_eq!(versions.len(), versions_each, "p{i}: {versions:?}");
        for v in versions {
            ws.load(v).unwrap();
            ws.load_raw(v).unwrap();
        }
        ws.state().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_loses_and_corrupts_nothing() {
    let w = World::new().await;
    multi_world_watchlist(&w, "");
    set_all(&w, &terms_v1());
    let st = tokio::task::spawn_blocking({
        let mut c = bin(&w, &["check"]);
        move || c.status().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(st.code(), Some(0));
    set_all(&w, &terms_exclusivity_edit());

    let mut rng = fastrand::Rng::with_seed(20261130);
    for _ in 0..8 {
        let mut child = bin(&w, &["check"]).spawn().unwrap();
        tokio::time::sleep(Duration::from_millis(rng.u64(5..250))).await;
        let _ = child.kill();
        let _ = child.wait();
    }
    // Let passes complete: every change must now be stored and mailed.
    for _ in 0..2 {
        let mut c = bin(&w, &["check"]);
        let st = tokio::task::spawn_blocking(move || c.status().unwrap())
            .await
            .unwrap();
        assert_eq!(st.code(), Some(0));
    }
    assert_store_intact(&w, 2);
    // Each page's change reached the analyst, under exactly one Message-ID: a duplicate may
    // only repeat a Message-ID the analyst's mail client can drop.
    let mails = w.smtp.mails();
    for i in 0..PAGES {
        let mut ids: Vec<String> = mails
            .iter()
            .filter(|m| m.data.contains(&format!("\"p{i}\"")))
            .filter_map(|m| m.header("Message-ID"))
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 1, "p{i}: change mailed under {ids:?}");
    }
    for m in &mails {
        let topics = m.header("X-Clausewatch-Topics").unwrap_or_default();
        assert!(
            topics.contains("exclusivity"),
            "only the real change is alerted: {topics}"
        );
    }
    // Nothing left pending.
    for i in 0..PAGES {
        assert!(list(&w.snapshots().join(format!("p{i}/outbox"))).is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_store_never_double_alert() {
    let w = World::new().await;
    multi_world_watchlist(&w, "");
    set_all(&w, &terms_v1());
    let mut c = bin(&w, &["check"]);
    tokio::task::spawn_blocking(move || c.status().unwrap())
        .await
        .unwrap();
    set_all(&w, &terms_exclusivity_edit());
    let (mut a, mut b) = (bin(&w, &["check"]), bin(&w, &["check"]));
    let (ra, rb) = tokio::join!(
        tokio::task::spawn_blocking(move || a.status().unwrap()),
        tokio::task::spawn_blocking(move || b.status().unwrap())
    );
    // A process that met a locked watch says so with exit code 1; neither crashes.
    for st in [ra.unwrap(), rb.unwrap()] {
        assert!(matches!(st.code(), Some(0) | Some(1)), "{st:?}");
    }
    let mut c = bin(&w, &["check"]);
    tokio::task::spawn_blocking(move || c.status().unwrap())
        .await
        .unwrap();
    assert_store_intact(&w, 2);
    let mails = w.smtp.mails();
    for i in 0..PAGES {
        let n = mails
            .iter()
            .filter(|m| m.data.contains(&format!("\"p{i}\"")))
            .count();
        assert_eq!(n, 1, "p{i} alerted exactly once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_survives_faults_alerts_once_and_stops_on_sigterm() {
    let w = World::new().await;
    multi_world_watchlist(&w, "failure_alert_after = 1000");
    set_all(&w, &terms_v1());
    let mut child = bin(&w, &["run", "--seed", "7"]).spawn().unwrap();
    let wait_for = |cond: &dyn Fn() -> bool, secs: u64| {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        while !cond() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        cond()
    };
    let baseline_done =
        || (0..PAGES).all(|i| !list(&w.snapshots().join(format!("p{i}/versions"))).is_empty());
    assert!(tokio::task::block_in_place(|| wait_for(&baseline_done, 20)));
    // Faults on every page for a few cycles.
    for i in 0..PAGES {
        let p = match i % 3 {
            0 => Page::status(500),
            1 => Page::html("").fault(Fault::Reset),
            _ => Page::html(page_v1()).fault(Fault::Truncate(100)),
        };
        w.http.set(&format!("/p{i}"), p);
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(child.try_wait().unwrap().is_none(), "daemon still running");
    assert!(w.smtp.mails().is_empty());
    // A real change: alerted once per page, while the daemon keeps going.
    set_all(&w, &terms_exclusivity_edit());
    let alerted = || {
        let mails = w.smtp.mails();
        (0..PAGES).all(|i| mails.iter().any(|m| m.data.contains(&format!("\"p{i}\""))))
    };
    assert!(
        tokio::task::block_in_place(|| wait_for(&alerted, 40)),
        "all changes alerted"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(w.smtp.mails().len(), PAGES, "one mail per page, no repeats");
    // SIGTERM: finishes in-flight work and exits 0.
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let status = tokio::task::block_in_place(|| {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(st) = child.try_wait().unwrap() {
                return Some(st);
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    assert_eq!(status.and_then(|s| s.code()), Some(0));
    assert_store_intact(&w, 2);
}

/// Peak resident memory (VmHWM, KiB) of a running process, polled until it exits.
fn peak_rss_kib(child: &mut std::process::Child) -> u64 {
    let path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        if let Ok(s) = std::fs::read_to_string(&path)
            && let Some(kib) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    peak
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_bodies_and_gzip_bombs_keep_memory_bounded() {
    let w = World::new().await;
    multi_world_watchlist(&w, "failure_alert_after = 1000");
    let bomb = gzip(&vec![b'x'; 256 * 1024 * 1024]);
    for i in 0..PAGES {
        let page = if i % 2 == 0 {
            Page::html(bomb.clone()).header("Content-Encoding", "gzip")
        } else {
            Page::html(vec![b'a'; 60 * 1024 * 1024])
        };
        w.http.set(&format!("/p{i}"), page);
    }
    let mut child = bin(&w, &["check"]).spawn().unwrap();
    let peak = tokio::task::block_in_place(|| peak_rss_kib(&mut child));
    // Six 10 MiB-capped bodies at once, plus the program: far below the 1.5 GiB the bodies
    // would take uncapped.
    assert!(peak > 0 && peak < 200 * 1024, "peak RSS {peak} KiB");
    assert!(w.smtp.mails().is_empty());
}

/// Puts delivered alerts back into the outbox, as a crash between the server's acceptance
/// and the outbox update would leave them.
fn undo_marks(w: &World, watch: &str) {
    let dir = w.snapshots().join(watch);
    for f in list(&dir.join("alerts")) {
        std::fs::rename(dir.join("alerts").join(&f), dir.join("outbox").join(&f)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_interrupted_after_acceptance_is_resent_under_the_same_message_id() {
    let w = World::new().await;
    multi_world_watchlist(&w, "");
    set_all(&w, &terms_v1());
    w.pass().await;
    set_all(&w, &terms_exclusivity_edit());
    w.pass().await;
    let first = w.smtp.mails();
    assert_eq!(first.len(), 1, "one digest");
    let id = first[0].header("Message-ID").unwrap();
    for i in 0..PAGES {
        undo_marks(&w, &format!("p{i}"));
    }
    // The next pass resends the whole digest with the same Message-ID; `outbox retry`
    // after another interruption does the same.
    w.pass().await;
    for i in 0..PAGES {
        undo_marks(&w, &format!("p{i}"));
    }
    let mut c = bin(&w, &["outbox", "retry"]);
    tokio::task::spawn_blocking(move || c.status().unwrap())
        .await
        .unwrap();
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 3);
    assert!(
        mails
            .iter()
            .all(|m| m.header("Message-ID").as_deref() == Some(id.as_str()))
    );
    for i in 0..PAGES {
        assert!(list(&w.snapshots().join(format!("p{i}/outbox"))).is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_digest_is_sent_later_as_one_new_digest() {
    let w = World::new().await;
    multi_world_watchlist(&w, "");
    set_all(&w, &terms_v1());
    w.pass().await;
    set_all(&w, &terms_exclusivity_edit());
    w.smtp.set_refuse(true);
    w.pass().await;
    assert!(w.smtp.mails().is_empty());
    w.smtp.set_refuse(false);
    w.pass().await;
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 1, "all changes in one digest");
    for i in 0..PAGES {
        assert!(
            mails[0].data.contains(&format!("\"p{i}\"")),
            "p{i} in the digest"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_before_the_state_is_saved_never_sends_a_second_failing_notice() {
    let w = World::new().await;
    w.write_watchlist("failure_alert_after = 3", &w.smtp.url());
    assert!(matches!(check(&w).await.outcome, Outcome::New { .. }));
    w.set(Page::status(500));
    check(&w).await;
    check(&w).await;
    let state = w.snapshots().join("deal/state.json");
    let before = std::fs::read(&state).unwrap();
    check(&w).await; // third failure: the notice
    assert_eq!(w.smtp.mails().len(), 1);
    // A crash right after queueing the notice would leave the old state behind.
    std::fs::write(&state, &before).unwrap();
    check(&w).await;
    check(&w).await;
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 1, "no second failing notice");
    assert!(
        mails[0]
            .header("Subject")
            .unwrap()
            .contains("watch failing")
    );
}
