//! One catalog part (`/catalog/parts/:part`): description, type, metric, price at the customer's level
//! with points, and "Add to cart" (quantity, and months for monthly parts) or "Request quote".

use entitle_core::catalog::{Metric, PartNumber, PartType};
use entitle_core::dto::{AddCartLine, PartSummary};
use entitle_core::locale::Locale;
use entitle_core::validation::{Explain, Quantity};
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api;
use crate::i18n::{Key, metric_label, part_type_label, t, use_locale};
use crate::session::{SessionState, use_session};
use crate::ui::{Skeleton, current_site, error_text, tx};

/// The part page, loaded the first time it opens.
pub struct PartRoute;

crate::pages::grouped_route!(browse, PartRoute, part_route_view, part_route_preload, {
    view! { <PartPage/> }.into_any()
});

#[component]
fn PartPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let site = current_site();
    let part = LocalResource::new(move || {
        let p = params.read().get("part").unwrap_or_default();
        let s = site.get().map(|s| s.customer_number);
        async move { api::part(&p, s.as_deref()).await }
    });
    view! {
        <section class="page part">
            <p class="breadcrumb"><A href="/catalog">{move || t(locale.get(), Key::BackToCatalog)}</A></p>
            {move || {
                let l = locale.get();
                match part.get() {
                    None => view! { <Skeleton lines=6/> }.into_any(),
                    Some(Err(e)) => view! {
                        <h1>{t(l, Key::PartNumber)}</h1>
                        <div class="alert error" role="alert"><p>{
                            if e.status() == Some(404) { tx(l, "There is no such part in the catalog.", "Tidak ada produk tersebut di katalog.").to_owned() } else { error_text(&e, l) }
                        }</p></div>
                    }.into_any(),
                    Some(Ok(p)) => part_view(l, p).into_any(),
                }
            }}
        </section>
    }
}

fn part_view(l: Locale, p: PartSummary) -> impl IntoView {
    let monthly = matches!(
        p.part_type,
        PartType::MonthlyLicense | PartType::Subscription
    );
    view! {
        <h1>{p.description.clone()}</h1>
        <dl class="facts">
            <dt>{t(l, Key::PartNumber)}</dt><dd id="part-number">{p.part_number.to_string()}</dd>
            <dt>{tx(l, "Product", "Produk")}</dt><dd>{p.product.clone()}</dd>
            <dt>{t(l, Key::Category)}</dt><dd>{p.category.to_string()}</dd>
            <dt>{t(l, Key::LicenceType)}</dt><dd>{part_type_label(l, p.part_type)}</dd>
            <dt>{t(l, Key::Metric)}</dt><dd>{metric_label(l, p.metric)}</dd>
            <dt>{t(l, Key::UnitPrice)}</dt>
            <dd id="part-price">
                {l.money(&p.price)}
                {monthly.then(|| format!(" {}", t(l, Key::PerMonth)))}
                {format!(" · {} {}", t(l, Key::PriceLevel), p.level.code())}
                {(p.list_price != p.price).then(|| format!(" · {} {}", tx(l, "list price", "harga daftar"), l.money(&p.list_price)))}
            </dd>
            <dt>{tx(l, "Points", "Poin")}</dt><dd>{p.points}</dd>
        </dl>
        <Buy part=p.part_number metric=p.metric part_type=p.part_type/>
    }
}

#[component]
fn Buy(part: PartNumber, metric: Metric, part_type: PartType) -> impl IntoView {
    let monthly = matches!(part_type, PartType::MonthlyLicense | PartType::Subscription);
    let min_months = if part_type == PartType::Subscription {
        "12"
    } else {
        "1"
    };
    let locale = use_locale();
    let session = use_session();
    let site = current_site();
    let navigate = use_navigate();
    let qty = RwSignal::new("1".to_owned());
    let months = RwSignal::new("12".to_owned());
    let error = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(false);
    // "Request quote" adds the part too, then opens the cart's quote request form.
    let then_quote = RwSignal::new(false);
    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let Some(s) = site.get_untracked() else {
            return;
        };
        let quantity = match Quantity::parse(&qty.get_untracked(), metric) {
            Ok(q) => q,
            Err(err) => {
                error.set(Some(("quantity".into(), err.message(l))));
                return;
            }
        };
        let m = if monthly {
            match entitle_core::pricing::parse_months(part_type, &months.get_untracked()) {
                Ok(m) => Some(m),
                Err(err) => {
                    error.set(Some(("months".into(), err.message(l))));
                    return;
                }
            }
        } else {
            None
        };
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        let line = AddCartLine {
            site: s.customer_number,
            part_number: part,
            quantity: quantity.get(),
            months: m,
        };
        leptos::task::spawn_local(async move {
            match api::add_cart_line(&line).await {
                Ok(_) if then_quote.get_untracked() => {
                    navigate("/cart#request-quote", Default::default())
                }
                Ok(_) => navigate("/cart", Default::default()),
                Err(e) => {
                    busy.set(false);
                    let (field, msg) = e.fields().into_iter().next().map_or_else(
                        || ("quantity".to_owned(), error_text(&e, l)),
                        |(f, _, m)| (f, m),
                    );
                    error.set(Some((field, msg)));
                }
            }
        });
    };
    let err_for = move |f: &'static str| error.get().filter(|(x, _)| x == f).map(|(_, m)| m);
    move || {
        let l = locale.get();
        match session.0.get() {
            SessionState::SignedIn(_) if site.get().is_some_and(|s| s.privileges.buy) => view! {
                <form class="stack buy" novalidate on:submit=submit.clone()>
                    <div class="field">
                        <label for="quantity">{t(l, Key::Quantity)}</label>
                        <input id="quantity" type="number" min="1" inputmode="numeric"
                            aria-describedby="quantity-error"
                            aria-invalid=move || err_for("quantity").map(|_| "true")
                            prop:value=move || qty.get()
                            on:input=move |e| qty.set(event_target_value(&e))/>
                        <p class="field-error" id="quantity-error">{move || err_for("quantity")}</p>
                    </div>
                    {monthly.then(|| view! {
                        <div class="field">
                            <label for="months">{tx(l, "Months", "Bulan")}</label>
                            <input id="months" type="number" min=min_months max="36" inputmode="numeric"
                                aria-describedby="months-error"
                                aria-invalid=move || err_for("months").map(|_| "true")
                                prop:value=move || months.get()
                                on:input=move |e| months.set(event_target_value(&e))/>
                            <p class="field-error" id="months-error">{move || err_for("months")}</p>
                        </div>
                    })}
                    <div class="actions">
                        <button type="submit" class="primary" id="add-to-cart" disabled=move || busy.get() on:click=move |_| then_quote.set(false)>
                            {move || if busy.get() { t(l, Key::AddingToCart) } else { t(l, Key::AddToCart) }}
                        </button>
                        <button type="submit" name="then" value="quote" on:click=move |_| then_quote.set(true)>{tx(l, "Request quote", "Minta penawaran")}</button>
                    </div>
                </form>
            }.into_any(),
            SessionState::SignedIn(_) => view! {
                <p class="alert info">{tx(l, "Your account may not buy for this site. Ask the site's primary contact for the buy privilege.", "Akun Anda tidak dapat membeli untuk situs ini. Minta hak beli kepada kontak utama situs.")}</p>
            }.into_any(),
            _ => view! {
                <p><A href=format!("/sign-in?return_to=/catalog/parts/{part}")>{tx(l, "Sign in to buy or request a quote", "Masuk untuk membeli atau meminta penawaran")}</A></p>
            }.into_any(),
        }
    }
}
