//! Each page's outcome decides exactly one acknowledgement.

use std::time::Duration;

/// Longest delay before a retried page comes back.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(60);

/// What happened to one page, and so how its message is acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every article message was acknowledged by JetStream: `Ack`.
    Done {
        /// Articles on the page.
        articles: usize,
        /// Messages stored (not duplicates of an earlier delivery).
        stored: usize,
        /// Article messages published per topic.
        topics: Vec<(String, usize)>,
    },
    /// The page will never parse, or retries are exhausted; it was
    /// dead-lettered with the reason: `Term`.
    DeadLettered {
        /// The kind of failure, for metrics: `decode`, `split`, `limit`,
        /// `route`, `panic`, `exhausted`.
        kind: &'static str,
        /// Why.
        reason: String,
    },
    /// A transient failure (publish not acknowledged, dead letter not
    /// stored): `Nak` with a delay, so JetStream redelivers it.
    Retry {
        /// Why.
        reason: String,
        /// How long JetStream should wait.
        delay: Duration,
    },
}

/// The retry delay after `delivered` deliveries: `base` doubling each time,
/// capped at [`MAX_RETRY_DELAY`].
pub fn backoff(base: Duration, delivered: i64) -> Duration {
    let exp = delivered.clamp(1, 16) as u32 - 1;
    base.saturating_mul(2u32.saturating_pow(exp)).min(MAX_RETRY_DELAY)
}

/// Whether a transiently failing page has used up its deliveries and must be
/// dead-lettered instead of retried.
pub fn exhausted(delivered: i64, max_deliver: i64) -> bool {
    delivered >= max_deliver
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(500);
        assert_eq!(backoff(base, 1), Duration::from_millis(500));
        assert_eq!(backoff(base, 3), Duration::from_secs(2));
        assert_eq!(backoff(base, 40), MAX_RETRY_DELAY);
    }

    #[test]
    fn retries_end_at_max_deliver() {
        assert!(!exhausted(4, 5));
        assert!(exhausted(5, 5));
    }
}
