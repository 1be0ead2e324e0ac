//! The checkout wizard (`/checkout`): *Billing and shipping* → *Review and submit* → *Order
//! confirmation* (the order page), with a step indicator.
//!
//! Every field is checked with `entitle_core::checkout` — the rules the server runs — as the customer
//! moves on, each problem under its field and in the summary at the top, focus on the summary. What is
//! typed is kept as a draft in localStorage (never the card number or the security code) and survives a
//! reload. Submitting sends the order with an idempotency key kept with the draft: a submit made offline
//! waits for the connection and is sent once, with the same key, so there is exactly one order.

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
use leptos_router::hooks::use_navigate;
use leptos_router::{LazyRoute, lazy_route};
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

#[lazy_route]
impl LazyRoute for CheckoutRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RequireSession><CheckoutPage/></RequireSession> }.into_any()
    }
}

/// Everything the customer types except the card number and the security code, saved as a draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Details {
    billing_address: AddressDraft,
    contact: String,
    email: String,
    phone: String,
    tax_id: String,
    ship_other: bool,
    shipping_address: AddressDraft,
    s_contact: String,
    s_email: String,
    accept_terms: bool,
    method: String,
    po_number: String,
    exp_month: String,
    exp_year: String,
    card_name: String,
    /// The idempotency key of the order being submitted; kept until the order is confirmed.
    idempotency_key: String,
}

/// An address as typed, one of the two (billing, shipping) in the draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct AddressDraft {
    name: String,
    line1: String,
    line2: String,
    city: String,
    region: String,
    postal_code: String,
}

impl AddressDraft {
    /// The parts in form order: the field name (as in the API's paths) and the autocomplete token.
    const PARTS: [(&'static str, &'static str); 6] = [
        ("name", "organization"),
        ("line1", "address-line1"),
        ("line2", "address-line2"),
        ("city", "address-level2"),
        ("region", "address-level1"),
        ("postal_code", "postal-code"),
    ];

    fn part(&self, i: usize) -> &String {
        match i {
            0 => &self.name,
            1 => &self.line1,
            2 => &self.line2,
            3 => &self.city,
            4 => &self.region,
            _ => &self.postal_code,
        }
    }

    fn part_mut(&mut self, i: usize) -> &mut String {
        match i {
            0 => &mut self.name,
            1 => &mut self.line1,
            2 => &mut self.line2,
            3 => &mut self.city,
            4 => &mut self.region,
            _ => &mut self.postal_code,
        }
    }

    fn input(&self, country: CountryCode) -> AddressInput {
        AddressInput {
            name: self.name.clone(),
            line1: self.line1.clone(),
            line2: self.line2.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            postal_code: self.postal_code.clone(),
            country,
        }
    }
}

impl Details {
    fn address_mut(&mut self, billing: bool) -> &mut AddressDraft {
        if billing {
            &mut self.billing_address
        } else {
            &mut self.shipping_address
        }
    }

    fn address(&self, billing: bool) -> &AddressDraft {
        if billing {
            &self.billing_address
        } else {
            &self.shipping_address
        }
    }

    fn billing(&self, country: CountryCode) -> BillingDetails {
        BillingDetails {
            address: self.billing_address.input(country),
            contact_name: self.contact.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            tax_id: self.tax_id.clone(),
        }
    }

    fn shipping(&self, country: CountryCode) -> Option<ShippingDetails> {
        self.ship_other.then(|| ShippingDetails {
            address: self.shipping_address.input(country),
            contact_name: self.s_contact.clone(),
            email: self.s_email.clone(),
        })
    }
}

/// The card fields: in memory only, gone on reload.
#[derive(Debug, Clone, Copy)]
struct Card {
    number: RwSignal<String>,
    code: RwSignal<String>,
}

fn to_ui(l: Locale, problems: CoreProblems) -> Problems {
    problems
        .into_iter()
        .map(|(field, p)| FieldProblem {
            field: field.replace('.', "-"),
            message: p.message(l),
        })
        .collect()
}

fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

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
                let both = match api::checkout_options(&number).await {
                    Ok(o) => api::cart(&number).await.map(|c| (o, c)),
                    Err(e) => Err(e),
                };
                options.set(Some(both));
            });
        }
    });
    view! {
        <section class="page checkout">
            <h1>{move || tx(locale.get(), "Checkout", "Checkout")}</h1>
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
                            <p>{tx(l, "A renewal quote in your cart waits for your renewal representative to re-issue it. You can check out once it is re-issued.", "Penawaran perpanjangan di keranjang Anda menunggu diterbitkan ulang oleh perwakilan perpanjangan. Anda dapat checkout setelah diterbitkan ulang.")}</p>
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
        <ol class="steps" aria-label=tx(l, "Checkout steps", "Langkah checkout")>
            {names.into_iter().enumerate().map(|(i, n)| view! {
                <li class:done=i < current aria-current=(i == current).then_some("step")>
                    <span class="step-number">{i + 1}</span> {n}
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
    let mut initial: Details = drafts::load_json(&draft_key).unwrap_or_default();
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
    let step = RwSignal::new(Step::Details);
    let problems = RwSignal::new(Problems::new());
    let sending = RwSignal::new(false);
    let waiting_online = RwSignal::new(false);
    let country = options.country;
    let terms = StoredValue::new(options.terms.clone());
    let methods = options.payment_methods.clone();

    // Saves the draft whenever the form changes.
    {
        let key = draft_key.clone();
        Effect::new(move |_| {
            drafts::save_json(&key, &form.get());
        });
    }

    let to_review = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let f = form.get_untracked();
        let found = check_details(
            &f.billing(country),
            f.shipping(country).as_ref(),
            f.accept_terms,
            &terms.with_value(|t| t.version.clone()),
            country,
            &terms.with_value(|t| t.version.clone()),
        );
        if found.is_empty() {
            problems.set(Problems::new());
            step.set(Step::Review);
            scroll_to_top();
        } else {
            problems.set(to_ui(l, found));
        }
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
                Step::Details => details_step(l, form, problems.into(), country, terms.get_value(), to_review).into_any(),
                Step::Review => review_step(l, ReviewArgs {
                    form, card, problems: problems.into(), cart: cart.clone(), methods: methods.clone(),
                    country, sending, waiting_online, step,
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

/// One labelled text input bound to a draft field, with its message and `aria-invalid`.
#[allow(clippy::too_many_arguments)]
fn text_field(
    l: Locale,
    id: &'static str,
    label: String,
    form: RwSignal<Details>,
    get: Getter,
    set: Setter,
    problems: Signal<Problems>,
    autocomplete: &'static str,
    required: bool,
) -> AnyView {
    input_field(
        l,
        id.to_owned(),
        label,
        move || form.with(|f| get(f).clone()),
        move |v| form.update(|f| set(f, v)),
        problems,
        autocomplete,
        required,
    )
}

/// A labelled text input showing `value`, calling `set` as the customer types.
#[allow(clippy::too_many_arguments)]
fn input_field(
    l: Locale,
    id: String,
    label: String,
    value: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + 'static,
    problems: Signal<Problems>,
    autocomplete: &'static str,
    required: bool,
) -> AnyView {
    let error_id = format!("{id}-error");
    let field = id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}{(!required).then_some(tx(l, " (optional)", " (opsional)"))}</label>
            <input id=id.clone() name=id.clone() type="text" autocomplete=autocomplete
                required=required
                prop:value=value
                aria-invalid=move || problem_of(&problems.get(), &field).map(|_| "true")
                aria-describedby=error_id
                on:input=move |e| set(event_target_value(&e))/>
            <FieldMessage field=id problems=problems/>
        </div>
    }
    .into_any()
}

fn address_fields(
    l: Locale,
    prefix: &'static str,
    form: RwSignal<Details>,
    problems: Signal<Problems>,
    country: CountryCode,
) -> impl IntoView {
    let billing = prefix == "billing";
    let labels = [
        tx(l, "Company or name", "Perusahaan atau nama"),
        tx(l, "Street address", "Alamat jalan"),
        tx(l, "Building, floor", "Gedung, lantai"),
        tx(l, "City", "Kota"),
        tx(l, "State or province", "Provinsi"),
        tx(l, "Postal code", "Kode pos"),
    ];
    let region_required = entitle_core::validation::Address::region_required(country);
    view! {
        {AddressDraft::PARTS.iter().enumerate().map(|(i, (key, autocomplete))| input_field(
            l,
            format!("{prefix}-address-{key}"),
            labels[i].to_owned(),
            move || form.with(|f| f.address(billing).part(i).clone()),
            move |v| form.update(|f| *f.address_mut(billing).part_mut(i) = v),
            problems,
            autocomplete,
            // Building/floor is optional everywhere; the region only where addresses need one.
            i != 2 && (i != 4 || region_required),
        )).collect_view()}
        <p class="muted">{format!("{}: {}", tx(l, "Country", "Negara"), country)}</p>
    }
}

fn details_step(
    l: Locale,
    form: RwSignal<Details>,
    problems: Signal<Problems>,
    country: CountryCode,
    terms: entitle_core::dto::TermsView,
    on_submit: impl FnMut(ev::SubmitEvent) + 'static,
) -> impl IntoView {
    let tax_label = if country == CountryCode::ID {
        tx(l, "NPWP (tax ID)", "NPWP").to_owned()
    } else {
        tx(l, "Tax ID", "Nomor pajak").to_owned()
    };
    view! {
        <form class="stack" novalidate on:submit=on_submit>
            <fieldset>
                <legend>{tx(l, "Billing address", "Alamat penagihan")}</legend>
                {address_fields(l, "billing", form, problems, country)}
            </fieldset>
            <fieldset>
                <legend>{tx(l, "Billing contact", "Kontak penagihan")}</legend>
                {text_field(l, "billing-contact_name", t(l, Key::Name).to_owned(), form, |f| &f.contact, |f, v| f.contact = v, problems, "name", true)}
                {text_field(l, "billing-email", t(l, Key::Email).to_owned(), form, |f| &f.email, |f, v| f.email = v, problems, "email", true)}
                {text_field(l, "billing-phone", t(l, Key::Phone).to_owned(), form, |f| &f.phone, |f, v| f.phone = v, problems, "tel", false)}
                {text_field(l, "billing-tax_id", tax_label, form, |f| &f.tax_id, |f, v| f.tax_id = v, problems, "off", country == CountryCode::ID)}
            </fieldset>
            <div class="field checkbox">
                <input id="ship-other" type="checkbox" prop:checked=move || form.with(|f| f.ship_other)
                    on:change=move |e| { let on = event_target_checked(&e); form.update(|f| f.ship_other = on); }/>
                <label for="ship-other">{tx(l, "Ship to a different address", "Kirim ke alamat lain")}</label>
            </div>
            {move || form.with(|f| f.ship_other).then(|| view! {
                <fieldset>
                    <legend>{tx(l, "Shipping address", "Alamat pengiriman")}</legend>
                    {address_fields(l, "shipping", form, problems, country)}
                    {text_field(l, "shipping-contact_name", t(l, Key::Name).to_owned(), form, |f| &f.s_contact, |f, v| f.s_contact = v, problems, "name", true)}
                    {text_field(l, "shipping-email", t(l, Key::Email).to_owned(), form, |f| &f.s_email, |f, v| f.s_email = v, problems, "email", true)}
                </fieldset>
            })}
            <div class="terms">
                <h2 id="terms-title">{terms.title.clone()}</h2>
                // Focusable, so a keyboard user can scroll the terms.
                <div class="terms-body" tabindex="0" role="region" aria-labelledby="terms-title">
                    {terms.body.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
                </div>
                <div class="field checkbox">
                    <input id="accept_terms" type="checkbox" aria-describedby="accept_terms-error"
                        aria-invalid=move || problem_of(&problems.get(), "accept_terms").map(|_| "true")
                        prop:checked=move || form.with(|f| f.accept_terms)
                        on:change=move |e| { let on = event_target_checked(&e); form.update(|f| f.accept_terms = on); }/>
                    <label for="accept_terms">{tx(l, "I agree to the terms and conditions", "Saya menyetujui syarat dan ketentuan")}</label>
                    <FieldMessage field="accept_terms" problems=problems/>
                </div>
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="continue">{tx(l, "Continue", "Lanjutkan")}</button>
            </div>
        </form>
    }
}

struct ReviewArgs {
    form: RwSignal<Details>,
    card: Card,
    problems: Signal<Problems>,
    cart: CartView,
    methods: Vec<PaymentMethod>,
    country: CountryCode,
    sending: RwSignal<bool>,
    waiting_online: RwSignal<bool>,
    step: RwSignal<Step>,
}

fn method_label(l: Locale, m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Card => tx(l, "Credit card", "Kartu kredit"),
        PaymentMethod::PurchaseOrder => tx(l, "Purchase order", "Purchase order (PO)"),
        PaymentMethod::BankTransfer => tx(l, "Bank transfer", "Transfer bank"),
    }
}

fn review_step(
    l: Locale,
    a: ReviewArgs,
    on_submit: impl FnMut(ev::SubmitEvent) + 'static,
) -> impl IntoView {
    let ReviewArgs {
        form,
        card,
        problems,
        cart,
        methods,
        country,
        sending,
        waiting_online,
        step,
    } = a;
    let f = form.get_untracked();
    let a = &f.billing_address;
    let billing_lines = [
        a.name.clone(),
        a.line1.clone(),
        a.line2.clone(),
        format!("{} {}", a.postal_code, a.city),
        a.region.clone(),
        country.to_string(),
    ];
    view! {
        <section aria-labelledby="review-items">
            <h2 id="review-items">{tx(l, "Your order", "Pesanan Anda")}</h2>
            <table class="data">
                <thead><tr>
                    <th scope="col">{t(l, Key::PartNumber)}</th>
                    <th scope="col">{t(l, Key::Description)}</th>
                    <th scope="col" class="num">{t(l, Key::Quantity)}</th>
                    <th scope="col" class="num">{t(l, Key::Amount)}</th>
                </tr></thead>
                <tbody>
                    {cart.lines.iter().map(|line| view! {
                        <tr>
                            <td>{line.part_number.to_string()}</td>
                            <td>{line.description.clone()}</td>
                            <td class="num">{line.quantity}</td>
                            <td class="num">{l.money(&line.total)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row" colspan="3">{t(l, Key::Subtotal)}</th><td class="num">{l.money(&cart.subtotal)}</td></tr>
                    <tr><th scope="row" colspan="3">{t(l, Key::Tax)}</th><td class="num">{l.money(&cart.tax)}</td></tr>
                    <tr class="total"><th scope="row" colspan="3">{t(l, Key::Total)}</th><td class="num" id="review-total">{l.money(&cart.total)}</td></tr>
                </tfoot>
            </table>
        </section>
        <section aria-labelledby="review-billing">
            <h2 id="review-billing">{tx(l, "Billing", "Penagihan")}</h2>
            <address>
                {billing_lines.into_iter().filter(|s| !s.trim().is_empty()).map(|s| view! { <span>{s}</span><br/> }).collect_view()}
            </address>
            <p>{format!("{} · {}", f.contact, f.email)}</p>
            <button type="button" class="link" on:click=move |_| step.set(Step::Details)>
                {tx(l, "Change billing and shipping", "Ubah penagihan dan pengiriman")}
            </button>
        </section>
        <form class="stack" novalidate on:submit=on_submit>
            <fieldset>
                <legend>{tx(l, "Payment method", "Metode pembayaran")}</legend>
                {methods.into_iter().map(|m| view! {
                    <label class="choice">
                        <input type="radio" name="method" value=m.code()
                            prop:checked=move || form.with(|f| f.method == m.code())
                            on:change=move |_| form.update(|f| f.method = m.code().to_owned())/>
                        {method_label(l, m)}
                    </label>
                }).collect_view()}
            </fieldset>
            {move || match form.with(|f| f.method.clone()).as_str() {
                "card" => card_fields(l, form, card, problems).into_any(),
                "purchase_order" => view! {
                    <fieldset>
                        <legend>{tx(l, "Purchase order", "Purchase order (PO)")}</legend>
                        {text_field(l, "payment-po_number", tx(l, "PO number", "Nomor PO").to_owned(), form, |f| &f.po_number, |f, v| f.po_number = v, problems, "off", true)}
                        <p class="muted">{tx(l, "You can upload the PO document from the order page after you submit.", "Anda dapat mengunggah dokumen PO dari halaman pesanan setelah mengirim.")}</p>
                    </fieldset>
                }.into_any(),
                _ => view! {
                    <p class="muted">{tx(l, "You will receive the bank details with your order confirmation.", "Rincian bank akan dikirim bersama konfirmasi pesanan Anda.")}</p>
                }.into_any(),
            }}
            <div aria-live="polite" id="submit-state">
                {move || waiting_online.get().then(|| view! {
                    <p class="alert info">{tx(l, "You are offline. Your order is kept and will be sent once, as soon as the connection returns.", "Anda sedang offline. Pesanan Anda disimpan dan akan dikirim satu kali segera setelah koneksi kembali.")}</p>
                })}
            </div>
            <FieldMessage field="submit-order" problems=problems/>
            <div class="actions">
                <button type="submit" class="primary" id="submit-order" disabled=move || sending.get() aria-busy=move || sending.get().to_string()>
                    {move || if sending.get() { tx(l, "Submitting…", "Mengirim…") } else { tx(l, "Submit", "Kirim") }}
                </button>
            </div>
        </form>
    }
}

fn card_fields(
    l: Locale,
    form: RwSignal<Details>,
    card: Card,
    problems: Signal<Problems>,
) -> impl IntoView {
    let digits = move || {
        card.number
            .get()
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    let brand = Memo::new(move |_| CardBrand::detect(&digits()));
    let code_hint = move || match brand.get() {
        Some(CardBrand::Amex) => tx(
            l,
            "4 digits on the front of the card, above the number",
            "4 digit di bagian depan kartu, di atas nomor",
        ),
        Some(b) if b.security_code_len() == 3 => tx(
            l,
            "3 digits on the back of the card",
            "3 digit di bagian belakang kartu",
        ),
        _ => tx(
            l,
            "3 digits on the back, or 4 on the front for American Express",
            "3 digit di belakang, atau 4 di depan untuk American Express",
        ),
    };
    let year_now = today().year();
    view! {
        <fieldset>
            <legend>{tx(l, "Card", "Kartu")}</legend>
            <div class="field">
                <label for="payment-number">{tx(l, "Card number", "Nomor kartu")}</label>
                <div class="card-number">
                    <input id="payment-number" type="text" inputmode="numeric" autocomplete="cc-number"
                        maxlength="23" aria-describedby="payment-number-brand payment-number-error"
                        aria-invalid=move || problem_of(&problems.get(), "payment-number").map(|_| "true")
                        prop:value=move || card.number.get()
                        on:input=move |e| card.number.set(format_card_number(&event_target_value(&e)))/>
                    <span id="payment-number-brand" class="brand" aria-live="polite">
                        {move || brand.get().map(|b| b.name())}
                    </span>
                </div>
                <FieldMessage field="payment-number" problems=problems/>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="payment-exp_month">{tx(l, "Expiry month", "Bulan kedaluwarsa")}</label>
                    <select id="payment-exp_month" autocomplete="cc-exp-month" aria-describedby="payment-exp_month-error"
                        aria-invalid=move || problem_of(&problems.get(), "payment-exp_month").map(|_| "true")
                        on:change=move |e| { let v = event_target_value(&e); form.update(|f| f.exp_month = v); }>
                        <option value="">{tx(l, "Month", "Bulan")}</option>
                        {(1..=12).map(|m| {
                            let v = format!("{m:02}");
                            view! { <option value=v.clone() selected=move || form.with(|f| f.exp_month == v)>{format!("{m:02}")}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage field="payment-exp_month" problems=problems/>
                </div>
                <div class="field">
                    <label for="payment-exp_year">{tx(l, "Expiry year", "Tahun kedaluwarsa")}</label>
                    <select id="payment-exp_year" autocomplete="cc-exp-year" aria-describedby="payment-exp_year-error"
                        aria-invalid=move || problem_of(&problems.get(), "payment-exp_year").map(|_| "true")
                        on:change=move |e| { let v = event_target_value(&e); form.update(|f| f.exp_year = v); }>
                        <option value="">{tx(l, "Year", "Tahun")}</option>
                        {(year_now..year_now + 16).map(|y| {
                            let v = y.to_string();
                            view! { <option value=v.clone() selected=move || form.with(|f| f.exp_year == v)>{y}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage field="payment-exp_year" problems=problems/>
                </div>
                <div class="field">
                    <label for="payment-security_code">{tx(l, "Security code", "Kode keamanan")}</label>
                    <input id="payment-security_code" type="password" inputmode="numeric" autocomplete="cc-csc"
                        maxlength="4" size="5" aria-describedby="payment-security_code-hint payment-security_code-error"
                        aria-invalid=move || problem_of(&problems.get(), "payment-security_code").map(|_| "true")
                        prop:value=move || card.code.get()
                        on:input=move |e| card.code.set(event_target_value(&e))/>
                    <p class="hint" id="payment-security_code-hint">{code_hint}</p>
                    <FieldMessage field="payment-security_code" problems=problems/>
                </div>
            </div>
            {text_field(l, "payment-name", tx(l, "Name on card", "Nama pada kartu").to_owned(), form, |f| &f.card_name, |f, v| f.card_name = v, problems, "cc-name", true)}
        </fieldset>
    }
}
