//! Orders to fulfil: the queue and moving an order on (or cancelling it with a reason).

use super::*;

/// Orders per page of the queue.
const PAGE: u32 = 20;

#[component]
pub(super) fn Orders() -> impl IntoView {
    let locale = use_locale();
    let filter = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let offset = RwSignal::new(0u32);
    let reload = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let orders = LocalResource::new(move || {
        reload.track();
        let page = api::OrderPage {
            status: OrderStatus::from_code(&filter.get()),
            search: search.get(),
            offset: offset.get(),
            limit: Some(PAGE),
        };
        async move { api::desk_orders(&page).await }
    });
    view! {
        <section class="page desk">
            {move || breadcrumb(locale.get())}
            <h1>{move || tx(locale.get(), "Orders to fulfil", "Pesanan untuk diproses")}</h1>
            <form class="filters" role="search" on:submit=move |e: ev::SubmitEvent| e.prevent_default()>
                <div class="field">
                    <label for="order-search">{move || tx(locale.get(), "Order, customer number or site", "Pesanan, nomor pelanggan, atau situs")}</label>
                    <input id="order-search" type="search" maxlength="100" autocomplete="off"
                        on:change=move |e| { offset.set(0); search.set(event_target_value(&e)); }/>
                </div>
                <div class="field">
                    <label for="order-filter">{move || t(locale.get(), Key::Status)}</label>
                    <select id="order-filter" on:change=move |e| { offset.set(0); filter.set(event_target_value(&e)); }>
                        <option value="">{move || tx(locale.get(), "To do (received, processing)", "Perlu dikerjakan (diterima, diproses)")}</option>
                        <option value="received">{move || tx(locale.get(), "Received", "Diterima")}</option>
                        <option value="processing">{move || tx(locale.get(), "Processing", "Diproses")}</option>
                        <option value="completed">{move || tx(locale.get(), "Completed", "Selesai")}</option>
                        <option value="cancelled">{move || tx(locale.get(), "Cancelled", "Dibatalkan")}</option>
                    </select>
                </div>
            </form>
            // What the last action did, announced and shown above the queue it changed.
            <div aria-live="polite" id="fulfil-outcome">
                {move || done.get().map(|m| view! { <p class="alert success">{m}</p> })}
            </div>
            {move || {
                let l = locale.get();
                match orders.get() {
                    None => view! { <Skeleton lines=4/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    Some(Ok(v)) if v.is_empty() && offset.get_untracked() == 0 => view! { <p class="empty" id="no-orders">{tx(l, "No orders here.", "Tidak ada pesanan.")}</p> }.into_any(),
                    Some(Ok(v)) => {
                        let first = offset.get_untracked();
                        let shown = u32::try_from(v.len()).unwrap_or(PAGE);
                        let more = shown >= PAGE;
                        view! {
                            {order_table(l, &v)}
                            <nav class="pager" aria-label=tx(l, "Pages of orders", "Halaman pesanan")>
                                <p role="status" id="order-range">{if shown == 0 {
                                    tx(l, "No more orders.", "Tidak ada pesanan lagi.").to_owned()
                                } else {
                                    format!("{} {}–{}", tx(l, "Orders", "Pesanan"), first + 1, first + shown)
                                }}</p>
                                {(first > 0).then(|| view! {
                                    <button type="button" on:click=move |_| offset.set(first.saturating_sub(PAGE))>{tx(l, "Previous", "Sebelumnya")}</button>
                                })}
                                {more.then(|| view! {
                                    <button type="button" on:click=move |_| offset.set(first + PAGE)>{tx(l, "Next", "Berikutnya")}</button>
                                })}
                            </nav>
                            {v.into_iter().map(|o| view! { <FulfilOrder l=l o=o reload=reload done=done/> }).collect_view()}
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}

/// The page of orders at a glance: reference, customer, when placed and how long ago, status, total;
/// each row leads to the order below, where it is moved on.
fn order_table(l: Locale, orders: &[OrderView]) -> impl IntoView {
    let today = today();
    view! {
        <table class="data" id="order-queue">
            <thead><tr>
                <th scope="col">{tx(l, "Order", "Pesanan")}</th>
                <th scope="col">{tx(l, "Customer", "Pelanggan")}</th>
                <th scope="col">{tx(l, "Placed", "Dibuat")}</th>
                <th scope="col">{tx(l, "Waiting", "Menunggu")}</th>
                <th scope="col">{t(l, Key::Status)}</th>
                <th scope="col" class="num">{tx(l, "Total", "Total")}</th>
            </tr></thead>
            <tbody>
                {orders.iter().map(|o| {
                    let day = time::OffsetDateTime::from_unix_timestamp(o.placed_at).ok().map(time::OffsetDateTime::date);
                    let open = matches!(o.status, OrderStatus::Received | OrderStatus::Processing);
                    view! {
                        <tr>
                            <td data-label=tx(l, "Order", "Pesanan")><a href=format!("#order-{}", o.reference)>{o.reference.to_string()}</a></td>
                            <td data-label=tx(l, "Customer", "Pelanggan")>{format!("{} · {} ({})", o.organisation, o.site_name, o.site)}</td>
                            <td data-label=tx(l, "Placed", "Dibuat")>{day.map(|d| l.date(d))}</td>
                            <td data-label=tx(l, "Waiting", "Menunggu")>{if open { day.map(|d| entitle_core::audit::age(d, today, l)).unwrap_or_default() } else { "–".to_owned() }}</td>
                            <td data-label=t(l, Key::Status)><span class="badge">{crate::pages::orders::status_label(l, o.status)}</span></td>
                            <td class="num" data-label=tx(l, "Total", "Total")>{l.money(&o.total)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// One order with the next steps it allows.
#[component]
pub(super) fn FulfilOrder(
    l: Locale,
    o: OrderView,
    reload: RwSignal<u32>,
    done: RwSignal<Option<String>>,
) -> impl IntoView {
    let reference = o.reference.to_string();
    let reason = RwSignal::new(String::new());
    let cancelling = RwSignal::new(false);
    let reason_input = NodeRef::<leptos::html::Input>::new();
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
                    Ok(o) => {
                        cancelling.set(false);
                        done.set(Some(format!(
                            "{}: {}.",
                            o.reference,
                            match o.status {
                                OrderStatus::Processing => tx(
                                    l,
                                    "processing started; the customer was told",
                                    "mulai diproses; pelanggan sudah diberi tahu"
                                ),
                                OrderStatus::Completed => tx(
                                    l,
                                    "completed; the coverage is in place and the customer was told",
                                    "selesai; cakupan sudah berlaku dan pelanggan sudah diberi tahu"
                                ),
                                OrderStatus::Cancelled => tx(
                                    l,
                                    "cancelled; the customer was told the reason",
                                    "dibatalkan; pelanggan sudah diberi tahu alasannya"
                                ),
                                OrderStatus::Received => tx(l, "received", "diterima"),
                            }
                        )));
                        reload.update(|n| *n += 1);
                    }
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
    let reference_for_dialog = reference.clone();
    view! {
        <article class="change-request" aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{reference} · {} · {} ({})", o.organisation, o.site_name, o.site)}</h2>
            <p>
                <span class="badge">{crate::pages::orders::status_label(l, status)}</span>
                {format!(" · {placed} · {} · {} {}", l.money(&o.total), o.lines.len(), if o.lines.len() == 1 { tx(l, "line", "baris") } else { tx(l, "lines", "baris") })}
                {o.renewal_quote.clone().map(|q| format!(" · {q}"))}
                {o.auto_renewed.then(|| format!(" · {}", tx(l, "auto-renewed", "diperpanjang otomatis")))}
                {o.cancel_reason.clone().map(|r| format!(" · {r}"))}
            </p>
            <div class="actions documents">{crate::pages::orders::documents(l, &o)}</div>
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
                        <button type="button" class="danger" disabled=move || busy.get()
                            on:click=move |_| { error.set(None); cancelling.set(true); }>
                            {format!("{} {reference}", tx(l, "Cancel order", "Batalkan pesanan"))}
                        </button>
                    </div>
                    {move || (!cancelling.get()).then(|| view! { <p class="field-error" role="alert">{move || error.get().map(|m| crate::ui::sentence(&m))}</p> })}
                    {move || cancelling.get().then(|| {
                        let c3 = c3.clone();
                        let reference = reference_for_dialog.clone();
                        let dialog_title = format!("cancel-title-{reference}");
                        let dialog_labelled_by = dialog_title.clone();
                        let reason_id = reason_id.clone();
                        // One question, asked when cancelling: the reason goes to the customer.
                        request_animation_frame(move || {
                            if let Some(el) = reason_input.get_untracked() {
                                let _ = el.focus();
                            }
                        });
                        view! {
                            <div class="dialog-backdrop">
                                <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=dialog_labelled_by
                                    on:keydown=move |e| if e.key() == "Escape" { cancelling.set(false); }>
                                    <h3 id=dialog_title>{format!("{} {reference}?", tx(l, "Cancel order", "Batalkan pesanan"))}</h3>
                                    <p>{tx(l, "The customer is told the reason, and a card payment is refunded.", "Pelanggan diberi tahu alasannya, dan pembayaran kartu dikembalikan.")}</p>
                                    <div class="field">
                                        <label for=reason_id.clone()>{tx(l, "Reason for cancelling (the customer is told)", "Alasan pembatalan (pelanggan diberi tahu)")}</label>
                                        <input id=reason_id type="text" node_ref=reason_input maxlength=entitle_core::validation::TextField::CancelReason.max_len()
                                            prop:value=move || reason.get()
                                            aria-invalid=move || error.get().is_some().then_some("true")
                                            on:input=move |e| reason.set(event_target_value(&e))/>
                                        <p class="field-error" role="alert">{move || error.get().map(|m| crate::ui::sentence(&m))}</p>
                                    </div>
                                    <div class="actions">
                                        <button type="button" class="danger" disabled=move || busy.get() on:click=move |_| c3(OrderStatus::Cancelled)>
                                            {tx(l, "Cancel the order", "Batalkan pesanan ini")}
                                        </button>
                                        <button type="button" on:click=move |_| cancelling.set(false)>
                                            {tx(l, "Keep the order", "Pertahankan pesanan")}
                                        </button>
                                    </div>
                                </div>
                            </div>
                        }
                    })}
                </div>
            })}
        </article>
    }
}
