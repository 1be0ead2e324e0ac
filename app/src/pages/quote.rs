//! One renewal quote (`/renewals/:quote`): the quote number, tabs *Account information* and *Sales
//! representative*, every line with its pricing explanation, totals, and the choice of how to renew —
//! online (into the cart), through the Business Partner, or through the renewal rep.
//!
//! Renewal notice e-mails link here; a signed-out visitor signs in first and comes straight back.

use entitle_core::dto::{OfflineChannel, RenewalChannelRequest, RenewalQuoteDetail};
use entitle_core::locale::Locale;
use entitle_core::quote::QuoteStatus;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::{self, ApiError};
use crate::components::money::MoneyBlock;
use crate::i18n::{Key, quote_status_label, t, use_locale};
use crate::session::RequireSession;
use crate::ui::{Skeleton, error_text, explanation_text, tx};

/// The renewal quote page, loaded the first time it opens.
pub struct QuoteRoute;

crate::pages::grouped_route!(renew, QuoteRoute, quote_route_view, quote_route_preload, {
    view! { <RequireSession><QuotePage/></RequireSession> }.into_any()
});

#[component]
fn QuotePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let number = move || params.read().get("quote").unwrap_or_default();
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        let n = number();
        reload.track();
        async move { api::renewal(&n).await }
    });
    view! {
        <section class="page">
            {move || match data.get() {
                None => view! { <h1>{t(locale.get(), Key::QuoteTitle).replace("{number}", "").trim().to_owned()}</h1><Skeleton lines=8/> }.into_any(),
                Some(Err(e)) => {
                    let l = locale.get();
                    let msg = if e.status() == Some(404) { t(l, Key::QuoteNotFound).to_owned() } else { error_text(&e, l) };
                    view! {
                        <h1>{t(l, Key::QuoteTitle).replace("{number}", "").trim().to_owned()}</h1>
                        <div class="alert error" role="alert"><p>{msg}</p></div>
                        <p><a href="/renewals">{t(l, Key::BackToRenewals)}</a></p>
                    }.into_any()
                }
                Some(Ok(q)) => quote_view(locale.get(), q, reload).into_any(),
            }}
        </section>
    }
}

