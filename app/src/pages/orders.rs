//! Orders: the last 30 days with their status and a look-up by reference number (`/orders`), and one
//! order (`/orders/:reference`), which is also the checkout's confirmation page — reference number,
//! payment with the card masked, the items, a Print button (print stylesheet) and the PDF receipt.

use entitle_core::dto::OrderView;
use entitle_core::locale::Locale;
use entitle_core::order::{OrderReference, OrderStatus, PaymentMethod};
use entitle_core::validation::Explain;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api;
use crate::components::money::MoneyBlock;
use crate::i18n::{Key, t, use_locale};
use crate::session::RequireSession;
use crate::ui::{Skeleton, error_text, tx};

/// The orders page, loaded the first time it opens.
pub struct OrdersRoute;

crate::pages::grouped_route!(buy, OrdersRoute, orders_route_view, orders_route_preload, {
    view! { <RequireSession><OrdersPage/></RequireSession> }.into_any()
});

/// One order (and the checkout's confirmation), loaded the first time it opens.
pub struct OrderRoute;

crate::pages::grouped_route!(buy, OrderRoute, order_route_view, order_route_preload, {
    view! { <RequireSession><OrderPage/></RequireSession> }.into_any()
});

/// The order status in the reader's language.
pub(crate) fn status_label(l: Locale, s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Received => tx(l, "Received", "Diterima"),
        OrderStatus::Processing => tx(l, "Processing", "Diproses"),
        OrderStatus::Completed => tx(l, "Completed", "Selesai"),
        OrderStatus::Cancelled => tx(l, "Cancelled", "Dibatalkan"),
    }
}

fn placed_on(l: Locale, unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| l.date(t.date()))
        .unwrap_or_default()
}

