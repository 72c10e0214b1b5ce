//! Golden outputs an analyst reads: the alert mail (text and HTML) and the review diff
//! (terminal and HTML), for representative changes. Reviewed by hand when they change
//! (`INSTA_UPDATE=always cargo test --test golden`, then read the `.snap` diffs).

use chrono::{TimeZone, Utc};
use clausewatch::alert::{Alert, AlertKind};
use clausewatch::diff::ChangeSet;
use clausewatch::extract::{Clause, Topic};
use clausewatch::render;

fn clause(text: &str, topics: &[&str]) -> Clause {
    Clause {
        topics: topics.iter().map(|t| Topic::new(t)).collect(),
        text: text.into(),
    }
}

fn alert(changes: ChangeSet) -> Alert {
    let t = Utc.with_ymd_and_hms(2026, 3, 4, 9, 30, 0).unwrap();
    Alert {
        id: "deal-v3-change-0123456789abcdef0123".into(),
        message_id: "<0123456789abcdef0123.change.deal@clausewatch>".into(),
        kind: AlertKind::Change,
        watch: "deal".into(),
        url: "https://newsroom.acme.example/2026/acme-globex".into(),
        created_at: t,
        fetched_at: t,
        from_version: Some(3),
        to_version: Some(4),
        topics: changes.topics(),
        changes,
        reason: None,
        attempts: 0,
        last_error: None,
        delivered_at: None,
        delivered_via: None,
        digest_id: None,
    }
}

const EXCL: &str = "Globex will be Acme's exclusive cloud provider until Dec. 31, 2029.";
const REV: &str = "Globex pays Acme a revenue share of 12 percent on marketplace sales.";
const CAP: &str = "Acme commits $8.5 billion to Globex compute capacity over five years.";

fn cases() -> Vec<(&'static str, ChangeSet)> {
    let old = vec![
        clause(EXCL, &["cloud", "exclusivity"]),
        clause(REV, &["revenue_share"]),
        clause(CAP, &["cloud"]),
    ];
    let with = |i: usize, text: &str, topics: &[&str]| {
        let mut v = old.clone();
        v[i] = clause(text, topics);
        v
    };
    vec![
        (
            "negation_flip",
            ChangeSet::between(
                &old,
                &with(
                    0,
                    &EXCL.replace("exclusive", "non-exclusive"),
                    &["cloud", "exclusivity"],
                ),
            ),
        ),
        (
            "year_change",
            ChangeSet::between(
                &old,
                &with(0, &EXCL.replace("2029", "2032"), &["cloud", "exclusivity"]),
            ),
        ),
        (
            "moved_clause",
            ChangeSet::between(&old, &[old[2].clone(), old[0].clone(), old[1].clone()]),
        ),
        (
            "reworded_clause",
            ChangeSet::between(
                &old,
                &with(
                    1,
                    "Globex now pays Acme a revenue share of 9 percent on marketplace sales, capped at $300 million a year.",
                    &["revenue_share"],
                ),
            ),
        ),
        (
            "removal_confirmed_after_anomaly",
            ChangeSet::between(&old, &old[..2]),
        ),
    ]
}

#[test]
fn alert_mail_text_and_html() {
    for (name, changes) in cases() {
        let a = alert(changes);
        insta::assert_snapshot!(format!("mail_text_{name}"), a.text_body());
        insta::assert_snapshot!(format!("mail_html_{name}"), a.html_body());
    }
}

#[test]
fn review_diff_terminal_and_html() {
    for (name, changes) in cases() {
        insta::assert_snapshot!(
            format!("diff_terminal_{name}"),
            render::render_changes(&changes, false)
        );
        insta::assert_snapshot!(
            format!("diff_side_by_side_{name}"),
            render::render_side_by_side(&changes, 48, false)
        );
        let meta = [
            (
                "Page",
                "https://newsroom.acme.example/2026/acme-globex".to_string(),
            ),
            ("From", "version 3".to_string()),
            ("To", "version 4".to_string()),
        ];
        insta::assert_snapshot!(
            format!("diff_html_{name}"),
            render::html_report("deal", &meta, &changes)
        );
    }
}

#[test]
fn hostile_page_text_cannot_inject_markup() {
    let evil = "Acme is the <script>alert('x')</script> exclusive <img src=x onerror=alert(1)> host & \"sole\" provider.";
    let changes = ChangeSet::between(
        &[clause("Acme is the exclusive host.", &["exclusivity"])],
        &[clause(evil, &["exclusivity"])],
    );
    let a = alert(changes.clone());
    for html in [
        a.html_body(),
        render::html_report(
            "<b>deal</b>",
            &[("Page", "javascript:\"<x>".into())],
            &changes,
        ),
    ] {
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>deal"), "{html}");
        assert!(!html.contains("\"<x>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
}