fn quote_view(l: Locale, q: RenewalQuoteDetail, reload: RwSignal<u32>) -> impl IntoView {
    let s = q.summary.clone();
    let tab = RwSignal::new(0usize);
    let title = t(l, Key::QuoteTitle).replace("{number}", &s.quote_number);
    let version =
        (s.version > 1).then(|| format!(" · {} {}", tx(l, "version", "versi"), s.version));
    view! {
        <p class="breadcrumb"><a href="/renewals">{t(l, Key::BackToRenewals)}</a></p>
        <h1>{title}</h1>
        <p>
            <span class="badge" id="quote-status">{quote_status_label(l, s.status)}</span>
            {version}
            " · " {t(l, Key::ValidUntil)} " " {l.date(s.valid_until)}
        </p>
        {q.business_partner.clone().map(|bp| view! {
            <div class="alert info" role="note">
                <p>
                    {tx(l, "This renewal is handled by your Business Partner, ", "Perpanjangan ini ditangani oleh Mitra Bisnis Anda, ")}
                    <strong>{bp.name.clone()}</strong>
                    {format!(" — {} · {}", bp.email, bp.phone)}
                </p>
            </div>
        })}
        <div class="tabs">
            <div role="tablist" aria-label=t(l, Key::RenewalInformation)>
                {tab_button(0, "tab-account", "panel-account", t(l, Key::AccountInformation), tab)}
                {tab_button(1, "tab-rep", "panel-rep", t(l, Key::SalesRepresentative), tab)}
            </div>
            <div role="tabpanel" id="panel-account" aria-labelledby="tab-account" tabindex="0" hidden=move || tab.get() != 0>
                <dl class="facts">
                    <dt>{t(l, Key::CustomerNumber)}</dt><dd>{s.customer_number.clone()}</dd>
                    <dt>{t(l, Key::Site)}</dt><dd>{format!("{} · {}", s.site_name, s.organisation)}</dd>
                    <dt>{t(l, Key::Agreement)}</dt><dd>{s.agreement_number.clone()}</dd>
                    <dt>{t(l, Key::RenewalDueDate)}</dt><dd>{l.date(s.due_date)}</dd>
                    <dt>{t(l, Key::PriceLevel)}</dt><dd>{q.level.code()}</dd>
                </dl>
            </div>
            <div role="tabpanel" id="panel-rep" aria-labelledby="tab-rep" tabindex="0" hidden=move || tab.get() != 1>
                <dl class="facts">
                    <dt>{t(l, Key::SalesRepresentative)}</dt><dd>{q.sales_rep.name.clone()}</dd>
                    <dt>{t(l, Key::Email)}</dt><dd><a href=format!("mailto:{}", q.sales_rep.email)>{q.sales_rep.email.clone()}</a></dd>
                    <dt>{t(l, Key::Phone)}</dt><dd>{q.sales_rep.phone.clone()}</dd>
                    <dt>{tx(l, "Renewal representative", "Perwakilan perpanjangan")}</dt><dd>{q.renewal_rep.name.clone()}</dd>
                    <dt>{t(l, Key::Email)}</dt><dd><a href=format!("mailto:{}", q.renewal_rep.email)>{q.renewal_rep.email.clone()}</a></dd>
                </dl>
            </div>
        </div>
        <h2>{tx(l, "Items", "Item")}</h2>
        <table class="data">
            <thead><tr>
                <th scope="col">{t(l, Key::PartNumber)}</th>
                <th scope="col">{t(l, Key::Description)}</th>
                <th scope="col" class="num">{t(l, Key::Quantity)}</th>
                <th scope="col">{t(l, Key::Coverage)}</th>
                <th scope="col" class="num">{t(l, Key::UnitPrice)}</th>
                <th scope="col" class="num">{t(l, Key::Amount)}</th>
            </tr></thead>
            <tbody>
                {q.lines.iter().map(|line| view! {
                    <tr>
                        <td class="part-number">{line.part_number.to_string()}</td>
                        <td>
                            {line.description.clone()}
                            <ul class="explain">
                                {line.explanations.iter().map(|e| view! { <li>{explanation_text(l, e)}</li> }).collect_view()}
                            </ul>
                        </td>
                        <td class="num" data-label=t(l, Key::Quantity)>{line.quantity}</td>
                        <td data-label=t(l, Key::Coverage)><span>{format!("{} – {}", l.date(line.coverage_start), l.date(line.coverage_end))}</span></td>
                        <td class="num" data-label=t(l, Key::UnitPrice)>{l.money(&line.unit_price)}</td>
                        <td class="num" data-label=t(l, Key::Amount) data-line-amount=line.extended.amount().to_string()>{l.money(&line.extended)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <MoneyBlock locale=l summary=q.money.clone() total_id="quote-total"/>
        {q.auto_renew.map(|on| view! { <AutoRenew number=s.quote_number.clone() site=s.customer_number.clone() due=s.due_date on=on consent=q.auto_renew_consent.clone() terms_version=q.terms_version.clone() open=s.status.is_open_to_customer()/> })}
        <RenewChoice quote=q reload=reload/>
    }
}

/// The auto-renew setting (only where the site's country allows it). It places a binding order on the
/// due date at this price, so it starts off and is turned on only with the customer's acceptance of the
/// terms of sale; who turned it on, when and under which terms is shown while it is on.
#[component]
fn AutoRenew(
    number: String,
    site: String,
    due: time::Date,
    on: bool,
    consent: Option<entitle_core::dto::AutoRenewConsent>,
    terms_version: String,
    open: bool,
) -> impl IntoView {
    let locale = use_locale();
    let setting = RwSignal::new((on, consent));
    let accept = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<Result<bool, String>>);
    let terms_problem = RwSignal::new(None::<String>);
    // The terms are read only by someone about to accept them.
    let show_terms = RwSignal::new(false);
    let terms = LocalResource::new(move || {
        let site = site.clone();
        let wanted = show_terms.get();
        async move {
            if wanted {
                api::checkout_options(&site).await.ok().map(|o| o.terms)
            } else {
                None
            }
        }
    });
    let switch = Callback::new(move |wanted: bool| {
        let l = locale.get_untracked();
        if wanted {
            // The same rule the server applies (entitle-core).
            let problems = entitle_core::checkout::check_terms(
                accept.get_untracked(),
                &terms_version,
                &terms_version,
            );
            if let Some((_, p)) = problems.first() {
                terms_problem.set(Some(entitle_core::validation::Explain::message(p, l)));
                return;
            }
        }
        terms_problem.set(None);
        let number = number.clone();
        let terms_version = terms_version.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::set_auto_renew(&number, wanted, accept.get_untracked(), &terms_version).await
            {
                Ok(d) => {
                    let now = d.auto_renew.unwrap_or(false);
                    setting.set((now, d.auto_renew_consent));
                    accept.set(false);
                    message.set(Some(Ok(now)));
                }
                Err(e) => message.set(Some(Err(error_text(&e, locale.get_untracked())))),
            }
            busy.set(false);
        });
    });
    view! {
        <section class="auto-renew" aria-labelledby="auto-renew-title">
            <h2 id="auto-renew-title">{move || tx(locale.get(), "Automatic renewal", "Perpanjangan otomatis")}</h2>
            {move || {
                let l = locale.get();
                let (on, consent) = setting.get();
                if on {
                    view! {
                        <p id="auto-renew-state">{format!("{} {}, {}", tx(l, "On: this quote is ordered at this price on", "Aktif: penawaran ini dipesan dengan harga ini pada"), l.date(due), tx(l, "invoiced to the billing details of your last order.", "ditagihkan ke detail penagihan pesanan terakhir Anda."))}</p>
                        {consent.map(|c| {
                            let day = time::OffsetDateTime::from_unix_timestamp(c.at).ok().map(|t| l.date(t.date())).unwrap_or_default();
                            view! { <p class="muted" id="auto-renew-consent">{format!("{} {} ({}) {} {}, {} {}.", tx(l, "Turned on by", "Diaktifkan oleh"), c.by_name, c.by_email, tx(l, "on", "pada"), day, tx(l, "accepting the terms and conditions of sale version", "dengan menyetujui syarat dan ketentuan penjualan versi"), c.terms_version)}</p> }
                        })}
                        <div class="actions">
                            <button type="button" class="secondary" id="auto-renew-off" disabled=move || busy.get() || !open
                                on:click=move |_| switch.run(false)>{tx(l, "Turn off automatic renewal", "Matikan perpanjangan otomatis")}</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <p id="auto-renew-state">{format!("{} {}.", tx(l, "Off. Turn it on to have this quote ordered at this price, invoiced, on", "Nonaktif. Aktifkan agar penawaran ini dipesan dengan harga ini, ditagihkan, pada"), l.date(due))}</p>
                        <details class="terms" on:toggle=move |_| show_terms.set(true)>
                            <summary>{tx(l, "Read the terms and conditions of sale", "Baca syarat dan ketentuan penjualan")}</summary>
                            <Suspense fallback=move || view! { <p class="muted">{tx(locale.get(), "Loading…", "Memuat…")}</p> }>
                                {move || terms.get().flatten().map(|t| view! {
                                    <div class="terms-body" tabindex="0" role="region" aria-label=t.title.clone()>
                                        {t.body.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
                                    </div>
                                })}
                            </Suspense>
                        </details>
                        <div class="field checkbox">
                            <input type="checkbox" id="auto-renew-terms" disabled=move || !open
                                aria-invalid=move || terms_problem.get().map(|_| "true")
                                aria-describedby="auto-renew-terms-error"
                                prop:checked=move || accept.get()
                                on:change=move |e| accept.set(event_target_checked(&e))/>
                            <label for="auto-renew-terms">{format!("{} {}", tx(l, "I agree to the terms and conditions of sale for the order placed automatically on", "Saya menyetujui syarat dan ketentuan penjualan untuk pesanan yang dibuat otomatis pada"), l.date(due))}</label>
                            {move || terms_problem.get().map(|m| view! { <p class="field-error" id="auto-renew-terms-error">{crate::ui::sentence(&m)}</p> })}
                        </div>
                        <div class="actions">
                            <button type="button" id="auto-renew-on" disabled=move || busy.get() || !open
                                on:click=move |_| switch.run(true)>{tx(l, "Turn on automatic renewal", "Aktifkan perpanjangan otomatis")}</button>
                        </div>
                    }.into_any()
                }
            }}
            <p role="status" id="auto-renew-status">{move || match message.get() {
                Some(Ok(true)) => tx(locale.get(), "Automatic renewal is on.", "Perpanjangan otomatis aktif.").to_owned(),
                Some(Ok(false)) => tx(locale.get(), "Automatic renewal is off.", "Perpanjangan otomatis nonaktif.").to_owned(),
                Some(Err(e)) => e,
                None => String::new(),
            }}</p>
        </section>
    }
}

fn tab_button(
    index: usize,
    id: &'static str,
    panel: &'static str,
    label: &'static str,
    tab: RwSignal<usize>,
) -> impl IntoView {
    // WAI-ARIA tabs: only the selected tab is in the tab order; arrow keys, Home and End move between
    // tabs and select them.
    let on_key = move |e: ev::KeyboardEvent| {
        let next = match e.key().as_str() {
            "ArrowRight" | "ArrowLeft" => Some(1 - tab.get_untracked()),
            "Home" => Some(0),
            "End" => Some(1),
            _ => None,
        };
        if let Some(n) = next {
            e.prevent_default();
            tab.set(n);
            let target = if n == 0 { "tab-account" } else { "tab-rep" };
            if let Some(el) = document().get_element_by_id(target)
                && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
            {
                let _ = el.focus();
            }
        }
    };
    view! {
        <button type="button" role="tab" id=id aria-controls=panel
            aria-selected=move || if tab.get() == index { "true" } else { "false" }
            tabindex=move || if tab.get() == index { "0" } else { "-1" }
            on:click=move |_| tab.set(index)
            on:keydown=on_key>
            {label}
        </button>
    }
}

/// How to renew: online (the quote goes into the cart), through the Business Partner, or through the
/// renewal rep (with a note). A quote a Business Partner owns is not offered online: the partner or the
/// renewal rep.
#[component]
fn RenewChoice(quote: RenewalQuoteDetail, reload: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let navigate = use_navigate();
    let number = quote.summary.quote_number.clone();
    let site = quote.summary.customer_number.clone();
    let switch_site = crate::ui::site_switcher();
    let status = quote.summary.status;
    let orderable = matches!(
        status,
        QuoteStatus::Issued | QuoteStatus::Reissued | QuoteStatus::InCart
    );
    let has_partner = quote.business_partner.is_some();
    let choice = RwSignal::new(if has_partner { "partner" } else { "online" });
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<&'static str, ApiError>>);
    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(None);
        let number = number.clone();
        let site = site.clone();
        let switch_site = switch_site.clone();
        let navigate = navigate.clone();
        let c = choice.get_untracked();
        leptos::task::spawn_local(async move {
            let result = if c == "online" {
                match api::add_renewal_to_cart(&number).await {
                    Ok(_) => {
                        // The quote went into its site's cart: show that one.
                        switch_site(&site);
                        navigate("/cart", Default::default());
                        Ok("cart")
                    }
                    Err(e) => Err(e),
                }
            } else {
                let req = RenewalChannelRequest {
                    channel: if c == "partner" {
                        OfflineChannel::BusinessPartner
                    } else {
                        OfflineChannel::RenewalRep
                    },
                    note: note.get_untracked(),
                };
                api::choose_channel(&number, &req).await.map(|()| c)
            };
            busy.set(false);
            // Online, the page moves to the cart. Offline channels change nothing on this page, so it is
            // not reloaded: the answer stays under the button that was pressed.
            if result.is_ok() && c == "online" {
                reload.update(|n| *n += 1);
            }
            outcome.set(Some(result));
        });
    };
    move || {
        let l = locale.get();
        if !orderable {
            return view! {
                <div class="alert info" role="status" id="renew-state">
                    <p>{match status {
                        QuoteStatus::ChangeRequested => tx(l, "You changed this quote. Your renewal representative will re-issue it; you can check it out then.", "Anda mengubah penawaran ini. Perwakilan perpanjangan akan menerbitkannya kembali; setelah itu Anda dapat melakukan checkout."),
                        QuoteStatus::Ordered => tx(l, "This quote has been ordered.", "Penawaran ini sudah dipesan."),
                        _ => tx(l, "This quote can no longer be ordered. Ask your renewal representative for a new one.", "Penawaran ini tidak dapat dipesan lagi. Minta penawaran baru kepada perwakilan perpanjangan."),
                    }}</p>
                </div>
            }.into_any();
        }
        view! {
            <form class="stack renew-choice" on:submit=submit.clone() novalidate>
                <fieldset>
                    <legend>{tx(l, "How do you want to renew?", "Bagaimana Anda ingin memperpanjang?")}</legend>
                    {[("online", tx(l, "Renew online: put this quote in my cart", "Perpanjang online: masukkan penawaran ini ke keranjang")),
                      ("partner", tx(l, "Through my Business Partner", "Melalui Mitra Bisnis saya")),
                      ("rep", tx(l, "Through the renewal representative", "Melalui perwakilan perpanjangan"))]
                        .into_iter()
                        // A renewal a Business Partner owns is renewed through the partner, never online.
                        .filter(|(code, _)| if has_partner { *code != "online" } else { *code != "partner" })
                        .map(|(code, label)| view! {
                            <label class="choice">
                                <input type="radio" name="channel" value=code
                                    prop:checked=move || choice.get() == code
                                    on:change=move |_| choice.set(code)/>
                                {label}
                            </label>
                        }).collect_view()}
                </fieldset>
                {move || (choice.get() != "online").then(|| view! {
                    <label for="channel-note">{tx(l, "Note (optional)", "Catatan (opsional)")}</label>
                    <textarea id="channel-note" maxlength=entitle_core::validation::TextField::ChannelNote.max_len() rows="3"
                        prop:value=move || note.get()
                        on:input=move |e| note.set(event_target_value(&e))></textarea>
                })}
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                        {move || if choice.get() == "online" {
                            if busy.get() { t(l, Key::AddingToCart) } else { t(l, Key::AddToCart) }
                        } else {
                            tx(l, "Send my choice", "Kirim pilihan saya")
                        }}
                    </button>
                </div>
                <div aria-live="polite" id="renew-outcome">
                    {move || outcome.get().map(|r| match r {
                        Ok("cart") => view! { <p class="alert success">{t(l, Key::AddedToCart)}</p> }.into_any(),
                        Ok(_) => view! { <p class="alert success">{tx(l, "Thank you. We let them know; they will contact you.", "Terima kasih. Kami sudah memberi tahu mereka; mereka akan menghubungi Anda.")}</p> }.into_any(),
                        Err(e) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    })}
                </div>
            </form>
        }.into_any()
    }
}
