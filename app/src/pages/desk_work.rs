//! The desk's other queues (staff only): quote requests to price (`/desk/quote-requests`, sales reps),
//! orders to fulfil (`/desk/orders`) and the audit log (`/desk/audit`, admins). The quote form checks
//! the rep's terms with `entitle-core` as they are typed, the same rules the server applies.

use entitle_core::dto::{
    AuditEntry, ChangeOrderStatus, OrderView, QuoteRequestStatus, QuoteRequestView, SendQuote,
};
use entitle_core::locale::Locale;
use entitle_core::order::OrderStatus;
use entitle_core::quote::QuoteTerms;
use entitle_core::validation::Explain;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::{LazyRoute, lazy_route};

use crate::api;
use crate::clock::today;
use crate::i18n::{Key, t, use_locale};
use crate::pages::desk::StaffOnly;
use crate::session::RequireSession;
use crate::ui::{Skeleton, error_text, tx};

/// `/desk/quote-requests`, loaded the first time it opens.
pub struct DeskQuoteRequestsRoute;

#[lazy_route]
impl LazyRoute for DeskQuoteRequestsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RequireSession><StaffOnly><QuoteRequests/></StaffOnly></RequireSession> }
            .into_any()
    }
}

/// `/desk/orders`, loaded the first time it opens.
pub struct DeskOrdersRoute;

#[lazy_route]
impl LazyRoute for DeskOrdersRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RequireSession><StaffOnly><Orders/></StaffOnly></RequireSession> }.into_any()
    }
}

/// `/desk/audit`, loaded the first time it opens.
pub struct AuditRoute;

#[lazy_route]
impl LazyRoute for AuditRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RequireSession><StaffOnly><Audit/></StaffOnly></RequireSession> }.into_any()
    }
}

fn breadcrumb(l: Locale) -> impl IntoView {
    view! { <p class="breadcrumb"><A href="/desk">{tx(l, "Desk", "Meja kerja")}</A></p> }
}

