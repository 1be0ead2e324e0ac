//! The language of the request (`Accept-Language`), for the words the server writes for people: the
//! messages of field errors today. A middleware keeps it for the request's task, so an error built deep
//! in a handler is written in the reader's language without every function passing the locale on.

use axum::extract::Request;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::Response;
use entitle_core::locale::Locale;

tokio::task_local! {
    static LOCALE: Locale;
}

/// The first language of an `Accept-Language` value that Entitle speaks (weights are ignored: the
/// app sends one tag, browsers list theirs in order of preference), else English.
#[must_use]
pub fn negotiate(header: Option<&str>) -> Locale {
    header
        .unwrap_or_default()
        .split(',')
        .filter_map(|part| part.split(';').next())
        .find_map(|tag| tag.trim().parse().ok())
        .unwrap_or_default()
}

/// Runs the request with its language kept for [`current`].
pub async fn keep(req: Request, next: Next) -> Response {
    let locale = negotiate(
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    LOCALE.scope(locale, next.run(req)).await
}

/// The language of the request being handled (English outside a request).
#[must_use]
pub fn current() -> Locale {
    LOCALE.try_with(|l| *l).unwrap_or_default()
}

/// `en`, `id` or `de` text, in the request's language.
#[must_use]
pub fn tx(en: &'static str, id: &'static str, de: &'static str) -> &'static str {
    match current() {
        Locale::En => en,
        Locale::Id => id,
        Locale::De => de,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_language_entitle_speaks_wins_else_english() {
        assert_eq!(negotiate(Some("id")), Locale::Id);
        assert_eq!(negotiate(Some("id-ID,id;q=0.9,en;q=0.8")), Locale::Id);
        assert_eq!(negotiate(Some("fr-FR, en;q=0.5")), Locale::En);
        assert_eq!(negotiate(Some("de, id;q=0.1")), Locale::De);
        assert_eq!(negotiate(Some("fr, id;q=0.1")), Locale::Id);
        assert_eq!(negotiate(Some("")), Locale::En);
        assert_eq!(negotiate(None), Locale::En);
    }
}