#[component]
fn OrdersPage() -> impl IntoView {
    let locale = use_locale();
    let orders = LocalResource::new(api::recent_orders);
    view! {
        <section class="page">
            <h1>{move || tx(locale.get(), "Orders", "Pesanan")}</h1>
            <LookUp/>
            <h2>{move || tx(locale.get(), "Last 30 days", "30 hari terakhir")}</h2>
            <div aria-live="polite">
                {move || {
                    let l = locale.get();
                    match orders.get() {
                        None => view! { <Skeleton lines=4/> }.into_any(),
                        Some(Err(e)) => view! { <div class="alert error" role="alert"><p>{error_text(&e, l)}</p></div> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! {
                            <p class="empty" role="status">{tx(l, "No orders in the last 30 days.", "Tidak ada pesanan dalam 30 hari terakhir.")}</p>
                        }.into_any(),
                        Some(Ok(list)) => view! {
                            <table class="data" id="recent-orders">
                                <thead><tr>
                                    <th scope="col">{tx(l, "Order reference", "Nomor referensi pesanan")}</th>
                                    <th scope="col">{tx(l, "Placed", "Dipesan")}</th>
                                    <th scope="col">{t(l, Key::Site)}</th>
                                    <th scope="col">{t(l, Key::Status)}</th>
                                    <th scope="col" class="num">{t(l, Key::Total)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|o| view! {
                                        <tr>
                                            <td><A href=format!("/orders/{}", o.reference)>{o.reference.to_string()}</A></td>
                                            <td data-label=tx(l, "Placed", "Dipesan")>{placed_on(l, o.placed_at)}</td>
                                            <td data-label=t(l, Key::Site)>{format!("{} ({})", o.site_name, o.site)}</td>
                                            <td data-label=t(l, Key::Status)><span class="badge">{status_label(l, o.status)}</span></td>
                                            <td class="num" data-label=t(l, Key::Total)>{l.money(&o.total)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                }}
            </div>
        </section>
    }
}

/// Look-up by reference number: checked with `entitle-core` (format and check digit) before asking.
#[component]
fn LookUp() -> impl IntoView {
    let locale = use_locale();
    let navigate = use_navigate();
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        match OrderReference::parse(&value.get_untracked()) {
            Ok(r) => {
                error.set(None);
                navigate(&format!("/orders/{r}"), Default::default());
            }
            Err(err) => error.set(Some(err.message(locale.get_untracked()))),
        }
    };
    view! {
        <form class="lookup" role="search" novalidate on:submit=submit>
            <label for="order-reference">{move || tx(locale.get(), "Find an order by its reference number", "Cari pesanan dengan nomor referensinya")}</label>
            <div class="inline">
                <input id="order-reference" type="text" autocomplete="off" placeholder="EN-12345-67890"
                    aria-describedby="order-reference-error"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    prop:value=move || value.get()
                    on:input=move |e| value.set(event_target_value(&e))/>
                <button type="submit">{move || tx(locale.get(), "Find", "Cari")}</button>
            </div>
            <p class="field-error" id="order-reference-error" role="alert">{move || error.get()}</p>
        </form>
    }
}

#[component]
fn OrderPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let placed = move || query.read().get("placed").is_some();
    let order = LocalResource::new(move || {
        let r = reference();
        async move { api::order(&r).await }
    });
    view! {
        <section class="page order">
            {move || {
                let l = locale.get();
                match order.get() {
                    None => view! { <h1>{tx(l, "Order", "Pesanan")}</h1><Skeleton lines=8/> }.into_any(),
                    Some(Err(e)) => {
                        let msg = if e.status() == Some(404) {
                            tx(l, "There is no order with this reference number on your sites.", "Tidak ada pesanan dengan nomor referensi ini di situs Anda.").to_owned()
                        } else {
                            error_text(&e, l)
                        };
                        view! {
                            <h1>{tx(l, "Order", "Pesanan")}</h1>
                            <div class="alert error" role="alert" id="order-error"><p>{msg}</p></div>
                            <p><A href="/orders">{tx(l, "Back to orders", "Kembali ke pesanan")}</A></p>
                        }.into_any()
                    }
                    Some(Ok(o)) => order_view(l, o, placed()).into_any(),
                }
            }}
        </section>
    }
}

fn payment_text(l: Locale, o: &OrderView) -> String {
    match o.payment.method {
        PaymentMethod::Card => match (&o.payment.card, &o.payment.card_expiry) {
            (Some(c), Some(exp)) => format!("{c} · {} {exp}", tx(l, "expires", "berlaku s.d.")),
            (Some(c), None) => c.to_string(),
            _ => tx(l, "Credit card", "Kartu kredit").to_owned(),
        },
        PaymentMethod::PurchaseOrder => format!(
            "{} {}",
            tx(l, "Purchase order", "Pesanan pembelian (PO)"),
            o.payment.po_number.clone().unwrap_or_default()
        ),
        PaymentMethod::BankTransfer => tx(l, "Bank transfer", "Transfer bank").to_owned(),
    }
}

fn order_view(l: Locale, o: OrderView, placed: bool) -> impl IntoView {
    let reference = o.reference.to_string();
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let bill = &o.billing.address;
    let billing_lines = [
        bill.name.clone(),
        bill.line1.clone(),
        bill.line2.clone(),
        format!("{} {}", bill.postal_code, bill.city),
        bill.region.clone(),
        bill.country.name(l).to_owned(),
    ];
    view! {
        {placed.then(|| crate::pages::checkout::confirmation_steps(l))}
        <h1>{if placed { tx(l, "Thank you for your order", "Terima kasih atas pesanan Anda") } else { tx(l, "Order", "Pesanan") }}</h1>
        <div class=if placed { "alert success" } else { "summary" } role=placed.then_some("status")>
            <p>
                {tx(l, "Order reference number: ", "Nomor referensi pesanan: ")}
                <strong id="order-reference-number">{reference.clone()}</strong>
            </p>
            {placed.then(|| view! { <p>{tx(l, "A confirmation was sent by e-mail. Keep the reference number for any question about this order.", "Konfirmasi telah dikirim melalui email. Simpan nomor referensi untuk pertanyaan tentang pesanan ini.")}</p> })}
        </div>
        <dl class="facts">
            <dt>{t(l, Key::Status)}</dt><dd id="order-status">{status_label(l, o.status)}</dd>
            {o.cancel_reason.clone().map(|r| view! { <dt>{tx(l, "Reason", "Alasan")}</dt><dd id="cancel-reason">{r}</dd> })}
            {o.auto_renewed.then(|| view! { <dt>{tx(l, "Placed by", "Dibuat oleh")}</dt><dd>{tx(l, "Automatic renewal", "Perpanjangan otomatis")}</dd> })}
            <dt>{tx(l, "Placed", "Dipesan")}</dt><dd>{placed_on(l, o.placed_at)}</dd>
            <dt>{t(l, Key::Site)}</dt><dd>{format!("{} ({})", o.site_name, o.site)}</dd>
            {o.renewal_quote.clone().map(|q| view! { <dt>{t(l, Key::QuoteNumber)}</dt><dd>{q}</dd> })}
            <dt>{tx(l, "Payment", "Pembayaran")}</dt><dd id="order-payment">{payment_text(l, &o)}</dd>
            {o.payment.refunded.then(|| view! { <dt>{tx(l, "Refund", "Pengembalian dana")}</dt><dd id="order-refund">{tx(l, "The card payment was refunded.", "Pembayaran kartu telah dikembalikan.")}</dd> })}
            {o.payment.refund_pending.then(|| view! { <dt>{tx(l, "Refund", "Pengembalian dana")}</dt><dd id="order-refund">{tx(l, "The card payment is being refunded to your card.", "Pembayaran kartu sedang dikembalikan ke kartu Anda.")}</dd> })}
            {o.payment.bank_instructions.clone().map(|b| view! { <dt>{tx(l, "Bank details", "Rincian bank")}</dt><dd>{b}</dd> })}
        </dl>
        {(o.payment.method == PaymentMethod::PurchaseOrder).then(|| view! {
            <PoDocument reference=reference.clone() uploaded=o.payment.po_document.clone()/>
        })}
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
                {o.lines.iter().map(|line| view! {
                    <tr>
                        <td class="part-number">{line.part_number.to_string()}</td>
                        <td>{line.description.clone()}</td>
                        <td class="num" data-label=t(l, Key::Quantity)>{line.quantity}</td>
                        <td data-label=t(l, Key::Coverage)><span>{line.coverage_start.zip(line.coverage_end).map(|(a, b)| format!("{} – {}", l.date(a), l.date(b)))}</span></td>
                        <td class="num" data-label=t(l, Key::UnitPrice)>{l.money(&line.unit_price)}</td>
                        <td class="num" data-label=t(l, Key::Amount) data-line-amount=line.extended.amount().to_string()>{l.money(&line.extended)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <MoneyBlock locale=l summary=o.summary.clone() total_id="order-total"/>
        <h2>{tx(l, "Billing", "Penagihan")}</h2>
        <address>
            {billing_lines.into_iter().filter(|s| !s.trim().is_empty()).map(|s| view! { <span>{s}</span><br/> }).collect_view()}
        </address>
        <p>{format!("{} · {}", o.billing.contact_name, o.billing.email)}</p>
        <div class="actions">
            <button type="button" class="primary" on:click=print>{tx(l, "Print", "Cetak")}</button>
            {documents(l, &o)}
            <A href="/orders">{tx(l, "All orders", "Semua pesanan")}</A>
        </div>
    }
}

/// The order's PDFs: the receipt always; the invoice and the proof of entitlement once it is completed.
/// The desk shows the same links.
pub fn documents(l: Locale, o: &OrderView) -> impl IntoView + use<> {
    let reference = o.reference.to_string();
    let completed = o.status == OrderStatus::Completed;
    let receipt = api::document_url(&reference, "receipt", l);
    let invoice = api::document_url(&reference, "invoice", l);
    let entitlement = api::document_url(&reference, "entitlement", l);
    view! {
        <a class="button" href=receipt download>{tx(l, "Download PDF receipt", "Unduh tanda terima PDF")}</a>
        {completed.then(|| view! {
            <a class="button" href=invoice download>{tx(l, "Download invoice (PDF)", "Unduh faktur (PDF)")}</a>
            <a class="button" href=entitlement download>{tx(l, "Download proof of entitlement (PDF)", "Unduh bukti hak penggunaan (PDF)")}</a>
        })}
    }
}

/// The purchase-order document of a PO order: attach it once (PDF, up to 5 MB), then download it.
#[component]
fn PoDocument(reference: String, uploaded: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let name = RwSignal::new(uploaded);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let href = api::po_document_url(&reference);
    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        let l = locale.get_untracked();
        let Some(file) = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            error.set(Some(
                tx(
                    l,
                    "Choose the PDF of your purchase order",
                    "Pilih PDF purchase order Anda",
                )
                .to_owned(),
            ));
            return;
        };
        if file.size() > 5.0 * 1024.0 * 1024.0 {
            error.set(Some(
                tx(
                    l,
                    "The file is larger than 5 MB",
                    "Berkas lebih besar dari 5 MB",
                )
                .to_owned(),
            ));
            return;
        }
        error.set(None);
        busy.set(true);
        let reference = reference.clone();
        leptos::task::spawn_local(async move {
            match api::upload_po_document(&reference, &file).await {
                Ok(()) => name.set(Some(file.name())),
                Err(e) => error.set(Some(error_text(&e, l))),
            }
            busy.set(false);
        });
    };
    move || {
        let l = locale.get();
        match name.get() {
            Some(n) => view! {
                <p id="po-document">{tx(l, "Purchase-order document: ", "Dokumen purchase order: ")}<a href=href.clone() download=n.clone()>{n.clone()}</a></p>
            }.into_any(),
            None => view! {
                <form class="stack po-upload" novalidate on:submit=submit.clone()>
                    <label for="po-file">{tx(l, "Attach your purchase-order document (PDF, up to 5 MB)", "Lampirkan dokumen purchase order (PDF, maks. 5 MB)")}</label>
                    <input id="po-file" type="file" accept="application/pdf" node_ref=input aria-describedby="po-file-error"/>
                    <p class="field-error" id="po-file-error" role="alert">{move || error.get()}</p>
                    <button type="submit" disabled=move || busy.get()>{tx(l, "Attach", "Lampirkan")}</button>
                </form>
            }.into_any(),
        }
    }
}
