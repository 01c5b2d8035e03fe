//! Per-connection limits: a token bucket for messages, and a cap on how often refusals are logged.
//!
//! The caller passes the current time in, so both are tested without a clock.

use std::time::{Duration, Instant};

/// A token bucket allowing `rate` messages per second with a burst of one second's worth.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    /// Most tokens the bucket holds (the burst).
    capacity: f64,
    /// Tokens added per second.
    rate_per_second: f64,
    /// Tokens available at `last_refill`.
    tokens: f64,
    /// When `tokens` was last brought up to date.
    last_refill: Instant,
}

impl TokenBucket {
    /// A full bucket for `rate_per_second` messages per second.
    pub fn new(rate_per_second: u32, now: Instant) -> Self {
        let rate = f64::from(rate_per_second.max(1));
        Self {
            capacity: rate,
            rate_per_second: rate,
            tokens: rate,
            last_refill: now,
        }
    }

    /// Takes one token if there is one; false means the message is over the limit.
    pub fn try_take(&mut self, now: Instant) -> bool {
        let elapsed: Duration = now.saturating_duration_since(self.last_refill);
        self.last_refill = now.max(self.last_refill);
        self.tokens =
            (self.tokens + elapsed.as_secs_f64() * self.rate_per_second).min(self.capacity);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Lets one refusal per interval reach the log and counts the rest, so a client that floods
/// the bridge with bad or excess messages cannot flood the log as well.
#[derive(Debug, Clone)]
pub struct RefusalLogThrottle {
    /// Shortest time between two logged refusals.
    interval: Duration,
    /// When the last refusal was logged.
    last_logged: Option<Instant>,
    /// Refusals since then that were not logged.
    not_logged: u64,
}

impl RefusalLogThrottle {
    /// Logs at most one refusal per `interval`.
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            last_logged: None,
            not_logged: 0,
        }
    }

    /// Records a refusal. `Some(n)` means "log this one now, and say that `n` refusals before it
    /// were not logged"; `None` means "count it, do not log".
    pub fn record(&mut self, now: Instant) -> Option<u64> {
        let due = match self.last_logged {
            None => true,
            Some(last) => now.saturating_duration_since(last) >= self.interval,
        };
        if due {
            self.last_logged = Some(now);
            Some(std::mem::take(&mut self.not_logged))
        } else {
            self.not_logged += 1;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_allows_one_second_of_burst_then_refills_at_the_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(10, start);
        let allowed = (0..25).filter(|_| bucket.try_take(start)).count();
        assert_eq!(allowed, 10);
        // 0.5 s later, 5 more tokens.
        let later = start + Duration::from_millis(500);
        let allowed_later = (0..25).filter(|_| bucket.try_take(later)).count();
        assert_eq!(allowed_later, 5);
        // Refill never exceeds the burst, however long the pause.
        let much_later = later + Duration::from_secs(3600);
        let allowed_after_pause = (0..25).filter(|_| bucket.try_take(much_later)).count();
        assert_eq!(allowed_after_pause, 10);
    }

    #[test]
    fn time_going_backwards_adds_no_tokens() {
        let start = Instant::now() + Duration::from_secs(10);
        let mut bucket = TokenBucket::new(1, start);
        assert!(bucket.try_take(start));
        assert!(!bucket.try_take(start - Duration::from_secs(5)));
        assert!(!bucket.try_take(start));
    }

    #[test]
    fn refusals_are_logged_once_per_interval_with_a_count_of_the_rest() {
        let start = Instant::now();
        let mut throttle = RefusalLogThrottle::new(Duration::from_secs(1));
        assert_eq!(throttle.record(start), Some(0));
        for offset in 1..=5 {
            assert_eq!(
                throttle.record(start + Duration::from_millis(offset * 100)),
                None
            );
        }
        assert_eq!(
            throttle.record(start + Duration::from_millis(1000)),
            Some(5)
        );
        assert_eq!(throttle.record(start + Duration::from_millis(1001)), None);
    }
}
