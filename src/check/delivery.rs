//! Delivering queued alerts: one attempt per alert in a watch's outbox, or a pass's alerts
//! as digests; each attempt recorded in the store (delivered alerts move to `alerts/`,
//! failed ones stay queued with their error) and accounted in the check's report.

use chrono::Utc;

use crate::alert::Alert;
use crate::notify::NotifyError;
use crate::store::{self, WatchStore};

use super::{CheckReport, Context, Delivery, Outcome};

/// Accounts one delivered or attempted alert in the report of its watch's check.
pub(super) fn count_in_report(report: &mut CheckReport, alert: Alert, result: Delivery) {
    match &mut report.outcome {
        Outcome::Changed {
            alert: ours,
            delivery,
            ..
        } if ours.id == alert.id => *delivery = result.clone(),
        _ if result == Delivery::Sent => report.redelivered += 1,
        _ => {}
    }
    if result == Delivery::Printed {
        report.printed.push(alert);
    }
}

/// A change whose alert was not attempted in this check: still queued (with its last
/// error), or already delivered by an earlier, interrupted check. "Sent" only when the
/// store's delivered record says an SMTP server accepted it.
pub(super) fn resolve_deferred(report: &mut CheckReport, ws: &WatchStore) {
    if let Outcome::Changed {
        alert, delivery, ..
    } = &mut report.outcome
        && *delivery == Delivery::Deferred
    {
        let pending = match ws.pending_alerts() {
            Ok(p) => p,
            Err(e) => {
                *delivery = Delivery::Queued {
                    error: format!("cannot read the outbox: {e}"),
                };
                return;
            }
        };
        match pending.iter().find(|a| a.id == alert.id) {
            // Queued for the pass's digest, or waiting after a failed send.
            Some(a) => {
                if let Some(error) = &a.last_error {
                    *delivery = Delivery::Queued {
                        error: error.clone(),
                    };
                }
            }
            None => {
                *delivery = match ws.delivered_alert(&alert.id) {
                    Some(a) if a.delivered_via.as_deref() == Some("smtp") => Delivery::Sent,
                    Some(_) => Delivery::Printed,
                    None => Delivery::Queued {
                        error: "the alert is neither in the outbox nor among delivered alerts; \
                                see the watch's quarantine/ folder"
                            .into(),
                    },
                }
            }
        }
    }
}

/// Tries every alert in the watch's outbox once, oldest first; returns each with the result.
pub async fn flush_outbox(ctx: &Context, ws: &WatchStore) -> Vec<(Alert, Delivery)> {
    let Ok(pending) = ws.pending_alerts() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for mut alert in pending {
        let d = deliver(ctx, ws, &mut alert).await;
        out.push((alert, d));
    }
    out
}

/// Sends every alert waiting in the outboxes of these watches as one digest mail, then
/// marks them delivered; on failure they stay queued. Updates the reports' delivery and
/// pending counts.
pub async fn deliver_digest(ctx: &Context, reports: &mut [CheckReport]) {
    let names: Vec<String> = reports.iter().map(|r| r.watch.clone()).collect();
    let results = send_digests(ctx, &names).await;
    for r in reports.iter_mut() {
        let name = r.watch.clone();
        for (alert, d) in results.iter().filter(|(a, _)| a.watch == name) {
            count_in_report(r, alert.clone(), d.clone());
        }
        let ws = ctx.store.watch(&r.watch);
        resolve_deferred(r, &ws);
        r.pending_alerts = ws.pending_alerts().map(|p| p.len()).unwrap_or(0);
    }
}

