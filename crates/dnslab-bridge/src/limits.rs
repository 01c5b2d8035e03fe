//! The per-connection rate limit: a token bucket that refills continuously.
//!
//! The caller passes the current time in, so the bucket is tested without a clock.

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
}
