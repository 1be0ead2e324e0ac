//! *Coverage due* (`/coverage`): every entitlement whose Subscription & Support ends within 90 days or
//! has lapsed, split into what the customer renews here and what a Business Partner renews for them.

use entitle_core::dto::{CoverageItem, CoverageState, RenewalChannel};
use entitle_core::locale::Locale;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{Key, t, use_locale};
use crate::session::RequireSession;
use crate::ui::{Skeleton, error_text, tx};

/// The coverage page, loaded the first time it opens.
pub struct CoverageRoute;

crate::pages::grouped_route!(
    renew,
    CoverageRoute,
    coverage_route_view,
    coverage_route_preload,
    { view! { <RequireSession><CoveragePage/></RequireSession> }.into_any() }
);

#[component]
fn CoveragePage() -> impl IntoView {
    let locale = use_locale();
    let items = LocalResource::new(api::coverage);
    view! {
        <section class="page">
            <h1>{move || tx(locale.get(), "Coverage due", "Cakupan jatuh tempo")}</h1>
            <p class="lead">{move || tx(locale.get(),
                "Subscription & Support that ends within 90 days, or has lapsed and can only be reinstated.",
                "Subscription & Support yang berakhir dalam 90 hari, atau sudah berakhir dan hanya dapat dipulihkan.")}</p>
            <div aria-live="polite">
                {move || {
                    let l = locale.get();
                    match items.get() {
                        None => view! { <Skeleton lines=6/> }.into_any(),
                        Some(Err(e)) => view! { <div class="alert error" role="alert"><p>{error_text(&e, l)}</p></div> }.into_any(),
                        Some(Ok(all)) => {
                            let due: Vec<CoverageItem> = all.into_iter().filter(|c| c.state != CoverageState::Active).collect();
                            let (direct, partner): (Vec<_>, Vec<_>) = due.into_iter().partition(|c| c.channel == RenewalChannel::Online);
                            view! {
                                <h2>{tx(l, "Renewed directly", "Diperpanjang langsung")}</h2>
                                {table(l, direct, "coverage-direct")}
                                <h2>{tx(l, "Renewed through your Business Partner", "Diperpanjang melalui Mitra Bisnis")}</h2>
                                {table(l, partner, "coverage-partner")}
                            }.into_any()
                        }
                    }
                }}
            </div>
        </section>
    }
}

fn table(l: Locale, rows: Vec<CoverageItem>, id: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="empty" id=id>{tx(l, "Nothing is due.", "Tidak ada yang jatuh tempo.")}</p> }.into_any();
    }
    view! {
        <table class="data" id=id>
            <thead><tr>
                <th scope="col">{t(l, Key::Site)}</th>
                <th scope="col">{tx(l, "Product", "Produk")}</th>
                <th scope="col" class="num">{t(l, Key::Quantity)}</th>
                <th scope="col">{tx(l, "Coverage ends", "Cakupan berakhir")}</th>
                <th scope="col">{t(l, Key::Status)}</th>
                <th scope="col">{tx(l, "Renewal part", "Part perpanjangan")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|c| view! {
                    <tr>
                        <td data-label=t(l, Key::Site)>{format!("{} ({})", c.site_name, c.customer_number)}</td>
                        <td>{c.product.clone()}{c.business_partner.clone().map(|bp| view! { <div class="muted">{bp}</div> })}</td>
                        <td class="num" data-label=t(l, Key::Quantity)>{c.quantity}</td>
                        <td data-label=tx(l, "Coverage ends", "Cakupan berakhir")>{l.date(c.coverage_end)}</td>
                        <td data-label=t(l, Key::Status)><span class="badge">{match c.state {
                            CoverageState::Lapsed => tx(l, "Lapsed: reinstatement only", "Berakhir: hanya pemulihan"),
                            _ => tx(l, "Due for renewal", "Jatuh tempo perpanjangan"),
                        }}</span></td>
                        <td data-label=tx(l, "Renewal part", "Part perpanjangan")><a href=format!("/catalog/parts/{}", c.renewal_part)>{c.renewal_part.to_string()}</a></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}
