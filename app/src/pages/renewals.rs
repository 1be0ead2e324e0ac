//! *Purchase & Renew → Renewals*: every renewal quote waiting for review or action, all together, by
//! due month, or by agreement / customer.

use entitle_core::dto::RenewalGroup;
use entitle_core::locale::Locale;
use entitle_core::renewal::RenewalGrouping;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::i18n::{Key, quote_status_label, t, use_locale};
use crate::session::RequireSession;

/// The page's tabs: each grouping of entitle-core with its label.
const GROUPINGS: [(RenewalGrouping, Key); 3] = [
    (RenewalGrouping::Awaiting, Key::GroupAwaiting),
    (RenewalGrouping::Month, Key::GroupMonth),
    (RenewalGrouping::Agreement, Key::GroupAgreement),
];

/// The renewals page (signed-in users only), loaded the first time it opens.
pub struct RenewalsRoute;

crate::pages::grouped_route!(
    renew,
    RenewalsRoute,
    renewals_route_view,
    renewals_route_preload,
    { view! { <RequireSession><RenewalsList/></RequireSession> }.into_any() }
);

#[component]
fn RenewalsList() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let group = Memo::new(move |_| {
        let g = query.get().get("group").unwrap_or_default();
        RenewalGrouping::from_code(&g).unwrap_or_default()
    });
    let data = LocalResource::new(move || {
        let g = group.get();
        async move { api::renewals(g.code()).await }
    });
    view! {
        <section class="page">
            <h1>{move || t(locale.get(), Key::RenewalsTitle)}</h1>
            <p class="lead">{move || t(locale.get(), Key::RenewalsIntro)}</p>
            <nav class="segmented" aria-label=move || t(locale.get(), Key::RenewalGrouping)>
                {GROUPINGS.iter().map(|(code, key)| {
                    let href = if *code == RenewalGrouping::Awaiting { "/renewals".to_owned() } else { format!("/renewals?group={}", code.code()) };
                    view! {
                        <a href=href aria-current=move || (group.get() == *code).then_some("page")>
                            {move || t(locale.get(), *key)}
                        </a>
                    }
                }).collect_view()}
            </nav>
            <p class="actions">
                <a href="/coverage">{move || crate::ui::tx(locale.get(), "Coverage due", "Cakupan jatuh tempo")}</a>
                <a href="/api/v1/renewals.csv" download="renewals.csv">{move || crate::ui::tx(locale.get(), "Export to CSV", "Ekspor ke CSV")}</a>
            </p>
            <div aria-live="polite">
                {move || match data.get() {
                    None => view! { <p class="skeleton-text">{t(locale.get(), Key::Loading)}</p> }.into_any(),
                    Some(Err(_)) => view! {
                        <div class="alert error" role="alert"><p>{t(locale.get(), Key::ErrorGeneric)}</p></div>
                    }.into_any(),
                    Some(Ok(groups)) if groups.is_empty() => view! {
                        <div class="empty" role="status"><p>{t(locale.get(), Key::NoRenewals)}</p></div>
                    }.into_any(),
                    Some(Ok(groups)) => groups.into_iter().map(|g| group_view(locale.get(), g)).collect_view().into_any(),
                }}
            </div>
        </section>
    }
}

fn group_view(locale: Locale, g: RenewalGroup) -> impl IntoView {
    let heading = if g.key == RenewalGrouping::Awaiting.code() {
        t(locale, Key::GroupAwaiting).to_owned()
    } else {
        // A month's key (`2027-01`) reads as the month in the reader's language; an agreement's title
        // is the organisation's name.
        locale.month_key(&g.key).unwrap_or_else(|| g.title.clone())
    };
    view! {
        <h2 class="group-title">{heading}</h2>
        <table class="data">
            <thead>
                <tr>
                    <th scope="col">{t(locale, Key::QuoteNumber)}</th>
                    <th scope="col">{t(locale, Key::Site)}</th>
                    <th scope="col">{t(locale, Key::DueDate)}</th>
                    <th scope="col">{t(locale, Key::Status)}</th>
                    <th scope="col" class="num">{t(locale, Key::Subtotal)}</th>
                </tr>
            </thead>
            <tbody>
                {g.quotes.into_iter().map(|q| view! {
                    <tr>
                        <td><a href=format!("/renewals/{}", q.quote_number)>{q.quote_number.clone()}</a></td>
                        <td data-label=t(locale, Key::Site)>{format!("{} ({})", q.site_name, q.customer_number)}</td>
                        <td data-label=t(locale, Key::DueDate)>{locale.date(q.due_date)}</td>
                        <td data-label=t(locale, Key::Status)><span class="badge">{quote_status_label(locale, q.status)}</span></td>
                        <td class="num" data-label=t(locale, Key::Subtotal)>{locale.money(&q.subtotal)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