/// Sends the queued alerts of these watches as digests: alerts first sent in a digest that
/// may have arrived go again in that digest (same Message-ID); the others form a new one.
/// Returns every alert tried, with its result.
pub async fn send_digests(ctx: &Context, watches: &[String]) -> Vec<(Alert, Delivery)> {
    let Some(mailer) = &ctx.mailer else {
        return Vec::new();
    };
    let mut batch = Vec::new();
    let mut locks = Vec::new();
    for name in watches {
        let ws = ctx.store.watch(name);
        // Lock first, then read: another process may deliver the same alerts meanwhile.
        match ws.lock() {
            Ok(lock) => {
                let pending = ws.pending_alerts().unwrap_or_default();
                if !pending.is_empty() {
                    locks.push(lock);
                    batch.extend(pending.into_iter().map(|a| (ws.clone(), a)));
                }
            }
            Err(e) => {
                tracing::warn!(watch = %name, error = %e, "alerts left for the next pass")
            }
        }
    }
    // Alerts keep the digest they were first sent in: a digest interrupted by a crash is
    // resent whole with the same Message-ID, so receivers can drop the duplicate. Alerts
    // not yet in a digest form a new one, recorded durably before the send; an alert whose
    // record cannot be written waits for the next pass rather than risk a second id.
    let mut groups: Vec<(String, Vec<(WatchStore, Alert)>)> = Vec::new();
    let mut fresh = Vec::new();
    for (ws, alert) in batch {
        match alert.digest_id.clone() {
            Some(id) => match groups.iter_mut().find(|(g, _)| *g == id) {
                Some((_, members)) => members.push((ws, alert)),
                None => groups.push((id, vec![(ws, alert)])),
            },
            None => fresh.push((ws, alert)),
        }
    }
    if !fresh.is_empty() {
        let ids: Vec<&str> = fresh.iter().map(|(_, a)| a.id.as_str()).collect();
        let id = match fresh.as_slice() {
            [(_, one)] => one.message_id.clone(),
            _ => format!(
                "<{}.digest@clausewatch>",
                &store::sha256_hex(ids.join("|").as_bytes())[..20]
            ),
        };
        let mut recorded = Vec::new();
        for (ws, mut alert) in fresh {
            alert.digest_id = Some(id.clone());
            match ws.update_pending(&alert) {
                Ok(()) => recorded.push((ws, alert)),
                Err(e) => {
                    tracing::warn!(watch = %alert.watch, error = %e, "alert left for the next pass")
                }
            }
        }
        if !recorded.is_empty() {
            groups.push((id, recorded));
        }
    }
    let mut results: Vec<(Alert, Delivery)> = Vec::new();
    for (digest_id, members) in groups {
        let alerts: Vec<Alert> = members.iter().map(|(_, a)| a.clone()).collect();
        let sent = mailer.send_digest(&alerts, &digest_id).await;
        for (ws, mut alert) in members {
            let d = record_attempt(&ws, &mut alert, &sent, "smtp");
            results.push((alert, d));
        }
    }
    drop(locks);
    results
}

/// Delivers a queued alert and records the result in the store. An alert first sent inside
/// a digest is resent under that digest's Message-ID, so a receiver can drop the duplicate.
async fn deliver(ctx: &Context, ws: &WatchStore, alert: &mut Alert) -> Delivery {
    let Some(mailer) = &ctx.mailer else {
        return record_attempt(ws, alert, &Ok(()), "stdout");
    };
    let sent = match alert.digest_id.clone() {
        Some(id) => mailer.send_digest(std::slice::from_ref(alert), &id).await,
        None => mailer.send(alert).await,
    };
    record_attempt(ws, alert, &sent, "smtp")
}

/// Records one send attempt: delivered alerts move to `alerts/`, failed ones stay queued
/// with their error.
fn record_attempt(
    ws: &WatchStore,
    alert: &mut Alert,
    sent: &Result<(), NotifyError>,
    via: &str,
) -> Delivery {
    match sent {
        Ok(()) => {
            if via == "smtp" {
                alert.attempts += 1;
            }
            alert.delivered_at = Some(Utc::now());
            alert.delivered_via = Some(via.into());
            alert.last_error = None;
            // A crash between the server's acceptance and this mark resends the same
            // Message-ID on the next check: at-least-once delivery.
            if let Err(e) = ws.mark_delivered(alert) {
                tracing::warn!(watch = %alert.watch, error = %e, "alert delivered but not marked; it may be resent with the same Message-ID");
            }
            if via == "smtp" {
                Delivery::Sent
            } else {
                Delivery::Printed
            }
        }
        Err(e) => {
            alert.attempts += 1;
            tracing::warn!(watch = %alert.watch, error = %e, "alert not delivered; kept in the outbox for retry");
            alert.last_error = Some(e.to_string());
            // Only a definite refusal (a 4xx/5xx reply, or a mail never built) proves that
            // nothing arrived: then the next try may form a new digest (or go alone). A
            // connection lost after the final "." may have delivered it, so the digest is
            // kept and resent under the same Message-ID.
            if e.nothing_delivered() {
                alert.digest_id = None;
            }
            if let Err(e) = ws.update_pending(alert) {
                tracing::warn!(watch = %alert.watch, error = %e, "cannot record the failed attempt");
            }
            Delivery::Queued {
                error: e.to_string(),
            }
        }
    }
}
