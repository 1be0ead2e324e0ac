//! The one place the server learns the date and time.
//!
//! Every handler, the renewal engine and the mail worker ask a [`Clock`] instead of the operating system,
//! so tests can lay the demo data out from a fixed day, move time forward (an anniversary, a quote's
//! expiry, a session's idle limit) and pass on any calendar date. `Clock::system` is the only code in the
//! server that reads the wall clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::{Date, Duration, OffsetDateTime};

/// Where "now" comes from. Cheap to clone: clones share the same time.
#[derive(Debug, Clone)]
pub struct Clock(Source);

#[derive(Debug, Clone)]
enum Source {
    /// The operating system's clock, in UTC.
    System,
    /// A time set by a test (unix seconds), moved only by [`ManualClock`].
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// The real clock (UTC).
    #[must_use]
    pub fn system() -> Self {
        Clock(Source::System)
    }

    /// A clock standing still at `at` until its [`ManualClock`] moves it; for tests and tools.
    #[must_use]
    pub fn manual(at: OffsetDateTime) -> (Self, ManualClock) {
        let cell = Arc::new(AtomicI64::new(at.unix_timestamp()));
        (Clock(Source::Manual(Arc::clone(&cell))), ManualClock(cell))
    }

    /// A clock standing still at midday UTC of `day` (midday, so moving it by hours stays on that day).
    #[must_use]
    pub fn manual_on(day: Date) -> (Self, ManualClock) {
        Self::manual(day.midnight().assume_utc() + Duration::hours(12))
    }

    /// Now, as unix seconds.
    #[must_use]
    pub fn now_unix(&self) -> i64 {
        #[allow(clippy::disallowed_methods)] // the one reader of the wall clock
        match &self.0 {
            Source::System => OffsetDateTime::now_utc().unix_timestamp(),
            Source::Manual(cell) => cell.load(Ordering::SeqCst),
        }
    }

    /// Now, in UTC.
    #[must_use]
    pub fn now(&self) -> OffsetDateTime {
        // A stored instant out of `time`'s range cannot come from `manual`, which starts from a valid
        // `OffsetDateTime`; should moving it overflow, the epoch is a safe, visible answer.
        OffsetDateTime::from_unix_timestamp(self.now_unix()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// Today's date in UTC: the date every business rule (validity, anniversaries, expiry) uses.
    #[must_use]
    pub fn today(&self) -> Date {
        self.now().date()
    }
}

/// The handle a test keeps to move a manual [`Clock`].
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.whole_seconds(), Ordering::SeqCst);
    }

    /// Sets the clock to `at`.
    pub fn set(&self, at: OffsetDateTime) {
        self.0.store(at.unix_timestamp(), Ordering::SeqCst);
    }

    /// Sets the clock to midday UTC of `day`.
    pub fn set_day(&self, day: Date) {
        self.set(day.midnight().assume_utc() + Duration::hours(12));
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_it_is_moved() {
        let (clock, hand) = Clock::manual(datetime!(2030-01-31 23:00 UTC));
        assert_eq!(clock.today(), date!(2030 - 01 - 31));
        assert_eq!(clock.now_unix(), clock.now_unix());
        hand.advance(Duration::hours(2));
        assert_eq!(clock.today(), date!(2030 - 02 - 01));
        hand.set_day(date!(2031 - 06 - 15));
        assert_eq!(clock.today(), date!(2031 - 06 - 15));
    }

    #[test]
    fn clones_of_a_manual_clock_share_its_time() {
        let (clock, hand) = Clock::manual_on(date!(2030 - 03 - 01));
        let other = clock.clone();
        hand.advance(Duration::days(1));
        assert_eq!(other.today(), date!(2030 - 03 - 02));
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // compares with the operating system on purpose
    fn the_system_clock_reads_the_current_utc_date() {
        let clock = Clock::system();
        // Both read the operating system; a midnight between the two reads is the only way they differ.
        let a = OffsetDateTime::now_utc().date();
        let b = clock.today();
        assert!(b == a || b == a.next_day().unwrap_or(a));
    }
}
