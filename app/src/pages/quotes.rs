//! Quotes (`/quotes`): the customer's quote requests and where each stands — submitted, quoted (with
//! the discount and how long it is valid), accepted, declined or expired — and saved carts
//! (`/saved-carts`): reopen into the cart, or delete.

use entitle_core::dto::{QuoteRequestStatus, QuoteRequestView, SavedCartView};
use entitle_core::locale::Locale;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::money::MoneyBlock;
use crate::i18n::{Key, t, use_locale};
use crate::session::RequireSession;
use crate::ui::{Skeleton, current_site, error_text, tx};

/// The quotes page, loaded the first time it opens.
pub struct QuotesRoute;

crate::pages::grouped_route!(
    cart,
    QuotesRoute,
    quotes_route_view,
    quotes_route_preload,
    { view! { <RequireSession><QuotesPage/></RequireSession> }.into_any() }
);

/// The saved-carts page, loaded the first time it opens.
pub struct SavedCartsRoute;

crate::pages::grouped_route!(
    cart,
    SavedCartsRoute,
    saved_carts_route_view,
    saved_carts_route_preload,
    { view! { <RequireSession><SavedCartsPage/></RequireSession> }.into_any() }
);

/// Where a quote request stands, in the reader's language.
pub(crate) fn status_label(l: Locale, s: QuoteRequestStatus) -> &'static str {
    match s {
        QuoteRequestStatus::Submitted => tx(
            l,
            "Waiting for the sales representative",
            "Menunggu perwakilan penjualan",
        ),
        QuoteRequestStatus::Quoted => tx(l, "Quoted", "Sudah diberi harga"),
        QuoteRequestStatus::Accepted => tx(l, "Accepted", "Diterima"),
        QuoteRequestStatus::Declined => tx(l, "Declined", "Ditolak"),
        QuoteRequestStatus::Expired => tx(l, "Expired", "Kedaluwarsa"),
    }
}

#[component]
fn QuotesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let sent = move || query.read().get("sent");
    let list = LocalResource::new(api::quote_requests);
    view! {
        <section class="page">
            <h1>{move || tx(locale.get(), "Quotes", "Penawaran")}</h1>
            {move || sent().map(|n| view! {
                <p class="alert success" role="status" id="quote-sent">
                    {format!("{} {n}. {}", tx(locale.get(), "Quote request sent:", "Permintaan penawaran terkirim:"),
                        tx(locale.get(), "Your sales representative will price it and e-mail you.", "Perwakilan penjualan akan memberi harga dan mengirim email kepada Anda."))}
                </p>
            })}
            <p class="muted">{move || tx(locale.get(), "To ask for a quote, put the parts in your cart and choose “Request a quote”.", "Untuk meminta penawaran, masukkan produk ke keranjang lalu pilih “Minta penawaran”.")}</p>
            <div aria-live="polite">
                {move || {
                    let l = locale.get();
                    match list.get() {
                        None => view! { <Skeleton lines=4/> }.into_any(),
                        Some(Err(e)) => view! { <div class="alert error" role="alert"><p>{error_text(&e, l)}</p></div> }.into_any(),
                        Some(Ok(v)) if v.is_empty() => view! { <p class="empty">{tx(l, "No quote requests yet.", "Belum ada permintaan penawaran.")}</p> }.into_any(),
                        Some(Ok(v)) => requests_table(l, v).into_any(),
                    }
                }}
            </div>
        </section>
    }
}

fn requests_table(l: Locale, rows: Vec<QuoteRequestView>) -> impl IntoView {
    view! {
        <div id="quote-requests" class="stack">
            {rows.into_iter().map(|r| view! { <QuoteRequestCard l=l r=r/> }).collect_view()}
        </div>
    }
}

