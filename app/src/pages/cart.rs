//! The cart (`/cart`): every line priced by the server with its explanation (level, proration,
//! discount, tax), totals and points; change a quantity or delete a line. Changing a renewal line sends
//! the quote back to the renewal rep: the page says so and checkout waits until the quote is re-issued.

use entitle_core::dto::{CartLineView, CartView};
use entitle_core::locale::Locale;
use entitle_core::validation::{Explain, FieldError, Quantity};
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::money::MoneyBlock;
use crate::drafts;
use crate::i18n::{Key, t, use_locale};
use crate::session::RequireSession;
use crate::ui::{Skeleton, current_site, error_text, explanation_text, tx};

/// The cart page, loaded the first time it opens.
pub struct CartRoute;

crate::pages::grouped_route!(cart, CartRoute, cart_route_view, cart_route_preload, {
    view! { <RequireSession><CartPage/></RequireSession> }.into_any()
});

#[component]
fn CartPage() -> impl IntoView {
    let locale = use_locale();
    let site = current_site();
    // The cart as the server last priced it; edits replace it with the server's answer.
    let cart = RwSignal::new(None::<Result<CartView, ApiError>>);
    Effect::new(move |_| {
        if let Some(s) = site.get() {
            let number = s.customer_number;
            leptos::task::spawn_local(async move {
                cart.set(Some(api::cart(&number).await));
            });
        }
    });
    view! {
        <section class="page">
            <h1>{move || tx(locale.get(), "Cart", "Keranjang")}</h1>
            {move || site.get().map(|s| view! {
                <p class="lead">{format!("{} · {} ({})", s.organisation, s.name, s.customer_number)}</p>
            })}
            <div aria-live="polite">
                {move || {
                    let l = locale.get();
                    match cart.get() {
                        None => view! { <Skeleton lines=6/> }.into_any(),
                        Some(Err(e)) => view! { <div class="alert error" role="alert"><p>{error_text(&e, l)}</p></div> }.into_any(),
                        Some(Ok(c)) if c.lines.is_empty() => view! {
                            <div class="empty" role="status">
                                <p>{tx(l, "Your cart is empty.", "Keranjang Anda kosong.")}</p>
                                <p><A href="/catalog">{t(l, Key::BackToCatalog)}</A> " · " <A href="/renewals">{t(l, Key::BackToRenewals)}</A></p>
                            </div>
                        }.into_any(),
                        Some(Ok(c)) => cart_view(l, c, cart).into_any(),
                    }
                }}
            </div>
        </section>
    }
}

