//! Small pieces the screens share: bilingual text at the call site, form errors (per field and the
//! summary at the top), pricing explanations and the site the user is working on.
//!
//! Screen-specific strings are written as `tx(locale, "English", "Indonesia")` where they are used, so
//! each lazily loaded screen carries its own strings and a missing translation cannot compile.

use entitle_core::dto::SiteSummary;
use entitle_core::locale::Locale;
use entitle_core::pricing::Explanation;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{Key, t};
use crate::session::{SessionState, use_session};

/// `en` or `id`, whichever `locale` asks for.
///
/// The app does not offer German yet ([`crate::i18n::OFFERED`]): core, the mail and the documents
/// speak it, the screens' strings are still English and Indonesian, so `De` never reaches here.
#[must_use]
pub const fn tx(locale: Locale, en: &'static str, id: &'static str) -> &'static str {
    match locale {
        Locale::En | Locale::De => en,
        Locale::Id => id,
    }
}

/// One problem with one field: which field (its input's `id`) and the message to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The `id` of the input, for the summary's link and the focus.
    pub field: String,
    /// The message in the current language.
    pub message: String,
}

/// The problems of a form, in the order of its fields.
pub type Problems = Vec<FieldProblem>;

/// The message of `field` among `problems`, if any.
#[must_use]
pub fn problem_of(problems: &[FieldProblem], field: &str) -> Option<String> {
    problems
        .iter()
        .find(|p| p.field == field)
        .map(|p| p.message.clone())
}

/// The error summary at the top of a form: announced (`role="alert"`), focused when it appears,
/// each problem a link to its field.
#[component]
pub fn ErrorSummary(
    /// The problems to list (nothing is shown when empty).
    #[prop(into)]
    problems: Signal<Problems>,
) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if !problems.get().is_empty()
            && let Some(el) = node.get()
        {
            // After the browser has laid the summary out, so screen readers read it from the top.
            request_animation_frame(move || {
                let _ = el.focus();
            });
        }
    });
    move || {
        let list = problems.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="error-summary" role="alert" tabindex="-1" node_ref=node aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title">{t(locale.get(), Key::ErrorSummary)}</h2>
                    <ul>
                        {list.into_iter().map(|p| {
                            let text = match label_of(&p.field) {
                                Some(label) => format!("{label}: {}", p.message),
                                None => sentence(&p.message),
                            };
                            view! { <li><a href=format!("#{}", p.field)>{text}</a></li> }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The text of the label of input `field` as the form shows it, without "(optional)": the error summary
/// names each field ("Postal code: enter a postal code"). Read from the page, so every form gets it.
fn label_of(field: &str) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let label = doc
        .query_selector(&format!("label[for=\"{field}\"]"))
        .ok()??;
    let text = label.text_content()?;
    let text = text.split(" (").next().unwrap_or(&text).trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// `message` as a sentence: its first letter a capital.
#[must_use]
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The message under a field (empty when the field is fine); its id is `<field>-error`, which the input
/// names in `aria-describedby`.
#[component]
pub fn FieldMessage(
    /// The field's input id.
    #[prop(into)]
    field: String,
    /// The form's problems.
    #[prop(into)]
    problems: Signal<Problems>,
) -> impl IntoView {
    let id = format!("{field}-error");
    move || {
        problem_of(&problems.get(), &field).map(|m| {
            view! { <p class="field-error" id=id.clone()>{sentence(&m)}</p> }
        })
    }
}

/// The problems an API error carries, per field, or one problem under `fallback_field` for an error
/// that is not about a field. Field messages are the server's, written in the page's language (the API
/// client sends it as `Accept-Language`).
#[must_use]
pub fn api_problems(err: &ApiError, locale: Locale, fallback_field: &str) -> Problems {
    let fields = err.fields();
    if fields.is_empty() {
        return vec![FieldProblem {
            field: fallback_field.to_owned(),
            message: error_text(err, locale),
        }];
    }
    fields
        .into_iter()
        .map(|(field, _code, message)| FieldProblem {
            message,
            field: field.replace('.', "-"),
        })
        .collect()
}

/// The message to show under a form for a failed request: its first field problem, else the error.
#[must_use]
pub fn first_message(err: &ApiError, locale: Locale) -> String {
    err.fields()
        .into_iter()
        .next()
        .map_or_else(|| error_text(err, locale), |(_, _, m)| m)
}

/// A sentence for an error that is not about one field.
#[must_use]
pub fn error_text(err: &ApiError, locale: Locale) -> String {
    match err {
        ApiError::Network(_) => t(locale, Key::ErrorNetwork).to_owned(),
        // Chosen by the error's code, in the reader's language: the server's `message` is for developers.
        ApiError::Api { body, .. } => body.error.code.message(locale).to_owned(),
        _ => t(locale, Key::ErrorGeneric).to_owned(),
    }
}

/// One pricing explanation as a phrase in `locale` (the text is entitle-core's, shared with the
/// e-mails and documents).
#[must_use]
pub fn explanation_text(locale: Locale, e: &Explanation) -> String {
    e.text(locale)
}

const SITE_KEY: &str = "entitle.site";

/// The site (customer number) the user works on, remembered across visits.
#[derive(Debug, Clone, Copy)]
pub struct CurrentSite(pub RwSignal<Option<String>>);

/// Provides the current site; call once in the app.
pub fn provide_current_site() {
    let stored = crate::i18n::storage().and_then(|s| s.get_item(SITE_KEY).ok().flatten());
    provide_context(CurrentSite(RwSignal::new(stored)));
}

/// The site the user works on: the remembered one if they still have it, otherwise their first site
/// where they may buy, otherwise their first site.
#[must_use]
pub fn current_site() -> Signal<Option<SiteSummary>> {
    let session = use_session();
    let chosen = use_context::<CurrentSite>().map(|c| c.0);
    Signal::derive(move || {
        let SessionState::SignedIn(info) = session.0.get() else {
            return None;
        };
        let wanted = chosen.and_then(|c| c.get());
        info.sites
            .iter()
            .find(|s| Some(&s.customer_number) == wanted.as_ref())
            .or_else(|| info.sites.iter().find(|s| s.privileges.buy))
            .or_else(|| info.sites.first())
            .cloned()
    })
}

/// A function that switches the site the user works on and remembers it. Take it while rendering (it
/// reads the context then); call it from event handlers and tasks, where there is no context.
pub fn site_switcher() -> impl Fn(&str) + Clone + 'static {
    let current = use_context::<CurrentSite>();
    move |customer_number: &str| {
        if let Some(c) = current {
            c.0.set(Some(customer_number.to_owned()));
        }
        if let Some(s) = crate::i18n::storage() {
            let _ = s.set_item(SITE_KEY, customer_number);
        }
    }
}

/// A placeholder block shown while data loads, the same height as what replaces it, so nothing moves.
#[component]
pub fn Skeleton(
    /// How many placeholder lines.
    #[prop(default = 3)]
    lines: usize,
) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    view! {
        <div class="skeleton" aria-busy="true">
            <span class="visually-hidden">{move || t(locale.get(), Key::Loading)}</span>
            {(0..lines).map(|_| view! { <div class="skeleton-line"></div> }).collect_view()}
        </div>
    }
}