/// One request: its lines priced at the site's level with the rep's discount, and — once quoted and
/// still valid — "Accept into cart" and "Decline".
#[component]
fn QuoteRequestCard(l: Locale, r: QuoteRequestView) -> impl IntoView {
    let navigate = use_navigate();
    let status = RwSignal::new(r.status);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let heading = format!("qr-{}-title", r.number);
    let accept = {
        let number = r.number.clone();
        move |_| {
            let number = number.clone();
            let navigate = navigate.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match api::accept_quote_request(&number).await {
                    Ok(_) => navigate("/cart", Default::default()),
                    Err(e) => {
                        if e.code() == Some(entitle_core::dto::ErrorCode::QuoteExpired) {
                            status.set(QuoteRequestStatus::Expired);
                        }
                        error.set(Some(error_text(&e, l)));
                        busy.set(false);
                    }
                }
            });
        }
    };
    let decline = {
        let number = r.number.clone();
        move |_| {
            let number = number.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match api::decline_quote_request(&number).await {
                    Ok(v) => status.set(v.status),
                    Err(e) => error.set(Some(error_text(&e, l))),
                }
                busy.set(false);
            });
        }
    };
    let money =
        move |m: Option<entitle_core::money::Money>| m.map(|m| l.money(&m)).unwrap_or_default();
    let number = r.number.clone();
    let labelled_by = heading.clone();
    view! {
        <article class="quote-request" id=r.number.clone() aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{} · {} ({})", r.number, r.site_name, r.site)}</h2>
            <p>
                <span class="badge">{move || status_label(l, status.get())}</span>
                {r.valid_until.map(|d| format!(" · {} {}", t(l, Key::ValidUntil), l.date(d)))}
                {r.discount_percent.map(|d| format!(" · {} {}%", tx(l, "Discount", "Diskon"), l.number(d, 2)))}
            </p>
            {(!r.note.is_empty()).then(|| view! { <p class="muted">{format!("{} {}", tx(l, "Your note:", "Catatan Anda:"), r.note)}</p> })}
            {r.rep_note.clone().filter(|n| !n.is_empty()).map(|n| view! {
                <p class="rep-note">{format!("{} {n}", tx(l, "From your sales representative:", "Dari perwakilan penjualan Anda:"))}</p>
            })}
            <table class="data">
                <thead><tr>
                    <th scope="col">{t(l, Key::PartNumber)}</th>
                    <th scope="col">{t(l, Key::Description)}</th>
                    <th scope="col" class="num">{t(l, Key::Quantity)}</th>
                    <th scope="col" class="num">{t(l, Key::UnitPrice)}</th>
                    <th scope="col" class="num">{t(l, Key::Amount)}</th>
                    <th scope="col" class="num">{tx(l, "Discount", "Diskon")}</th>
                </tr></thead>
                <tbody>
                    {r.lines.iter().map(|x| view! {
                        <tr>
                            <td class="part-number">{x.part_number.to_string()}</td>
                            <td>{x.description.clone()}{x.months.map(|m| format!(" · {m} {}", tx(l, "months", "bulan")))}</td>
                            <td class="num" data-label=t(l, Key::Quantity)>{x.quantity}</td>
                            <td class="num" data-label=t(l, Key::UnitPrice)>{money(x.unit_price)}</td>
                            <td class="num" data-label=t(l, Key::Amount) data-line-amount=x.extended.map(|m| m.amount().to_string())>{money(x.extended)}</td>
                            <td class="num" data-label=tx(l, "Discount", "Diskon")>{x.discount.filter(|d| !d.amount().is_zero()).map(|d| format!("−{}", l.money(&d)))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {r.money.clone().map(|s| view! { <MoneyBlock locale=l summary=s total_id=format!("quote-request-total-{}", r.number)/> })}
            <p class="field-error" role="alert">{move || error.get()}</p>
            {move || (status.get() == QuoteRequestStatus::Quoted).then(|| view! {
                <div class="actions">
                    <button type="button" class="primary" disabled=move || busy.get() on:click=accept.clone()
                        aria-label=format!("{} {}", tx(l, "Accept into cart", "Terima ke keranjang"), number)>
                        {tx(l, "Accept into cart", "Terima ke keranjang")}
                    </button>
                    <button type="button" disabled=move || busy.get() on:click=decline.clone()
                        aria-label=format!("{} {}", tx(l, "Decline", "Tolak"), number)>
                        {tx(l, "Decline", "Tolak")}
                    </button>
                </div>
            })}
        </article>
    }
}

#[component]
fn SavedCartsPage() -> impl IntoView {
    let locale = use_locale();
    let site = current_site();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        let s = site.get().map(|s| s.customer_number);
        async move {
            match s {
                Some(s) => api::saved_carts(&s).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let navigate = use_navigate();
    let message = RwSignal::new(None::<String>);
    let open = move |id: i64| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::open_saved_cart(id).await {
                Ok(_) => navigate("/cart", Default::default()),
                Err(e) => message.set(Some(error_text(&e, locale.get_untracked()))),
            }
        });
    };
    let deleted = RwSignal::new(None::<String>);
    let remove = move |id: i64, name: String| {
        leptos::task::spawn_local(async move {
            match api::delete_saved_cart(id).await {
                Ok(()) => {
                    let l = locale.get_untracked();
                    deleted.set(Some(format!("{} “{name}”.", tx(l, "Deleted", "Dihapus"))));
                    reload.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(error_text(&e, locale.get_untracked()))),
            }
        });
    };
    view! {
        <section class="page">
            <h1>{move || tx(locale.get(), "Saved carts", "Keranjang tersimpan")}</h1>
            <p role="alert" class="field-error">{move || message.get()}</p>
            <div aria-live="polite" id="saved-cart-outcome">
                {move || deleted.get().map(|m| view! { <p class="alert success">{m}</p> })}
            </div>
            {move || {
                let l = locale.get();
                let open = open.clone();
                match list.get() {
                    None | Some(Ok(None)) => view! { <Skeleton lines=3/> }.into_any(),
                    Some(Err(e)) => view! { <div class="alert error" role="alert"><p>{error_text(&e, l)}</p></div> }.into_any(),
                    Some(Ok(Some(v))) if v.is_empty() => view! {
                        <p class="empty">{tx(l, "No saved carts. Save one from the cart.", "Belum ada keranjang tersimpan. Simpan dari keranjang.")} " " <A href="/cart">{tx(l, "Cart", "Keranjang")}</A></p>
                    }.into_any(),
                    Some(Ok(Some(v))) => saved_table(l, v, open, remove).into_any(),
                }
            }}
        </section>
    }
}

fn saved_table(
    l: Locale,
    rows: Vec<SavedCartView>,
    open: impl Fn(i64) + Clone + 'static,
    remove: impl Fn(i64, String) + Copy + 'static,
) -> impl IntoView {
    view! {
        <table class="data" id="saved-carts">
            <thead><tr>
                <th scope="col">{tx(l, "Name", "Nama")}</th>
                <th scope="col" class="num">{tx(l, "Lines", "Baris")}</th>
                <th scope="col">{tx(l, "Saved", "Disimpan")}</th>
                <th scope="col"><span class="visually-hidden">{tx(l, "Actions", "Tindakan")}</span></th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|c| {
                    let open = open.clone();
                    let id = c.id;
                    let name = c.name.clone();
                    let saved = time::OffsetDateTime::from_unix_timestamp(c.saved_at).map(|t| l.date(t.date())).unwrap_or_default();
                    view! {
                        <tr>
                            <td>{c.name.clone()}</td>
                            <td class="num" data-label=tx(l, "Lines", "Baris")>{c.lines}</td>
                            <td data-label=tx(l, "Saved", "Disimpan")>{saved}</td>
                            <td class="row-actions">
                                <button type="button" aria-label=format!("{} {}", tx(l, "Open", "Buka"), c.name) on:click=move |_| open(id)>{tx(l, "Open", "Buka")}</button>
                                <button type="button" class="link" aria-label=format!("{} {}", tx(l, "Delete", "Hapus"), c.name) on:click=move |_| remove(id, name.clone())>{tx(l, "Delete", "Hapus")}</button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
