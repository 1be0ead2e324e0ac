//! The checkout wizard (`/checkout`): *Billing and shipping* → *Review and submit* → *Order
//! confirmation* (the order page), with a step indicator.
//!
//! Every field is checked with `entitle_core::checkout` — the rules the server runs — as the customer
//! moves on, each problem under its field and in the summary at the top, focus on the summary. What is
//! typed is kept as a draft in localStorage (never the card number or the security code) and survives a
//! reload. Submitting sends the order with an idempotency key kept with the draft: a submit made offline
//! waits for the connection and is sent once, with the same key, so there is exactly one order.

mod draft;
mod fields;
mod steps;

use draft::*;
use fields::*;
use steps::*;

use entitle_core::checkout::{Problems as CoreProblems, check_details, check_payment};
use entitle_core::country::CountryCode;
use entitle_core::dto::{
    BillingDetails, CartView, CheckoutOptions, PaymentInput, PlaceOrder, ShippingDetails,
};
use entitle_core::locale::Locale;
use entitle_core::order::PaymentMethod;
use entitle_core::validation::{AddressInput, CardBrand, Explain, format_card_number};
use leptos::ev;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::clock::today;
use crate::drafts;
use crate::i18n::{Key, t, use_locale};
use crate::session::RequireSession;
use crate::ui::{
    ErrorSummary, FieldMessage, FieldProblem, Problems, Skeleton, current_site, error_text,
    problem_of, tx,
};

/// The checkout page, loaded the first time it opens.
pub struct CheckoutRoute;

crate::pages::grouped_route!(
    buy,
    CheckoutRoute,
    checkout_route_view,
    checkout_route_preload,
    { view! { <RequireSession><CheckoutPage/></RequireSession> }.into_any() }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Details,
    Review,
}

#[component]
fn CheckoutPage() -> impl IntoView {
    let locale = use_locale();
    let site = current_site();
    let options = RwSignal::new(None::<Result<(CheckoutOptions, CartView), ApiError>>);
    Effect::new(move |_| {
        if let Some(s) = site.get() {
            let number = s.customer_number;
            leptos::task::spawn_local(async move {
                // The last answer is kept on this device so that a reload while offline still opens
                // the form with its draft; the server's answer replaces it once the connection is
                // back, and the order is priced again by the server when it is placed.
                let kept = format!("checkout-data.{number}");
                loop {
                    // Asked at once, not one after the other.
                    let both = match futures_util::future::join(
                        api::checkout_options(&number),
                        api::cart(&number),
                    )
                    .await
                    {
                        (Ok(o), Ok(c)) => Ok((o, c)),
                        (Err(e), _) | (_, Err(e)) => Err(e),
                    };
                    match both {
                        Err(ApiError::Network(e)) => {
                            match drafts::load_json::<(CheckoutOptions, CartView)>(&kept) {
                                Some(snapshot) if options.get_untracked().is_none() => {
                                    options.set(Some(Ok(snapshot)));
                                }
                                Some(_) => {}
                                None => return options.set(Some(Err(ApiError::Network(e)))),
                            }
                            crate::network::until_online_or_retry().await;
                        }
                        Ok(both) => {
                            drafts::save_json(&kept, &both);
                            // A page opened from the kept answer keeps its form; a fresh one starts.
                            if !matches!(options.get_untracked(), Some(Ok(_))) {
                                options.set(Some(Ok(both)));
                            }
                            return;
                        }
                        Err(e) => return options.set(Some(Err(e))),
                    }
                }
            });
        }
    });
    view! {
        <section class="page checkout">
            <h1>{move || tx(locale.get(), "Checkout", "Pembayaran")}</h1>
            {move || {
                let l = locale.get();
                match (options.get(), site.get()) {
                    (Some(Ok((_, c))), Some(_)) if c.lines.is_empty() => view! {
                        <div class="empty" role="status">
                            <p>{tx(l, "Your cart is empty.", "Keranjang Anda kosong.")}</p>
                            <p><a href="/catalog">{t(l, Key::BackToCatalog)}</a></p>
                        </div>
                    }.into_any(),
                    (Some(Ok((_, c))), Some(_)) if !c.can_check_out => view! {
                        <div class="alert warning" role="alert">
                            <p>{tx(l, "A renewal quote in your cart waits for your renewal representative to re-issue it. You can check out once it is re-issued.", "Penawaran perpanjangan di keranjang Anda menunggu diterbitkan ulang oleh perwakilan perpanjangan. Anda dapat melanjutkan ke pembayaran setelah diterbitkan ulang.")}</p>
                            <p><a href="/cart">{tx(l, "Back to the cart", "Kembali ke keranjang")}</a></p>
                        </div>
                    }.into_any(),
                    (Some(Ok((o, c))), Some(s)) => view! { <Wizard options=o cart=c site=s.customer_number/> }.into_any(),
                    (Some(Err(e)), _) => view! { <div class="alert error" role="alert"><p>{error_text(&e, l)}</p></div> }.into_any(),
                    _ => view! { <Skeleton lines=10/> }.into_any(),
                }
            }}
        </section>
    }
}

