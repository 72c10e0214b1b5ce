//! End-to-end checks through the library against real loopback HTTP and SMTP servers.

mod support;

use clausewatch::check::{Delivery, Outcome};
use support::*;

async fn check(world: &World) -> Outcome {
    let mut reports = world.pass().await;
    assert_eq!(reports.len(), 1);
    reports.remove(0).outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baseline_boilerplate_and_term_change() {
    let w = World::new().await;
    let o = check(&w).await;
    assert!(
        matches!(o, Outcome::New { clauses, .. } if clauses >= 2),
        "{o:?}"
    );
    assert!(w.smtp.mails().is_empty(), "baseline must not alert");
    let baseline = w.latest_clauses_txt();
    assert!(baseline.contains("exclusive cloud provider"), "{baseline}");
    assert!(!baseline.contains("Related"), "{baseline}");
    assert!(!baseline.contains("cookies"), "{baseline}");

    // Same page again: 304, nothing new.
    let o = check(&w).await;
    assert!(
        matches!(&o, Outcome::Unchanged { why, .. } if why == "not modified"),
        "{o:?}"
    );

    // Boilerplate-only change: rotated teasers, cookie text, footer year.
    let same: Vec<String> = TERMS_V1.iter().map(|s| s.to_string()).collect();
    w.set_paragraphs(&same, BOILERPLATE_B);
    let o = check(&w).await;
    assert!(
        matches!(&o, Outcome::Unchanged { why, .. } if why == "no term change"),
        "{o:?}"
    );
    assert!(w.smtp.mails().is_empty());
    assert_eq!(w.versions().len(), 1);

    // A term change: exactly one mail naming exclusivity.
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_B);
    let o = check(&w).await;
    let Outcome::Changed {
        changes, delivery, ..
    } = &o
    else {
        panic!("expected a change, got {o:?}");
    };
    assert_eq!(*delivery, Delivery::Sent);
    assert_eq!(changes.changed.len(), 1, "{changes:?}");
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    let topics = m.header("X-Clausewatch-Topics").unwrap();
    assert!(topics.contains("exclusivity"), "{topics}");
    assert!(!topics.contains("revenue_share"), "{topics}");
    let subject = m.header("Subject").unwrap();
    assert!(subject.starts_with("[clausewatch] deal: "), "{subject}");
    assert!(
        subject.contains("exclusivity") && subject.ends_with("changed"),
        "{subject}"
    );
    assert!(m.header("Message-ID").is_some());
    assert!(m.data.contains("non-exclusive"), "{}", m.data);
    assert_eq!(w.versions().len(), 2);

    // The page stays as it is: no second mail.
    let o = check(&w).await;
    assert!(matches!(o, Outcome::Unchanged { .. }), "{o:?}");
    assert_eq!(w.smtp.mails().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_fetches_keep_the_snapshot_and_never_alert() {
    let w = World::new().await;
    assert!(matches!(check(&w).await, Outcome::New { .. }));
    let before = w.latest_clauses_txt();

    let bad_pages = [
        ("HTTP 500", Page::status(500)),
        ("HTTP 404", Page::status(404)),
        ("empty 200", Page::html("")),
        (
            "no main text",
            Page::html("<html><body><nav>Home</nav></body></html>"),
        ),
        ("timeout", {
            let mut p = Page::html(page_v1());
            p.delay = std::time::Duration::from_secs(4);
            p
        }),
    ];
    for (what, page) in bad_pages {
        w.set(page);
        let o = check(&w).await;
        assert!(matches!(o, Outcome::Failed { .. }), "{what}: {o:?}");
        assert_eq!(w.versions().len(), 1, "{what}");
        assert_eq!(w.latest_clauses_txt(), before, "{what}");
    }
    // Five failures in a row: one "watch failing" notice (at the third), no term alert.
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 1, "one failing notice, not one per failure");
    assert_eq!(mails[0].header("X-Clausewatch-Topics").as_deref(), Some(""));
    assert!(
        mails[0]
            .header("Subject")
            .unwrap()
            .contains("watch failing")
    );

    // The page comes back unchanged: no false alert, one "recovered" notice.
    w.set(Page::html(page_v1()));
    let o = check(&w).await;
    assert!(matches!(o, Outcome::Unchanged { .. }), "{o:?}");
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1].header("X-Clausewatch-Topics").as_deref(), Some(""));
    assert!(mails[1].header("Subject").unwrap().contains("recovered"));
    check(&w).await;
    assert_eq!(w.smtp.mails().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_mail_server_loses_no_alert_and_sends_it_once() {
    let w = World::new().await;
    assert!(matches!(check(&w).await, Outcome::New { .. }));
    w.smtp.set_refuse(true);
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    let o = check(&w).await;
    assert!(
        matches!(
            &o,
            Outcome::Changed {
                delivery: Delivery::Queued { .. },
                ..
            }
        ),
        "{o:?}"
    );
    assert!(w.smtp.mails().is_empty());
    // Snapshot advanced because the alert is durably queued.
    assert_eq!(w.versions().len(), 2);
    assert_eq!(support::list(&w.snapshots().join("deal/outbox")).len(), 1);

    // Still down: still queued, nothing lost.
    let o = check(&w).await;
    assert!(matches!(o, Outcome::Unchanged { .. }), "{o:?}");
    assert_eq!(support::list(&w.snapshots().join("deal/outbox")).len(), 1);

    // Back up: the next check delivers it, exactly once.
    w.smtp.set_refuse(false);
    check(&w).await;
    check(&w).await;
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0]
            .header("X-Clausewatch-Topics")
            .unwrap()
            .contains("exclusivity")
    );
    assert!(support::list(&w.snapshots().join("deal/outbox")).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collapsed_page_is_held_as_an_anomaly_then_confirmed() {
    let w = World::new().await;
    assert!(matches!(check(&w).await, Outcome::New { .. }));
    // The template breaks: only the first paragraph is left.
    let broken = vec![TERMS_V1[3].to_string()];
    w.set_paragraphs(&broken, BOILERPLATE_A);
    let o = check(&w).await;
    assert!(matches!(o, Outcome::Anomaly { seen: 1, .. }), "{o:?}");
    assert!(w.smtp.mails().is_empty());
    assert_eq!(w.versions().len(), 1);
    // The page comes back: nothing to report.
    w.set(Page::html(page_v1()));
    assert!(matches!(check(&w).await, Outcome::Unchanged { .. }));
    assert!(w.smtp.mails().is_empty());
    // The collapse persists: one anomaly notice with an empty topics header, then the
    // removal is believed and alerted.
    w.set_paragraphs(&broken, BOILERPLATE_A);
    assert!(matches!(check(&w).await, Outcome::Anomaly { seen: 1, .. }));
    assert!(matches!(check(&w).await, Outcome::Anomaly { seen: 2, .. }));
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].header("X-Clausewatch-Topics").as_deref(), Some(""));
    let o = check(&w).await;
    assert!(matches!(o, Outcome::Changed { .. }), "{o:?}");
    assert_eq!(w.smtp.mails().len(), 2);
}