fn cart_view(
    l: Locale,
    c: CartView,
    cart: RwSignal<Option<Result<CartView, ApiError>>>,
) -> impl IntoView {
    let blocked = !c.change_requested.is_empty();
    let expired = c.expired_quotes.clone();
    let with_sales_rep = c.quote_requests_changed.clone();
    let why_blocked = if blocked {
        "change-requested"
    } else if !with_sales_rep.is_empty() {
        "quote-with-sales-rep"
    } else {
        "expired-quotes"
    };
    // Lines of a quote (renewal or sales rep's) are neither saved nor sent for a new quote.
    let has_catalog_lines = c
        .lines
        .iter()
        .any(|l| l.renewal_quote.is_none() && l.quote_request.is_none());
    let can_check_out = c.can_check_out && !c.lines.is_empty();
    view! {
        {blocked.then(|| view! {
            <div class="alert warning" role="alert" id="change-requested">
                <h2>{tx(l, "Sent to your renewal representative", "Dikirim ke perwakilan perpanjangan Anda")}</h2>
                <p>
                    {tx(l, "You changed renewal quote ", "Anda mengubah penawaran perpanjangan ")}
                    <strong>{c.change_requested.join(", ")}</strong>
                    {tx(l, ". The change was sent to your renewal representative, who will re-issue the quote. It can't be checked out until then; we will e-mail you when it is ready.",
                        ". Perubahan telah dikirim ke perwakilan perpanjangan Anda, yang akan menerbitkan ulang penawaran. Penawaran ini tidak dapat dipesan sebelum itu; kami akan mengirim email saat siap.")}
                </p>
            </div>
        })}
        {(!with_sales_rep.is_empty()).then(|| view! {
            <div class="alert warning" role="alert" id="quote-with-sales-rep">
                <h2>{tx(l, "Sent back to your sales representative", "Dikirim kembali ke perwakilan penjualan Anda")}</h2>
                <p>
                    {tx(l, "You changed quote ", "Anda mengubah penawaran ")}
                    <strong>{with_sales_rep.join(", ")}</strong>
                    {tx(l, ". Its discount was given for the quantities quoted, so your sales representative prices it again. Its lines can be checked out once you accept the new quote under Quotes; we will e-mail you when it is ready.",
                        ". Diskonnya diberikan untuk jumlah yang ditawarkan, sehingga perwakilan penjualan Anda menghitung ulang harganya. Barisnya dapat dipesan setelah Anda menerima penawaran baru di Penawaran; kami akan mengirim email saat siap.")}
                </p>
            </div>
        })}
        {(!expired.is_empty()).then(|| view! {
            <div class="alert warning" role="alert" id="expired-quotes">
                <h2>{tx(l, "A quote in your cart has expired", "Penawaran di keranjang Anda sudah kedaluwarsa")}</h2>
                <p>
                    <strong>{expired.join(", ")}</strong>
                    {tx(l, " is past its validity date, so its prices no longer hold and it can't be checked out. Delete its lines, or ask your representative for a new quote.",
                        " sudah melewati tanggal berlakunya, sehingga harganya tidak berlaku lagi dan tidak dapat di-checkout. Hapus barisnya, atau minta penawaran baru kepada perwakilan Anda.")}
                </p>
            </div>
        })}
        <table class="data cart">
            <thead><tr>
                <th scope="col">{t(l, Key::PartNumber)}</th>
                <th scope="col">{t(l, Key::Description)}</th>
                <th scope="col" class="num">{t(l, Key::Quantity)}</th>
                <th scope="col" class="num">{t(l, Key::UnitPrice)}</th>
                <th scope="col" class="num">{t(l, Key::Amount)}</th>
                <th scope="col"><span class="visually-hidden">{tx(l, "Actions", "Tindakan")}</span></th>
            </tr></thead>
            <tbody>
                {c.lines.into_iter().map(|line| line_row(l, line, cart)).collect_view()}
            </tbody>
        </table>
        <MoneyBlock locale=l summary=c.summary.clone() total_id="cart-total"/>
        <p class="muted">{format!("{} {} · {} {}", tx(l, "Price level", "Tingkat harga"), c.level.code(), c.points, tx(l, "points in this order", "poin dalam pesanan ini"))}</p>
        <div class="actions">
            {if can_check_out {
                view! { <A href="/checkout" attr:class="button primary" attr:id="checkout">{tx(l, "Check out", "Lanjut ke pembayaran")}</A> }.into_any()
            } else {
                view! { <button type="button" class="primary" disabled=true aria-describedby=why_blocked>{tx(l, "Check out", "Lanjut ke pembayaran")}</button> }.into_any()
            }}
            <A href="/catalog">{tx(l, "Continue shopping", "Lanjut belanja")}</A>
        </div>
        {has_catalog_lines.then(|| view! { <CartTools site=c.site.clone() cart=cart/> })}
    }
}

