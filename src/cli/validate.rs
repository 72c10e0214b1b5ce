//! `validate`: every problem of the watchlist at once, or what each watch will do.

use std::path::Path;

use super::{EXIT_OK, EXIT_UNUSABLE, load};
use crate::config;

pub(super) fn validate_cmd(path: &Path, json: bool) -> anyhow::Result<u8> {
    if json {
        let v = match config::load(path) {
            Ok(wl) => serde_json::json!({
                "ok": true,
                "problems": [],
                "watches": wl.watches.iter().map(|w| serde_json::json!({
                    "name": w.name,
                    "url": w.url.as_str(),
                    "topics": w.topics,
                    "interval_secs": w.interval.as_secs(),
                    "cron": w.cron.as_ref().map(|c| c.pattern.to_string()),
                })).collect::<Vec<_>>(),
            }),
            Err(config::ConfigError::Invalid { problems, .. }) => serde_json::json!({
                "ok": false,
                "problems": problems.iter().map(|p| serde_json::json!({
                    "line": p.line, "key": p.key, "message": p.message,
                })).collect::<Vec<_>>(),
            }),
            Err(e) => return Err(e.into()),
        };
        println!("{v}");
        return Ok(if v["ok"] == true {
            EXIT_OK
        } else {
            EXIT_UNUSABLE
        });
    }
    let wl = load(path)?;
    println!(
        "{}: ok, {} watch{}, snapshots in {}, {}",
        path.display(),
        wl.watches.len(),
        if wl.watches.len() == 1 { "" } else { "es" },
        wl.settings.snapshots.display(),
        if wl.email.is_some() {
            "alerts by e-mail"
        } else {
            "no [email]: alerts printed and stored only"
        }
    );
    for w in &wl.watches {
        let topics: Vec<&str> = w.topics.iter().map(|t| t.as_str()).collect();
        let when = match &w.cron {
            Some(c) => format!("cron {}", c.pattern),
            None => format!("every {}", humantime::format_duration(w.interval)),
        };
        println!(
            "  {}  {}  {when}  topics {}",
            w.name,
            w.url,
            topics.join(",")
        );
    }
    Ok(EXIT_OK)
}
