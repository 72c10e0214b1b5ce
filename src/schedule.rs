//! When checks run: one pass over many watches (`check`) and the long-running daemon (`run`).
//!
//! Owns: concurrency (a semaphore of `jobs` permits shared by all watches), the per-watch
//! loop of the daemon (check, then sleep the watch's interval plus jitter), and shutdown: on
//! cancellation no new check starts, checks in flight finish, then the daemon returns.
//! A watch never runs concurrently with itself: each has exactly one loop. Must not: decide
//! what a check does (that is `check`).

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::check::{self, CheckReport, Context, PreparedWatch};

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
            .map(|(i, w)| async move { (i, guarded_check(ctx, w).await) })
            .buffer_unordered(jobs.max(1))
            .inspect(|(_, r)| on_report(r))
            .collect()
            .await;
    indexed.sort_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, r)| r).collect()
}

/// One check that cannot take its caller down: `check_watch` already turns a panic in the
/// decision procedure into a `failed` outcome; a panic anywhere else in it (recording,
/// delivery) is caught here and reported as `failed` too, and the next check runs on
/// schedule.
async fn guarded_check(ctx: &Context, w: &PreparedWatch) -> CheckReport {
    use futures_util::FutureExt;
    std::panic::AssertUnwindSafe(check::check_watch(ctx, w))
        .catch_unwind()
        .await
        .unwrap_or_else(|p| CheckReport {
            watch: w.watch.name.clone(),
            url: w.watch.url.to_string(),
            outcome: check::Outcome::Failed {
                reason: format!(
                    "internal error (a bug in clausewatch; please report it): {}",
                    check::panic_text(&p)
                ),
            },
            redelivered: 0,
            printed: Vec::new(),
            pending_alerts: 0,
            consecutive_failures: 1,
            retry_after_secs: None,
            ms: 0,
        })
}

/// When a watch is due again.
#[derive(Debug, Clone)]
pub enum Cadence {
    /// Every interval, plus jitter.
    Every(Duration),
    /// At the times of a cron expression (UTC).
    Cron(Box<croner::Cron>),
}

impl Cadence {
    /// A watch's cadence: its cron expression if it has one, else its interval.
    pub fn of(w: &crate::config::Watch) -> Cadence {
        match &w.cron {
            Some(c) => Cadence::Cron(Box::new(c.clone())),
            None => Cadence::Every(w.interval),
        }
    }

    /// The delay from now to the next check.
    pub fn next_delay(&self, rng: &mut fastrand::Rng) -> Duration {
        match self {
            Cadence::Every(interval) => next_delay(*interval, rng),
            Cadence::Cron(cron) => {
                let now = chrono::Utc::now();
                cron.find_next_occurrence(&now, false)
                    .ok()
                    .and_then(|t| (t - now).to_std().ok())
                    // A pattern with no future time: check daily rather than spin.
                    .unwrap_or(Duration::from_secs(86_400))
            }
        }
    }

    /// The nominal period, used for backoff and restart catch-up.
    pub fn period(&self) -> Duration {
        match self {
            Cadence::Every(i) => *i,
            Cadence::Cron(_) => Duration::from_secs(3600),
        }
    }
}

/// How long after a daemon start a watch is first checked, so that next-due times survive
/// restarts: a new, failing or overdue watch (a cron time passed while the daemon was down)
/// at once, one checked recently when its interval is up; never before a server's
/// `Retry-After`.
pub fn first_delay(
    cadence: &Cadence,
    state: &crate::store::WatchState,
    now: chrono::DateTime<chrono::Utc>,
) -> Duration {
    let Some(last) = state.last_check else {
        return Duration::ZERO;
    };
    let due = match cadence {
        _ if state.consecutive_failures > 0 => now,
        Cadence::Every(interval) => crate::config::time_after(last, *interval),
        Cadence::Cron(cron) => match cron.find_next_occurrence(&last, false) {
            Ok(t) => t,
            Err(_) => now,
        },
    };
    let due = state.not_before.map_or(due, |nb| due.max(nb));
    (due - now).to_std().unwrap_or(Duration::ZERO)
}

/// The delay before a watch's next check: its interval plus up to [`JITTER_FRACTION`] of it.
pub fn next_delay(interval: Duration, rng: &mut fastrand::Rng) -> Duration {
    let max_jitter = interval.mul_f64(JITTER_FRACTION).as_millis() as u64;
    interval.saturating_add(Duration::from_millis(if max_jitter == 0 {
        0
    } else {
        rng.u64(0..=max_jitter)
    }))
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
    let cadences: Vec<Cadence> = watches.iter().map(|w| Cadence::of(&w.watch)).collect();
    let now = chrono::Utc::now();
    let first: Vec<Duration> = watches
        .iter()
        .zip(&cadences)
        .map(|(w, cadence)| {
            let state = ctx.store.watch(&w.watch.name).state().unwrap_or_default();
            first_delay(cadence, &state, now)
        })
        .collect();
    let watches = Arc::new(watches);
    drive(&cadences, &first, jobs, shutdown, seed, move |i| {
        let (ctx, watches, on_report) = (ctx.clone(), watches.clone(), on_report.clone());
        async move {
            let report = guarded_check(&ctx, &watches[i]).await;
            on_report(&report);
            failure_delay(Cadence::of(&watches[i].watch).period(), &report)
        }
    })
    .await;
}