/// Save the cart under a name, or send its catalog lines to the sales rep as a quote request.
#[component]
fn CartTools(site: String, cart: RwSignal<Option<Result<CartView, ApiError>>>) -> impl IntoView {
    let locale = use_locale();
    let navigate = leptos_router::hooks::use_navigate();
    let name = RwSignal::new(String::new());
    let note_key = format!("quote-request.{site}");
    // The note of a quote request is a draft until it is sent.
    let note = RwSignal::new(drafts::load(&note_key).unwrap_or_default());
    let message = RwSignal::new(None::<Result<String, String>>);
    let request_error = RwSignal::new(None::<String>);
    let (saving, requesting) = (RwSignal::new(false), RwSignal::new(false));
    {
        let key = note_key.clone();
        Effect::new(move |_| {
            let v = note.get();
            if v.is_empty() {
                drafts::clear(&key);
            } else {
                drafts::save(&key, &v);
            }
        });
    }
    let save_site = site.clone();
    let save = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let n = name.get_untracked();
        if n.trim().is_empty() {
            message.set(Some(Err(tx(
                l,
                "Give the cart a name",
                "Beri nama keranjang",
            )
            .to_owned())));
            return;
        }
        let site = save_site.clone();
        saving.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            message.set(Some(match api::save_cart(&site, &n).await {
                Ok(saved) => Ok(format!(
                    "{} “{}”",
                    tx(l, "Saved as", "Disimpan sebagai"),
                    saved.name
                )),
                Err(e) => Err(error_text(&e, l)),
            }));
            saving.set(false);
        });
    };
    let request = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let site = site.clone();
        let key = note_key.clone();
        let navigate = navigate.clone();
        requesting.set(true);
        request_error.set(None);
        leptos::task::spawn_local(async move {
            let sent = api::request_quote(&site, &note.get_untracked()).await;
            requesting.set(false);
            match sent {
                Ok(r) => {
                    drafts::clear(&key);
                    if let Ok(c) = api::cart(&site).await {
                        cart.set(Some(Ok(c)));
                    }
                    navigate(&format!("/quotes?sent={}", r.number), Default::default());
                }
                Err(e) => request_error.set(Some(error_text(&e, l))),
            }
        });
    };
    move || {
        let l = locale.get();
        view! {
            <div class="cart-tools">
                <form class="stack" id="save-cart" on:submit=save.clone() novalidate>
                    <h2>{tx(l, "Save this cart", "Simpan keranjang ini")}</h2>
                    <label for="cart-name">{tx(l, "Name", "Nama")}</label>
                    <input id="cart-name" type="text" maxlength=entitle_core::validation::TextField::CartName.max_len() prop:value=move || name.get()
                        on:input=move |e| name.set(event_target_value(&e))/>
                    <button type="submit" disabled=move || saving.get() aria-busy=move || saving.get().to_string()>{tx(l, "Save cart", "Simpan keranjang")}</button>
                    // The answer appears under the button that was pressed.
                    <div aria-live="polite" id="save-cart-status">
                        {move || message.get().map(|m| match m {
                            Ok(t) => view! { <p class="alert success">{t}" "<A href="/saved-carts">{tx(l, "See saved carts", "Lihat keranjang tersimpan")}</A></p> }.into_any(),
                            Err(t) => view! { <p class="alert error" role="alert">{t}</p> }.into_any(),
                        })}
                    </div>
                    <p><A href="/saved-carts">{tx(l, "Saved carts", "Keranjang tersimpan")}</A></p>
                </form>
                <form class="stack" id="request-quote" on:submit=request.clone() novalidate>
                    <h2>{tx(l, "Request a quote", "Minta penawaran")}</h2>
                    <p class="muted">{tx(l, "Your sales representative prices the catalog items of this cart and sends you a quote.", "Perwakilan penjualan Anda memberi harga untuk item katalog di keranjang ini dan mengirimkan penawaran.")}</p>
                    <label for="quote-note">{tx(l, "Note for the sales representative (optional)", "Catatan untuk perwakilan penjualan (opsional)")}</label>
                    <textarea id="quote-note" rows="3" maxlength=entitle_core::validation::TextField::QuoteRequestNote.max_len() prop:value=move || note.get()
                        on:input=move |e| note.set(event_target_value(&e))></textarea>
                    <button type="submit" disabled=move || requesting.get() aria-busy=move || requesting.get().to_string()>{tx(l, "Request quote", "Minta penawaran")}</button>
                    <div aria-live="polite" id="request-quote-status">
                        {move || requesting.get().then(|| view! { <p class="muted">{tx(l, "Sending your request…", "Mengirim permintaan Anda…")}</p> })}
                        {move || request_error.get().map(|t| view! { <p class="alert error" role="alert">{t}</p> })}
                    </div>
                </form>
            </div>
        }
    }
}

