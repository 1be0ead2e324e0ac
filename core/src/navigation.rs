//! Where the app may send someone after signing in (`/sign-in?return_to=…`): only to one of its own
//! screens. A `return_to` is followed when it is a path of this site that names one of [`SCREENS`]
//! (`:name` stands for one path segment), with an optional query and fragment, and holds no control
//! character, space or backslash: browsers drop tabs and line breaks from a URL and read `\` as `/`,
//! so `/\t/evil.example` or `/\evil.example` would leave the site.

/// The app's screens someone may return to, as the router declares them (`app/src/lib.rs`; the app's
/// build checks the two lists agree). Sign-in and password reset are left out: returning there goes
/// round in a circle.
pub const SCREENS: &[&str] = &[
    "/",
    "/catalog",
    "/catalog/parts/:part",
    "/renewals",
    "/renewals/:quote",
    "/coverage",
    "/quotes",
    "/saved-carts",
    "/access-requests",
    "/account/security",
    "/site-users",
    "/desk",
    "/desk/change-requests",
    "/desk/quote-requests",
    "/desk/orders",
    "/desk/audit",
    "/cart",
    "/checkout",
    "/orders",
    "/orders/:reference",
];

/// Screens of the router that are not places to return to.
pub const NOT_RETURNED_TO: &[&str] = &["/sign-in", "/reset-password"];

/// `raw` if it is a safe place to return to after signing in (see the module's documentation).
#[must_use]
pub fn safe_return_to(raw: &str) -> Option<&str> {
    if raw.len() > 2048
        || !raw.starts_with('/')
        || raw.starts_with("//")
        || raw
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let path = raw.split(['?', '#']).next().unwrap_or(raw);
    SCREENS
        .iter()
        .any(|screen| matches_screen(path, screen))
        .then_some(raw)
}

fn matches_screen(path: &str, screen: &str) -> bool {
    if screen == "/" {
        return path == "/";
    }
    let mut given = path.trim_start_matches('/').split('/');
    let mut wanted = screen.trim_start_matches('/').split('/');
    loop {
        match (given.next(), wanted.next()) {
            (None, None) => return true,
            (Some(g), Some(w)) if w.starts_with(':') => {
                let plain = |c: char| c.is_ascii_alphanumeric() || "-_.~%".contains(c);
                if g.is_empty() || !g.chars().all(plain) {
                    return false;
                }
            }
            (Some(g), Some(w)) if g == w => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_screen_of_the_app_with_its_query_is_returned_to() {
        for ok in [
            "/",
            "/renewals",
            "/renewals/RQ2640001",
            "/catalog?q=server&page=2",
            "/catalog/parts/D00E4LL",
            "/checkout?step=review",
            "/orders/EN-4K2F-9XQ7#lines",
        ] {
            assert_eq!(safe_return_to(ok), Some(ok), "{ok}");
        }
    }

    #[test]
    fn anything_that_could_leave_the_site_or_is_not_a_screen_is_refused() {
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/sign-in",
            "/reset-password?token=x",
            "/no-such-screen",
            "/renewals/",
            "/renewals/RQ1/more",
            "/catalog/parts/a:b",
            "/\u{0}/x",
            "/\u{2028}/x",
        ] {
            assert_eq!(safe_return_to(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_screen_pattern_is_a_path_and_none_is_also_not_returned_to() {
        for s in SCREENS {
            assert!(s.starts_with('/'), "{s}");
            assert!(!NOT_RETURNED_TO.contains(s), "{s}");
        }
    }
}