fn steps_indicator(l: Locale, current: usize) -> impl IntoView {
    let names = [
        tx(l, "Billing and shipping", "Penagihan dan pengiriman"),
        tx(l, "Review and submit", "Tinjau dan kirim"),
        tx(l, "Order confirmation", "Konfirmasi pesanan"),
    ];
    view! {
        <ol class="steps" aria-label=tx(l, "Checkout steps", "Langkah pembayaran")>
            {names.into_iter().enumerate().map(|(i, n)| view! {
                <li class:done=i < current aria-current=(i == current).then_some("step")>
                    {n}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The step indicator for the confirmation page (the order page).
#[must_use]
pub fn confirmation_steps(l: Locale) -> impl IntoView {
    steps_indicator(l, 2)
}

#[component]
fn Wizard(options: CheckoutOptions, cart: CartView, site: String) -> impl IntoView {
    let locale = use_locale();
    let navigate = use_navigate();
    let draft_key = format!("checkout.{site}");
    // A draft in progress wins; otherwise start from what the portal knows (the last order's details, or
    // the organisation and the user), all of it editable.
    let mut initial: Details =
        drafts::load_json(&draft_key).unwrap_or_else(|| Details::prefilled(&options.billing));
    if initial.method.is_empty()
        || !options
            .payment_methods
            .iter()
            .any(|m| m.code() == initial.method)
    {
        // Credit card is the default wherever it is offered.
        initial.method = options
            .payment_methods
            .first()
            .map_or("card", |m| m.code())
            .to_owned();
    }
    let form = RwSignal::new(initial);
    let card = Card {
        number: RwSignal::new(String::new()),
        code: RwSignal::new(String::new()),
    };
    let problems = RwSignal::new(Problems::new());
    let sending = RwSignal::new(false);
    let waiting_online = RwSignal::new(false);
    let country = options.country;
    let terms = StoredValue::new(options.terms.clone());
    let methods = options.payment_methods.clone();
    // The cart the customer reviews: only this one is ordered (the server refuses another).
    let revision = StoredValue::new(cart.revision.clone());

    // Saves the draft whenever the form changes.
    {
        let key = draft_key.clone();
        Effect::new(move |_| {
            drafts::save_json(&key, &form.get());
        });
    }

    let details_problems = move |f: &Details| {
        let version = terms.with_value(|t| t.version.clone());
        check_details(
            &f.billing(country),
            f.shipping(country).as_ref(),
            f.accept_terms,
            &version,
            country,
            &version,
        )
    };
    // The review step has its own address (`?step=review`), so the browser's back button returns to
    // the details and a reload stays on the review; it shows only while the details are complete.
    let query = use_query_map();
    let step = Memo::new(move |_| {
        let wants_review = query.with(|q| q.get("step").as_deref() == Some("review"));
        if wants_review && form.with(|f| details_problems(f).is_empty()) {
            Step::Review
        } else {
            Step::Details
        }
    });
    let to_review = {
        let navigate = navigate.clone();
        move |e: ev::SubmitEvent| {
            e.prevent_default();
            let found = form.with_untracked(|f| details_problems(f));
            if found.is_empty() {
                problems.set(Problems::new());
                navigate("/checkout?step=review", NavigateOptions::default());
                scroll_to_top();
            } else {
                problems.set(to_ui(locale.get_untracked(), found));
            }
        }
    };
    let to_details = {
        let navigate = navigate.clone();
        Callback::new(move |()| navigate("/checkout", NavigateOptions::default()))
    };

    let submit = {
        let site = site.clone();
        let draft_key = draft_key.clone();
        let navigate = navigate.clone();
        move |e: ev::SubmitEvent| {
            e.prevent_default();
            if sending.get_untracked() || waiting_online.get_untracked() {
                return;
            }
            let l = locale.get_untracked();
            let f = form.get_untracked();
            let payment = match f.method.as_str() {
                "purchase_order" => PaymentInput::PurchaseOrder {
                    po_number: f.po_number.clone(),
                },
                "bank_transfer" => PaymentInput::BankTransfer,
                _ => PaymentInput::Card {
                    number: card.number.get_untracked(),
                    exp_month: f.exp_month.clone(),
                    exp_year: f.exp_year.clone(),
                    security_code: card.code.get_untracked(),
                    name: f.card_name.clone(),
                },
            };
            if let Err(found) = check_payment(&payment, country, today()) {
                problems.set(to_ui(l, found));
                return;
            }
            problems.set(Problems::new());
            let key = if f.idempotency_key.is_empty() {
                let k = new_idempotency_key();
                form.update(|d| d.idempotency_key.clone_from(&k));
                k
            } else {
                f.idempotency_key.clone()
            };
            let order = PlaceOrder {
                site: site.clone(),
                billing: f.billing(country),
                shipping: f.shipping(country),
                accept_terms: f.accept_terms,
                terms_version: terms.with_value(|t| t.version.clone()),
                payment,
                cart_revision: Some(revision.get_value()),
            };
            let draft_key = draft_key.clone();
            let navigate = navigate.clone();
            sending.set(true);
            leptos::task::spawn_local(async move {
                loop {
                    if !crate::network::online() {
                        waiting_online.set(true);
                        crate::network::until_online().await;
                        waiting_online.set(false);
                    }
                    match api::place_order(&order, &key).await {
                        Err(ApiError::Network(_)) => {
                            // The connection dropped mid-request: wait for it and send the same order
                            // with the same key; the server answers with the order if it was placed.
                            waiting_online.set(true);
                            crate::network::until_online_or_retry().await;
                            waiting_online.set(false);
                        }
                        Err(ApiError::Api { status: 409, body })
                            if body.error.code
                                == entitle_core::dto::ErrorCode::IdempotencyInProgress =>
                        {
                            crate::network::sleep_ms(1_000).await;
                        }
                        Ok(placed) => {
                            drafts::clear(&draft_key);
                            drafts::clear_all("cart.");
                            drafts::clear_all("checkout-data.");
                            sending.set(false);
                            navigate(
                                &format!("/orders/{}?placed=1", placed.reference),
                                Default::default(),
                            );
                            return;
                        }
                        Err(e) => {
                            sending.set(false);
                            if e.status() == Some(402) {
                                // Declined: a new attempt is a new order request.
                                form.update(|d| d.idempotency_key.clear());
                            }
                            let field = if e.status() == Some(402) {
                                "payment-number"
                            } else {
                                "submit-order"
                            };
                            problems.set(crate::ui::api_problems(&e, l, field));
                            return;
                        }
                    }
                }
            });
        }
    };

    view! {
        {move || steps_indicator(locale.get(), if step.get() == Step::Details { 0 } else { 1 })}
        <ErrorSummary problems=problems/>
        {move || {
            let l = locale.get();
            match step.get() {
                Step::Details => details_step(l, form, problems.into(), country, terms.get_value(), to_review.clone()).into_any(),
                Step::Review => review_step(l, ReviewArgs {
                    form, card, problems: problems.into(), cart: cart.clone(), methods: methods.clone(),
                    country, sending, waiting_online, to_details,
                }, submit.clone()).into_any(),
            }
        }}
    }
}

fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

type Getter = fn(&Details) -> &String;
type Setter = fn(&mut Details, String);