fn line_row(
    l: Locale,
    line: CartLineView,
    cart: RwSignal<Option<Result<CartView, ApiError>>>,
) -> impl IntoView {
    let id = line.id;
    let input_id = format!("qty-{id}");
    let error_id = format!("qty-{id}-error");
    // A quantity being typed survives a reload or a lost connection until it is saved.
    let draft_key = format!("cart.qty.{id}");
    let qty = RwSignal::new(drafts::load(&draft_key).unwrap_or_else(|| line.quantity.to_string()));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let renewal = line.renewal_quote.clone();
    let from_quote = line.quote_request.clone();
    let metric = line.metric;
    let send = move |change: Option<u32>| {
        busy.set(true);
        error.set(None);
        let key = draft_key.clone();
        leptos::task::spawn_local(async move {
            let result = match change {
                Some(q) => api::update_cart_line(id, q).await,
                None => api::delete_cart_line(id).await,
            };
            busy.set(false);
            match result {
                Ok(view) => {
                    drafts::clear(&key);
                    cart.set(Some(Ok(view)));
                }
                Err(e) => {
                    let msg = e
                        .fields()
                        .into_iter()
                        .next()
                        .map_or_else(|| error_text(&e, l), |(_, _, m)| m);
                    error.set(Some(msg));
                }
            }
        });
    };
    let save = {
        let send = send.clone();
        move |e: ev::SubmitEvent| {
            e.prevent_default();
            let typed = qty.get_untracked();
            // The part's metric bounds the quantity, as on the server (entitle-core).
            let checked = match metric {
                Some(m) => Quantity::parse(&typed, m).map(|q| q.get()),
                None => typed.trim().parse::<u32>().ok().filter(|q| *q >= 1).ok_or(
                    FieldError::Quantity {
                        min: 1,
                        max: u32::MAX,
                    },
                ),
            };
            match checked {
                Ok(q) => send(Some(q)),
                Err(e) => error.set(Some(e.message(l))),
            }
        }
    };
    let part = line.part_number.to_string();
    let label = format!("{} {}", t(l, Key::Quantity), part);
    let delete_label = format!("{} {}", tx(l, "Delete", "Hapus"), part);
    view! {
        <tr>
            <td class="part-number">{part.clone()}</td>
            <td>
                {line.description.clone()}
                {renewal.map(|q| view! { <div class="muted">{format!("{} {q}", tx(l, "Renewal quote", "Penawaran perpanjangan"))}</div> })}
                {from_quote.map(|q| view! {
                    <div class="muted">{format!("{} {q}", tx(l, "From quote", "Dari penawaran"))}</div>
                    <div class="muted">{tx(l,
                        "Priced by your sales representative: changing the quantity sends the quote back to them; deleting the line takes the whole quote out of the cart.",
                        "Harga dari perwakilan penjualan Anda: mengubah jumlah mengirim penawaran kembali kepada mereka; menghapus baris mengeluarkan seluruh penawaran dari keranjang.")}</div>
                })}
                {line.coverage_start.zip(line.coverage_end).map(|(a, b)| view! {
                    <div class="muted">{format!("{} {} – {}", t(l, Key::Coverage), l.date(a), l.date(b))}</div>
                })}
                <ul class="explain">
                    {line.explanations.iter().map(|e| view! { <li>{explanation_text(l, e)}</li> }).collect_view()}
                </ul>
            </td>
            <td class="num" data-label=t(l, Key::Quantity)>
                <form class="qty" on:submit=save>
                    <label class="visually-hidden" for=input_id.clone()>{label}</label>
                    <input id=input_id type="number" min="1" inputmode="numeric" size="5"
                        prop:value=move || qty.get()
                        aria-invalid=move || error.get().is_some().then_some("true")
                        aria-describedby=error_id.clone()
                        on:input={
                            let key = format!("cart.qty.{id}");
                            move |e| {
                                let v = event_target_value(&e);
                                drafts::save(&key, &v);
                                qty.set(v);
                            }
                        }/>
                    <button type="submit" class="small" disabled=move || busy.get()>{tx(l, "Update", "Perbarui")}</button>
                    <p class="field-error" id=format!("qty-{id}-error") role="alert">{move || error.get()}</p>
                </form>
            </td>
            <td class="num" data-label=t(l, Key::UnitPrice)>{l.money(&line.unit_price)}</td>
            <td class="num" data-label=t(l, Key::Amount) data-line-amount=line.extended.amount().to_string()>{l.money(&line.extended)}</td>
            <td>
                <button type="button" class="link" aria-label=delete_label disabled=move || busy.get()
                    on:click=move |_| send(None)>
                    {tx(l, "Delete", "Hapus")}
                </button>
            </td>
        </tr>
    }
}