/// Two watches on two pages; `mode` is the `[email] mode`.
fn two_watch_watchlist(w: &World, mode: &str, topics: &str) {
    w.http.set("/other", Page::html(page_v1()));
    std::fs::write(
        w.config(),
        format!(
            "[settings]\nsnapshots = \"snapshots\"\n\n[email]\nsmtp_url = \"{}\"\nfrom = \"cw@test.example\"\n\
             to = [\"analyst@test.example\"]\nmode = \"{mode}\"\n\n\
             [[watch]]\nname = \"deal\"\nurl = \"{}\"\n{topics}\n\n[[watch]]\nname = \"other\"\nurl = \"{}\"\n",
            w.smtp.url(),
            w.http.url("/deal"),
            w.http.url("/other")
        ),
    )
    .unwrap();
}

async fn pass(w: &World) -> Vec<Outcome> {
    w.pass().await.into_iter().map(|r| r.outcome).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_of_one_pass_arrive_as_one_digest_with_the_union_of_topics() {
    let w = World::new().await;
    two_watch_watchlist(&w, "digest", "");
    pass(&w).await;
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    let revenue_edit: Vec<String> = TERMS_V1
        .iter()
        .map(|p| p.replace("12 percent", "9 percent"))
        .collect();
    let refs: Vec<&str> = revenue_edit.iter().map(String::as_str).collect();
    w.http
        .set("/other", Page::html(page(&refs, BOILERPLATE_A, 2026)));
    let outcomes = pass(&w).await;
    assert!(
        outcomes.iter().all(|o| matches!(
            o,
            Outcome::Changed {
                delivery: Delivery::Sent,
                ..
            }
        )),
        "{outcomes:?}"
    );
    let mails = w.smtp.mails();
    assert_eq!(mails.len(), 1, "one digest");
    let topics = mails[0].header("X-Clausewatch-Topics").unwrap();
    assert!(
        topics.contains("exclusivity") && topics.contains("revenue_share"),
        "{topics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mode_each_sends_one_mail_per_watch() {
    let w = World::new().await;
    two_watch_watchlist(&w, "each", "");
    pass(&w).await;
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    let refs: Vec<String> = terms_exclusivity_edit();
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    w.http
        .set("/other", Page::html(page(&refs, BOILERPLATE_B, 2026)));
    pass(&w).await;
    assert_eq!(w.smtp.mails().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_extraction_settings_on_an_unchanged_page_send_no_alert() {
    let w = World::new().await;
    two_watch_watchlist(&w, "digest", "");
    pass(&w).await;
    // The analyst narrows the topics of one watch and sets a selector on it: the stored
    // page is re-read with the new settings, so nothing looks changed.
    two_watch_watchlist(
        &w,
        "digest",
        "topics = [\"cloud\", \"exclusivity\"]\nselect = \"article\"",
    );
    let outcomes = pass(&w).await;
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Unchanged { .. })),
        "{outcomes:?}"
    );
    assert!(w.smtp.mails().is_empty());
    // A real change is still caught under the new settings.
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    let outcomes = pass(&w).await;
    assert!(
        matches!(outcomes[0], Outcome::Changed { .. }),
        "{outcomes:?}"
    );
    assert_eq!(w.smtp.mails().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_extractor_version_on_an_unchanged_page_sends_no_alert() {
    let w = World::new().await;
    assert!(matches!(check(&w).await, Outcome::New { .. }));
    // Pretend version 1 was stored by older rules that found fewer clauses and tagged them
    // differently. Comparing stored clauses with today's would look like a change.
    let meta = w.snapshots().join("deal/versions/000001/meta.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    v["extractor_version"] = "0.0.1-old".into();
    v["clauses"].as_array_mut().unwrap().truncate(1);
    std::fs::write(&meta, serde_json::to_vec(&v).unwrap()).unwrap();

    let o = check(&w).await;
    assert!(matches!(o, Outcome::Unchanged { .. }), "{o:?}");
    assert!(w.smtp.mails().is_empty(), "a rules upgrade never alerts");
    // The store is re-baselined under the current rules; later changes still alert.
    w.set_paragraphs(&terms_exclusivity_edit(), BOILERPLATE_A);
    assert!(matches!(check(&w).await, Outcome::Changed { .. }));
    assert_eq!(w.smtp.mails().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rewrite_that_replaces_most_clauses_alerts_at_once() {
    let w = World::new().await;
    assert!(matches!(check(&w).await, Outcome::New { .. }));
    // The publisher rewrites the announcement: the old terms go, new ones come.
    let rewrite = vec![
        TERMS_V1[3].to_string(),
        "Tessellate Labs ended its agreement with Brightwater Cloud and will move its training workloads to Hooli Compute.".to_string(),
        "Hooli Compute becomes Tessellate's primary cloud provider for the next six years.".to_string(),
    ];
    w.set_paragraphs(&rewrite, BOILERPLATE_A);
    let o = check(&w).await;
    assert!(matches!(o, Outcome::Changed { .. }), "{o:?}");
    assert_eq!(w.smtp.mails().len(), 1);
}
