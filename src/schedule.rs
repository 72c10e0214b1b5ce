//! When checks run: one pass over many watches (`check`) and the long-running daemon (`run`).
//!
//! Owns: concurrency (a semaphore of `jobs` permits shared by all watches), the per-watch
//! loop of the daemon (check, then sleep the watch's interval plus jitter), and shutdown: on
//! cancellation no new check starts, checks in flight finish, then the daemon returns.
//! A watch never runs concurrently with itself: each has exactly one loop. Must not: decide
//! what a check does (that is `pipeline`).

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::pipeline::{self, CheckReport, Context, PreparedWatch};

/// Largest jitter added to an interval, as a fraction of it, so that watches added together
/// do not stay in lockstep against one server.
pub const JITTER_FRACTION: f64 = 0.1;

/// Checks every watch once, at most `jobs` at a time. Reports come back in watch order;
/// `on_report` is called as each check ends (for progress display).
pub async fn check_all(
    ctx: &Context,
    watches: &[PreparedWatch],
    jobs: usize,
    on_report: impl Fn(&CheckReport),
) -> Vec<CheckReport> {
    let mut indexed: Vec<(usize, CheckReport)> =
        futures_util::stream::iter(watches.iter().enumerate())
            .map(|(i, w)| async move { (i, pipeline::check(ctx, w).await) })
            .buffer_unordered(jobs.max(1))
            .inspect(|(_, r)| on_report(r))
            .collect()
            .await;
    indexed.sort_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, r)| r).collect()
}

/// The delay before a watch's next check: its interval plus up to [`JITTER_FRACTION`] of it.
pub fn next_delay(interval: Duration, rng: &mut fastrand::Rng) -> Duration {
    let max_jitter = interval.mul_f64(JITTER_FRACTION).as_millis() as u64;
    interval + Duration::from_millis(if max_jitter == 0 {
        0
    } else {
        rng.u64(0..=max_jitter)
    })
}

/// Runs the daemon until `shutdown` is cancelled: every watch is checked at start, then at
/// its interval. `seed` makes the jitter reproducible.
pub async fn run_daemon(
    ctx: Context,
    watches: Vec<PreparedWatch>,
    jobs: usize,
    shutdown: CancellationToken,
    seed: u64,
    on_report: Arc<dyn Fn(&CheckReport) + Send + Sync>,
) {
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let tracker = TaskTracker::new();
    for (i, pw) in watches.into_iter().enumerate() {
        let (ctx, permits, shutdown, on_report) = (
            ctx.clone(),
            permits.clone(),
            shutdown.clone(),
            on_report.clone(),
        );
        let mut rng = fastrand::Rng::with_seed(seed.wrapping_add(i as u64));
        tracker.spawn(async move {
            loop {
                let permit = tokio::select! {
                    _ = shutdown.cancelled() => break,
                    p = permits.acquire() => p.expect("semaphore is never closed"),
                };
                // A check in flight is never cut off: it finishes even after shutdown.
                let report = pipeline::check(&ctx, &pw).await;
                drop(permit);
                on_report(&report);
                let delay = next_delay(pw.watch.interval, &mut rng);
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(delay) => {}
                }
            }
        });
    }
    tracker.close();
    tracker.wait().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_bounds_and_is_seeded() {
        let interval = Duration::from_secs(600);
        let mut a = fastrand::Rng::with_seed(7);
        let mut b = fastrand::Rng::with_seed(7);
        for _ in 0..1000 {
            let d = next_delay(interval, &mut a);
            assert!(d >= interval && d <= interval + Duration::from_secs(60), "{d:?}");
            assert_eq!(d, next_delay(interval, &mut b));
        }
    }
}
