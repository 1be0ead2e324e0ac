//! "Today" as the server sees it.
//!
//! Live checks in the browser (a card's expiry, a quote's validity) must give the server's answer, so
//! they use the server's date, not the visitor's calendar or time zone. Every session answer carries the
//! server's today; the app keeps how many days it is from the browser's UTC date and applies that
//! difference, so a page left open past midnight still moves on with the server.

use std::cell::Cell;

thread_local! {
    /// Days from the browser's UTC date to the server's (0 until a session answer arrived).
    static OFFSET_DAYS: Cell<i64> = const { Cell::new(0) };
}

/// Records the server's today from a session answer.
pub fn agree_with_server(server_today: time::Date) {
    let days = (server_today - browser_utc_date()).whole_days();
    OFFSET_DAYS.with(|o| o.set(days));
}

/// Today on the server's clock (the browser's UTC date until the server has said otherwise).
#[must_use]
pub fn today() -> time::Date {
    let offset = OFFSET_DAYS.with(Cell::get);
    browser_utc_date()
        .checked_add(time::Duration::days(offset))
        .unwrap_or_else(browser_utc_date)
}

#[allow(clippy::disallowed_methods)] // the app's one reader of the browser's clock
fn browser_utc_date() -> time::Date {
    let d = js_sys::Date::new_0();
    let month = u8::try_from(d.get_utc_month() + 1)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .unwrap_or(time::Month::January);
    time::Date::from_calendar_date(
        i32::try_from(d.get_utc_full_year()).unwrap_or(2026),
        month,
        u8::try_from(d.get_utc_date()).unwrap_or(1),
    )
    .unwrap_or(time::Date::MIN)
}