#[component]
fn QuoteRequests() -> impl IntoView {
    let locale = use_locale();
    let queue = LocalResource::new(api::desk_quote_requests);
    view! {
        <section class="page desk">
            {move || breadcrumb(locale.get())}
            <h1>{move || tx(locale.get(), "Quote requests", "Permintaan penawaran")}</h1>
            {move || {
                let l = locale.get();
                match queue.get() {
                    None => view! { <Skeleton lines=4/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    Some(Ok(v)) if v.is_empty() => view! { <p class="empty">{tx(l, "No quote requests.", "Tidak ada permintaan penawaran.")}</p> }.into_any(),
                    Some(Ok(v)) => v.into_iter().map(|r| view! { <PriceRequest l=l r=r/> }).collect_view().into_any(),
                }
            }}
        </section>
    }
}

/// One request with its lines at the customer's level and, while it is open, the quote form.
#[component]
fn PriceRequest(l: Locale, r: QuoteRequestView) -> impl IntoView {
    let number = r.number.clone();
    let current = RwSignal::new(r.clone());
    let percent = RwSignal::new(
        r.discount_percent
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let until = RwSignal::new(entitle_core::dates::format(
        r.valid_until
            .filter(|d| *d >= today())
            .unwrap_or_else(|| today() + time::Duration::days(30)),
    ));
    let note = RwSignal::new(r.rep_note.clone().unwrap_or_default());
    let touched = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    // Live, from entitle-core, once the rep has tried to send or left a field.
    let problems = Memo::new(move |_| {
        if !touched.get() {
            return Vec::new();
        }
        QuoteTerms::parse(&percent.get(), &until.get(), today())
            .err()
            .unwrap_or_default()
    });
    let message = move |field: &'static str| {
        problems
            .get()
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e.message(l))
    };
    let id = |f: &str| format!("{f}-{}", r.number);
    let (pid, uid, nid) = (id("discount"), id("valid-until"), id("rep-note"));
    let submit = {
        let number = number.clone();
        move |e: ev::SubmitEvent| {
            e.prevent_default();
            touched.set(true);
            let Ok(terms) =
                QuoteTerms::parse(&percent.get_untracked(), &until.get_untracked(), today())
            else {
                return;
            };
            let req = SendQuote {
                discount_percent: terms.discount_percent(),
                valid_until: Some(terms.valid_until()),
                note: note.get_untracked(),
            };
            let number = number.clone();
            busy.set(true);
            server_error.set(None);
            leptos::task::spawn_local(async move {
                match api::send_quote(&number, &req).await {
                    Ok(v) => {
                        current.set(v);
                        sent.set(true);
                    }
                    Err(e) => server_error.set(Some(crate::ui::first_message(&e, l))),
                }
                busy.set(false);
            });
        }
    };
    let heading = format!("qr-{number}");
    let labelled_by = heading.clone();
    let (pid2, uid2, nid2) = (pid.clone(), uid.clone(), nid.clone());
    let (perr, uerr) = (format!("{pid}-error"), format!("{uid}-error"));
    let (perr2, uerr2) = (perr.clone(), uerr.clone());
    view! {
        <article class="change-request" aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{} · {} ({}) · {}", r.number, r.site_name, r.site, r.requested_by)}</h2>
            <p>
                <span class="badge">{move || crate::pages::quotes::status_label(l, current.get().status)}</span>
                {(!r.note.is_empty()).then(|| format!(" · “{}”", r.note))}
            </p>
            <table class="data">
                <thead><tr>
                    <th scope="col">{t(l, Key::PartNumber)}</th>
                    <th scope="col">{t(l, Key::Description)}</th>
                    <th scope="col" class="num">{t(l, Key::Quantity)}</th>
                    <th scope="col" class="num">{t(l, Key::UnitPrice)}</th>
                    <th scope="col" class="num">{t(l, Key::Amount)}</th>
                </tr></thead>
                <tbody>
                    {r.lines.iter().map(|x| view! {
                        <tr>
                            <td>{x.part_number.to_string()}</td>
                            <td>{x.description.clone()}</td>
                            <td class="num">{x.quantity}</td>
                            <td class="num">{x.unit_price.map(|m| l.money(&m))}</td>
                            <td class="num">{x.extended.map(|m| l.money(&m))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row" colspan="4">{t(l, Key::Subtotal)}</th><td class="num">{move || current.get().subtotal.map(|m| l.money(&m))}</td></tr>
                    <tr><th scope="row" colspan="4">{tx(l, "Discount", "Diskon")}</th><td class="num">{move || current.get().discount.map(|m| format!("−{}", l.money(&m)))}</td></tr>
                    <tr class="total"><th scope="row" colspan="4">{tx(l, "Net, before tax", "Neto, sebelum pajak")}</th><td class="num">{move || current.get().net.map(|m| l.money(&m))}</td></tr>
                </tfoot>
            </table>
            {move || sent.get().then(|| view! {
                <p class="alert success" role="status">{format!("{} {}", tx(l, "Quote sent to", "Penawaran dikirim ke"), current.get().requested_by)}</p>
            })}
            {move || matches!(current.get().status, QuoteRequestStatus::Submitted | QuoteRequestStatus::Quoted | QuoteRequestStatus::Expired).then(|| {
                let submit = submit.clone();
                let (pid, uid, nid) = (pid2.clone(), uid2.clone(), nid2.clone());
                let (perr, uerr) = (perr2.clone(), uerr2.clone());
                view! {
                    <form class="stack quote-form" novalidate on:submit=submit>
                        <div class="field">
                            <label for=pid.clone()>{tx(l, "Discount (%)", "Diskon (%)")}</label>
                            <input id=pid type="text" inputmode="decimal" size="6" prop:value=move || percent.get()
                                aria-invalid=move || message("discount_percent").is_some().then_some("true")
                                aria-describedby=perr.clone()
                                on:input=move |e| percent.set(event_target_value(&e)) on:blur=move |_| touched.set(true)/>
                            <p class="field-error" id=perr>{move || message("discount_percent")}</p>
                        </div>
                        <div class="field">
                            <label for=uid.clone()>{t(l, Key::ValidUntil)}</label>
                            <input id=uid type="date" prop:value=move || until.get()
                                aria-invalid=move || message("valid_until").is_some().then_some("true")
                                aria-describedby=uerr.clone()
                                on:input=move |e| until.set(event_target_value(&e)) on:blur=move |_| touched.set(true)/>
                            <p class="field-error" id=uerr>{move || message("valid_until")}</p>
                        </div>
                        <div class="field">
                            <label for=nid.clone()>{tx(l, "Note for the customer (optional)", "Catatan untuk pelanggan (opsional)")}</label>
                            <textarea id=nid rows="2" maxlength=entitle_core::validation::TextField::RepNote.max_len() prop:value=move || note.get()
                                on:input=move |e| note.set(event_target_value(&e))></textarea>
                        </div>
                        <p class="field-error" role="alert">{move || server_error.get()}</p>
                        <div class="actions">
                            <button type="submit" class="primary" disabled=move || busy.get()>
                                {format!("{} {}", tx(l, "Send quote", "Kirim penawaran"), current.get_untracked().number)}
                            </button>
                        </div>
                    </form>
                }
            })}
        </article>
    }
}

#[component]
fn Orders() -> impl IntoView {
    let locale = use_locale();
    let filter = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let orders = LocalResource::new(move || {
        reload.track();
        let status = OrderStatus::from_code(&filter.get());
        async move { api::desk_orders(status).await }
    });
    view! {
        <section class="page desk">
            {move || breadcrumb(locale.get())}
            <h1>{move || tx(locale.get(), "Orders to fulfil", "Pesanan untuk diproses")}</h1>
            <div class="field inline">
                <label for="order-filter">{move || t(locale.get(), Key::Status)}</label>
                <select id="order-filter" on:change=move |e| filter.set(event_target_value(&e))>
                    <option value="">{move || tx(locale.get(), "To do (received, processing)", "Perlu dikerjakan (diterima, diproses)")}</option>
                    <option value="completed">{move || tx(locale.get(), "Completed", "Selesai")}</option>
                    <option value="cancelled">{move || tx(locale.get(), "Cancelled", "Dibatalkan")}</option>
                </select>
            </div>
            {move || {
                let l = locale.get();
                match orders.get() {
                    None => view! { <Skeleton lines=4/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    Some(Ok(v)) if v.is_empty() => view! { <p class="empty" id="no-orders">{tx(l, "No orders here.", "Tidak ada pesanan.")}</p> }.into_any(),
                    Some(Ok(v)) => v.into_iter().map(|o| view! { <FulfilOrder l=l o=o reload=reload/> }).collect_view().into_any(),
                }
            }}
        </section>
    }
}

/// One order with the next steps it allows.
#[component]
fn FulfilOrder(l: Locale, o: OrderView, reload: RwSignal<u32>) -> impl IntoView {
    let reference = o.reference.to_string();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let status = o.status;
    let change = {
        let reference = reference.clone();
        move |next: OrderStatus| {
            // Cancelling needs a reason: checked here with the rule the server runs.
            if next == OrderStatus::Cancelled
                && let Err(e) =
                    entitle_core::validation::TextField::CancelReason.check(&reason.get_untracked())
            {
                error.set(Some(entitle_core::validation::Explain::message(&e, l)));
                return;
            }
            let req = ChangeOrderStatus {
                status: next,
                reason: reason.get_untracked(),
            };
            let reference = reference.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match api::change_order_status(&reference, &req).await {
                    Ok(_) => reload.update(|n| *n += 1),
                    Err(e) => error.set(Some(crate::ui::first_message(&e, l))),
                }
                busy.set(false);
            });
        }
    };
    let heading = format!("order-{reference}");
    let labelled_by = heading.clone();
    let reason_id = format!("reason-{reference}");
    let placed = time::OffsetDateTime::from_unix_timestamp(o.placed_at)
        .map(|t| l.date(t.date()))
        .unwrap_or_default();
    let (c1, c2, c3) = (change.clone(), change.clone(), change);
    view! {
        <article class="change-request" aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{reference} · {} ({})", o.site_name, o.site)}</h2>
            <p>
                <span class="badge">{crate::pages::orders::status_label(l, status)}</span>
                {format!(" · {placed} · {} · {} {}", l.money(&o.total), o.lines.len(), tx(l, "lines", "baris"))}
                {o.renewal_quote.clone().map(|q| format!(" · {q}"))}
                {o.auto_renewed.then(|| format!(" · {}", tx(l, "auto-renewed", "diperpanjang otomatis")))}
                {o.cancel_reason.clone().map(|r| format!(" · {r}"))}
            </p>
            {matches!(status, OrderStatus::Received | OrderStatus::Processing).then(|| view! {
                <div class="stack">
                    <div class="actions">
                        {(status == OrderStatus::Received).then(|| view! {
                            <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| c1(OrderStatus::Processing)>
                                {format!("{} {reference}", tx(l, "Start processing", "Mulai proses"))}
                            </button>
                        })}
                        {(status == OrderStatus::Processing).then(|| view! {
                            <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| c2(OrderStatus::Completed)>
                                {format!("{} {reference}", tx(l, "Complete", "Selesaikan"))}
                            </button>
                        })}
                    </div>
                    <div class="field">
                        <label for=reason_id.clone()>{tx(l, "Reason for cancelling (the customer is told)", "Alasan pembatalan (pelanggan diberi tahu)")}</label>
                        <input id=reason_id type="text" maxlength=entitle_core::validation::TextField::CancelReason.max_len() prop:value=move || reason.get()
                            on:input=move |e| reason.set(event_target_value(&e))/>
                    </div>
                    <div class="actions">
                        <button type="button" disabled=move || busy.get() on:click=move |_| c3(OrderStatus::Cancelled)>
                            {format!("{} {reference}", tx(l, "Cancel order", "Batalkan pesanan"))}
                        </button>
                    </div>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </div>
            })}
        </article>
    }
}

#[component]
fn Audit() -> impl IntoView {
    let locale = use_locale();
    let action = RwSignal::new(String::new());
    let before = RwSignal::new(None::<i64>);
    let page = LocalResource::new(move || {
        let (a, b) = (action.get(), before.get());
        async move { api::audit_log(b, &a).await }
    });
    view! {
        <section class="page desk">
            {move || breadcrumb(locale.get())}
            <h1>{move || tx(locale.get(), "Audit log", "Log audit")}</h1>
            <div class="field inline">
                <label for="audit-action">{move || tx(locale.get(), "Action starts with", "Tindakan diawali")}</label>
                <input id="audit-action" type="search" placeholder="quote. / order. / access. / privileges."
                    on:change=move |e| { before.set(None); action.set(event_target_value(&e)); }/>
            </div>
            {move || {
                let l = locale.get();
                match page.get() {
                    None => view! { <Skeleton lines=6/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    Some(Ok(v)) if v.is_empty() => view! { <p class="empty">{tx(l, "No entries.", "Tidak ada entri.")}</p> }.into_any(),
                    Some(Ok(v)) => audit_table(l, v, before).into_any(),
                }
            }}
        </section>
    }
}

fn audit_table(l: Locale, rows: Vec<AuditEntry>, before: RwSignal<Option<i64>>) -> impl IntoView {
    let last = rows.last().map(|e| e.id);
    let full = rows.len() >= 50;
    view! {
        <table class="data" id="audit">
            <thead><tr>
                <th scope="col">{tx(l, "When (UTC)", "Waktu (UTC)")}</th>
                <th scope="col">{tx(l, "Who", "Siapa")}</th>
                <th scope="col">{tx(l, "Action", "Tindakan")}</th>
                <th scope="col">{tx(l, "On", "Pada")}</th>
                <th scope="col">{tx(l, "Details", "Rincian")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|e| {
                    let when = time::OffsetDateTime::from_unix_timestamp(e.at)
                        .map(|t| format!("{} {:02}:{:02}", l.date(t.date()), t.hour(), t.minute()))
                        .unwrap_or_default();
                    view! {
                        <tr>
                            <td>{when}</td>
                            <td>{e.actor.unwrap_or_else(|| tx(l, "system", "sistem").to_owned())}</td>
                            <td><code>{e.action}</code></td>
                            <td>{e.subject}</td>
                            <td>{e.detail}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <div class="actions">
            {before.get_untracked().is_some().then(|| view! {
                <button type="button" on:click=move |_| before.set(None)>{tx(l, "Newest", "Terbaru")}</button>
            })}
            {(full && last.is_some()).then(|| view! {
                <button type="button" on:click=move |_| before.set(last)>{tx(l, "Older", "Lebih lama")}</button>
            })}
        </div>
    }
}