/// Backoff after a failed check: the interval doubles with each failure in a row (up to
/// [`MAX_BACKOFF_FACTOR`] times), and a server's `Retry-After` is always honoured.
pub fn failure_delay(interval: Duration, report: &CheckReport) -> Option<Duration> {
    if report.consecutive_failures == 0 {
        return None;
    }
    let factor = 1u32 << (report.consecutive_failures - 1).min(MAX_BACKOFF_FACTOR.ilog2());
    let backoff = interval.saturating_mul(factor);
    let asked = Duration::from_secs(report.retry_after_secs.unwrap_or(0));
    Some(backoff.max(asked))
}

/// Largest multiple of the interval that a failing watch waits.
pub const MAX_BACKOFF_FACTOR: u32 = 8;

/// The daemon's timing, apart from what a check does: one loop per item (so an item never
/// runs concurrently with itself), at most `jobs` checks at once, the first check at start,
/// then `interval + jitter` after each check ends, or longer when the check asks for it
/// (backoff). On cancellation no new check starts and checks in flight finish before this
/// returns.
pub async fn drive<F, Fut>(
    cadences: &[Cadence],
    first: &[Duration],
    jobs: usize,
    shutdown: CancellationToken,
    seed: u64,
    check: F,
) where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Option<Duration>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let tracker = TaskTracker::new();
    for (i, cadence) in cadences.iter().cloned().enumerate() {
        let (permits, shutdown, check) = (permits.clone(), shutdown.clone(), check.clone());
        let mut rng = fastrand::Rng::with_seed(seed.wrapping_add(i as u64));
        let first = first.get(i).copied().unwrap_or_default();
        tracker.spawn(async move {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(first) => {}
            }
            loop {
                let permit = tokio::select! {
                    _ = shutdown.cancelled() => break,
                    p = permits.acquire() => p.expect("semaphore is never closed"),
                };
                // A check in flight is never cut off: it finishes even after shutdown.
                let at_least = check(i).await;
                drop(permit);
                let delay = cadence
                    .next_delay(&mut rng)
                    .max(at_least.unwrap_or_default());
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
            assert!(
                d >= interval && d <= interval + Duration::from_secs(60),
                "{d:?}"
            );
            assert_eq!(d, next_delay(interval, &mut b));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn daemon_checks_at_start_then_at_each_interval_and_stops_cleanly() {
        use std::sync::Mutex;
        use tokio::time::Instant;
        let t0 = Instant::now();
        let log: Arc<Mutex<Vec<(usize, Duration)>>> = Arc::default();
        let shutdown = CancellationToken::new();
        let intervals = [
            Cadence::Every(Duration::from_secs(60)),
            Cadence::Every(Duration::from_secs(600)),
        ];
        let task = {
            let (log, shutdown) = (log.clone(), shutdown.clone());
            tokio::spawn(async move {
                drive(&intervals, &[], 1, shutdown, 42, move |i| {
                    let log = log.clone();
                    async move {
                        log.lock().unwrap().push((i, t0.elapsed()));
                        // Each check takes 5 s, so with one job the second waits its turn.
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        None
                    }
                })
                .await
            })
        };
        tokio::time::sleep(Duration::from_secs(1000)).await;
        shutdown.cancel();
        task.await.unwrap();
        let log = log.lock().unwrap().clone();
        let starts = |w: usize| -> Vec<Duration> {
            log.iter()
                .filter(|(i, _)| *i == w)
                .map(|(_, t)| *t)
                .collect()
        };
        let a = starts(0);
        let b = starts(1);
        assert_eq!(a[0], Duration::ZERO, "first check at start");
        assert_eq!(
            b[0],
            Duration::from_secs(5),
            "jobs = 1: waits for the first check"
        );
        for pair in a.windows(2) {
            let gap = pair[1] - pair[0];
            // 5 s check + 60 s interval + up to 6 s jitter (+ waiting for the one permit).
            assert!(
                gap >= Duration::from_secs(65) && gap <= Duration::from_secs(76),
                "{gap:?}"
            );
        }
        assert!(a.len() >= 12 && a.len() <= 16, "{}", a.len());
        assert_eq!(b.len(), 2, "{b:?}");
        // Checks never overlap (one job).
        let mut all: Vec<Duration> = log.iter().map(|(_, t)| *t).collect();
        all.sort();
        for pair in all.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_secs(5), "{all:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_failing_item_backs_off_as_asked() {
        use std::sync::Mutex;
        use tokio::time::Instant;
        let t0 = Instant::now();
        let starts: Arc<Mutex<Vec<Duration>>> = Arc::default();
        let shutdown = CancellationToken::new();
        let task = {
            let (starts, shutdown) = (starts.clone(), shutdown.clone());
            tokio::spawn(async move {
                drive(
                    &[Cadence::Every(Duration::from_secs(10))],
                    &[Duration::from_secs(3)],
                    1,
                    shutdown,
                    1,
                    move |_| {
                        let starts = starts.clone();
                        async move {
                            starts.lock().unwrap().push(t0.elapsed());
                            // Like a 429 with Retry-After: 100.
                            Some(Duration::from_secs(100))
                        }
                    },
                )
                .await
            })
        };
        tokio::time::sleep(Duration::from_secs(250)).await;
        shutdown.cancel();
        task.await.unwrap();
        let starts = starts.lock().unwrap().clone();
        // First check after the 3 s left of its interval (persisted next-due), then as asked.
        assert_eq!(
            starts,
            vec![
                Duration::from_secs(3),
                Duration::from_secs(103),
                Duration::from_secs(203)
            ]
        );
    }

    #[test]
    fn failure_delay_doubles_up_to_the_cap_and_honours_retry_after() {
        let report = |failures, retry: Option<u64>| CheckReport {
            watch: "w".into(),
            url: "http://127.0.0.1/".into(),
            outcome: check::Outcome::Failed { reason: "x".into() },
            redelivered: 0,
            printed: Vec::new(),
            pending_alerts: 0,
            consecutive_failures: failures,
            retry_after_secs: retry,
            ms: 0,
        };
        let i = Duration::from_secs(60);
        assert_eq!(failure_delay(i, &report(0, None)), None);
        assert_eq!(failure_delay(i, &report(1, None)), Some(i));
        assert_eq!(failure_delay(i, &report(2, None)), Some(i * 2));
        assert_eq!(failure_delay(i, &report(9, None)), Some(i * 8));
        assert_eq!(
            failure_delay(i, &report(1, Some(3600))),
            Some(Duration::from_secs(3600))
        );
    }

    #[test]
    fn cron_cadence_waits_for_the_next_occurrence() {
        let cron: croner::Cron = "*/15 * * * *".parse().unwrap();
        let d = Cadence::Cron(Box::new(cron)).next_delay(&mut fastrand::Rng::with_seed(1));
        assert!(d <= Duration::from_secs(15 * 60), "{d:?}");
    }

    #[test]
    fn first_delay_resumes_the_schedule_after_a_restart() {
        use crate::store::WatchState;
        let now = chrono::Utc::now();
        let ago = |m: i64| Some(now - chrono::Duration::minutes(m));
        let hourly = Cadence::Every(Duration::from_secs(3600));
        let state = |last, failures, not_before| WatchState {
            last_check: last,
            consecutive_failures: failures,
            not_before,
            ..WatchState::default()
        };
        assert_eq!(
            first_delay(&hourly, &state(None, 0, None), now),
            Duration::ZERO
        );
        assert_eq!(
            first_delay(&hourly, &state(ago(20), 0, None), now),
            Duration::from_secs(40 * 60)
        );
        assert_eq!(
            first_delay(&hourly, &state(ago(90), 0, None), now),
            Duration::ZERO
        );
        assert_eq!(
            first_delay(&hourly, &state(ago(20), 2, None), now),
            Duration::ZERO
        );
        let later = Some(now + chrono::Duration::minutes(50));
        assert_eq!(
            first_delay(&hourly, &state(ago(20), 2, later), now),
            Duration::from_secs(50 * 60)
        );
        // Every quarter hour: a slot passed since the last check 20 minutes ago.
        let cron = Cadence::Cron(Box::new("*/15 * * * *".parse().unwrap()));
        assert_eq!(
            first_delay(&cron, &state(ago(20), 0, None), now),
            Duration::ZERO
        );
        assert!(first_delay(&cron, &state(ago(0), 0, None), now) <= Duration::from_secs(15 * 60));
    }

    /// Issue 9: durations from outside never overflow a time or a delay.
    #[test]
    fn huge_intervals_and_retry_afters_saturate_instead_of_panicking() {
        use crate::store::WatchState;
        let now = chrono::Utc::now();
        let state = WatchState {
            last_check: Some(now),
            not_before: Some(chrono::DateTime::<chrono::Utc>::MAX_UTC),
            ..WatchState::default()
        };
        let huge = Cadence::Every(Duration::MAX);
        assert!(first_delay(&huge, &state, now) > Duration::from_secs(86_400));
        let mut rng = fastrand::Rng::with_seed(1);
        assert_eq!(next_delay(Duration::MAX, &mut rng), Duration::MAX);
        let report = CheckReport {
            watch: "w".into(),
            url: "http://127.0.0.1/".into(),
            outcome: check::Outcome::Failed { reason: "x".into() },
            redelivered: 0,
            printed: Vec::new(),
            pending_alerts: 0,
            consecutive_failures: 5,
            retry_after_secs: Some(u64::MAX),
            ms: 0,
        };
        assert_eq!(failure_delay(Duration::MAX, &report), Some(Duration::MAX));
    }
}
