//! The vendor's desk (`/desk`, staff only): the queues with their counts, and the change-request
//! queue — what the customer changed against the issued quote, the quantities to settle on, a note,
//! and "Re-issue", which sends the customer the new version.

use entitle_core::dto::{ChangeRequestView, ReissueLine, ReissueQuote, Role};
use entitle_core::locale::Locale;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::i18n::{Key, t, use_locale};
use crate::session::{RequireSession, SessionState, use_session};
use crate::ui::{Skeleton, error_text, tx};

/// The desk home, loaded the first time it opens.
pub struct DeskRoute;

crate::pages::grouped_route!(desk, DeskRoute, desk_route_view, desk_route_preload, {
    view! { <RequireSession><StaffOnly><DeskHome/></StaffOnly></RequireSession> }.into_any()
});

/// The change-request queue, loaded the first time it opens.
pub struct ChangeRequestsRoute;

crate::pages::grouped_route!(
    desk,
    ChangeRequestsRoute,
    change_requests_route_view,
    change_requests_route_preload,
    {
        view! { <RequireSession><StaffOnly><ChangeRequests/></StaffOnly></RequireSession> }
            .into_any()
    }
);

/// Shows `children` to vendor staff; customers get a sentence instead.
#[component]
pub fn StaffOnly(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    move || {
        match session.0.get() {
        SessionState::SignedIn(info) if info.role != Role::Customer => children().into_any(),
        _ => view! {
            <section class="page">
                <h1>{tx(locale.get(), "Desk", "Meja kerja")}</h1>
                <p class="alert error" role="alert">{tx(locale.get(), "The desk is for the vendor's representatives.", "Meja kerja hanya untuk perwakilan vendor.")}</p>
            </section>
        }.into_any(),
    }
    }
}

/// One queue on the desk home: how many wait, since when, and the nearest due date.
#[derive(Debug, Clone, Default, PartialEq)]
struct Queue {
    waiting: usize,
    oldest: Option<time::Date>,
    next_due: Option<time::Date>,
}

fn day_of(unix: i64) -> Option<time::Date> {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .map(time::OffsetDateTime::date)
}

/// The desk home: the queues the staff member works, as a table — how many wait (a badge), how long
/// the oldest has waited, and the nearest due date — each a link to the queue.
#[component]
fn DeskHome() -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    let role = move || match session.0.get() {
        SessionState::SignedIn(i) => Some(i.role),
        _ => None,
    };
    let renewal_staff = move || matches!(role(), Some(Role::RenewalRep | Role::Admin));
    let sales_staff = move || matches!(role(), Some(Role::SalesRep | Role::Admin));
    let changes = LocalResource::new(move || {
        let mine = renewal_staff();
        async move {
            if !mine {
                return Ok(None);
            }
            api::change_requests().await.map(|v| {
                Some(Queue {
                    waiting: v.len(),
                    oldest: v
                        .iter()
                        .flat_map(|c| c.changes.iter().map(|x| x.requested_at))
                        .min()
                        .and_then(day_of),
                    next_due: v.iter().map(|c| c.quote.due_date).min(),
                })
            })
        }
    });
    let requests = LocalResource::new(move || {
        let mine = sales_staff();
        async move {
            if !mine {
                return Ok(None);
            }
            api::desk_quote_requests().await.map(|v| {
                let waiting: Vec<_> = v
                    .iter()
                    .filter(|q| q.status == entitle_core::dto::QuoteRequestStatus::Submitted)
                    .collect();
                Some(Queue {
                    waiting: waiting.len(),
                    oldest: waiting.iter().map(|q| q.created_at).min().and_then(day_of),
                    next_due: None,
                })
            })
        }
    });
    let orders = LocalResource::new(|| async {
        api::desk_orders(&api::OrderPage::default()).await.map(|v| {
            Some(Queue {
                waiting: v.len(),
                oldest: v.iter().map(|o| o.placed_at).min().and_then(day_of),
                next_due: None,
            })
        })
    });
    let row = move |href: &'static str,
                    id: &'static str,
                    name: (&'static str, &'static str),
                    queue: LocalResource<Result<Option<Queue>, api::ApiError>>| {
        move || {
            let l = locale.get();
            let cells = match queue.get() {
                None => None,
                Some(Ok(None)) => return None,
                Some(Ok(Some(q))) => Some(Ok(q)),
                Some(Err(e)) => Some(Err(error_text(&e, l))),
            };
            let dash = || "–".to_owned();
            Some(view! {
                <tr>
                    <th scope="row" data-label=tx(l, "Queue", "Antrean")><A href=href>{tx(l, name.0, name.1)}</A></th>
                    {match cells {
                        None => view! { <td colspan="3"><span class="skeleton-line"></span></td> }.into_any(),
                        Some(Err(message)) => view! { <td colspan="3" class="field-error">{message}</td> }.into_any(),
                        Some(Ok(q)) => view! {
                            <td class="num" data-label=tx(l, "Waiting", "Menunggu")><span class="count" id=id>{q.waiting}</span></td>
                            <td data-label=tx(l, "Oldest waiting", "Terlama menunggu")>{q.oldest.map_or_else(dash, |d| entitle_core::audit::age(d, crate::clock::today(), l))}</td>
                            <td data-label=tx(l, "Next due", "Jatuh tempo terdekat")>{q.next_due.map_or_else(dash, |d| l.date(d))}</td>
                        }.into_any(),
                    }}
                </tr>
            })
        }
    };
    view! {
        <section class="page desk">
            <h1>{move || tx(locale.get(), "Desk", "Meja kerja")}</h1>
            <table class="data queues" id="queues">
                <caption class="visually-hidden">{move || tx(locale.get(), "Your work queues", "Antrean kerja Anda")}</caption>
                <thead><tr>
                    <th scope="col">{move || tx(locale.get(), "Queue", "Antrean")}</th>
                    <th scope="col" class="num">{move || tx(locale.get(), "Waiting", "Menunggu")}</th>
                    <th scope="col">{move || tx(locale.get(), "Oldest waiting", "Terlama menunggu")}</th>
                    <th scope="col">{move || tx(locale.get(), "Next due", "Jatuh tempo terdekat")}</th>
                </tr></thead>
                <tbody>
                    {row("/desk/change-requests", "count-change-requests", ("Change requests", "Permintaan perubahan"), changes)}
                    {row("/desk/quote-requests", "count-quote-requests", ("Quote requests", "Permintaan penawaran"), requests)}
                    {row("/desk/orders", "count-orders", ("Orders to fulfil", "Pesanan untuk diproses"), orders)}
                </tbody>
            </table>
            <ul class="links">
                <li><A href="/renewals">{move || t(locale.get(), Key::NavRenewals)}</A></li>
                {move || (role() == Some(Role::Admin)).then(|| view! {
                    <li><A href="/desk/audit">{move || tx(locale.get(), "Audit log", "Log audit")}</A></li>
                })}
            </ul>
        </section>
    }
}

#[component]
fn ChangeRequests() -> impl IntoView {
    let locale = use_locale();
    let reload = RwSignal::new(0u32);
    let queue = LocalResource::new(move || {
        reload.track();
        api::change_requests()
    });
    let done = RwSignal::new(None::<String>);
    view! {
        <section class="page desk">
            <p class="breadcrumb"><A href="/desk">{move || tx(locale.get(), "Desk", "Meja kerja")}</A></p>
            <h1>{move || tx(locale.get(), "Change requests", "Permintaan perubahan")}</h1>
            <div aria-live="polite">
                {move || done.get().map(|n| view! {
                    <p class="alert success" id="reissued">{format!("{} {n}. {}", tx(locale.get(), "Re-issued", "Diterbitkan ulang"), tx(locale.get(), "The customer was notified.", "Pelanggan sudah diberi tahu."))}</p>
                })}
            </div>
            {move || {
                let l = locale.get();
                match queue.get() {
                    None => view! { <Skeleton lines=4/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    Some(Ok(v)) if v.is_empty() => view! { <p class="empty" id="no-change-requests">{tx(l, "No quote waits for you.", "Tidak ada penawaran yang menunggu.")}</p> }.into_any(),
                    Some(Ok(v)) => view! {
                        {change_request_table(l, &v)}
                        {v.into_iter().map(|item| change_request(l, item, reload, done)).collect_view()}
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// The queue at a glance: whose quote, who asked, how long ago, when it is due; each row leads to the
/// quote's form below.
fn change_request_table(l: Locale, queue: &[ChangeRequestView]) -> impl IntoView {
    let today = crate::clock::today();
    view! {
        <table class="data" id="change-request-queue">
            <thead><tr>
                <th scope="col">{tx(l, "Quote", "Penawaran")}</th>
                <th scope="col">{tx(l, "Customer", "Pelanggan")}</th>
                <th scope="col">{tx(l, "Asked by", "Diminta oleh")}</th>
                <th scope="col">{tx(l, "Waiting", "Menunggu")}</th>
                <th scope="col">{tx(l, "Due", "Jatuh tempo")}</th>
                <th scope="col" class="num">{tx(l, "Changes", "Perubahan")}</th>
            </tr></thead>
            <tbody>
                {queue.iter().map(|item| {
                    let q = &item.quote;
                    let asked = item.changes.iter().map(|c| c.requested_at).min()
                        .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
                        .map(|t| entitle_core::audit::age(t.date(), today, l))
                        .unwrap_or_default();
                    view! {
                        <tr>
                            <td data-label=tx(l, "Quote", "Penawaran")><a href=format!("#cr-{}", q.quote_number)>{q.quote_number.clone()}</a></td>
                            <td data-label=tx(l, "Customer", "Pelanggan")>{format!("{} · {} ({})", q.organisation, q.site_name, q.customer_number)}</td>
                            <td data-label=tx(l, "Asked by", "Diminta oleh")>{item.requested_by.join(", ")}</td>
                            <td data-label=tx(l, "Waiting", "Menunggu")>{asked}</td>
                            <td data-label=tx(l, "Due", "Jatuh tempo")>{l.date(q.due_date)}</td>
                            <td class="num" data-label=tx(l, "Changes", "Perubahan")><span class="badge">{item.changes.len()}</span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn change_request(
    l: Locale,
    item: ChangeRequestView,
    reload: RwSignal<u32>,
    done: RwSignal<Option<String>>,
) -> impl IntoView {
    let number = item.quote.quote_number.clone();
    let heading_id = format!("cr-{number}");
    let labelled_by = heading_id.clone();
    // The rep's quantities, starting from what the customer asked (empty = delete = 0).
    let quantities: Vec<(i64, RwSignal<String>)> = item
        .changes
        .iter()
        .map(|c| {
            (
                c.line_id,
                RwSignal::new(c.requested_quantity.unwrap_or(0).to_string()),
            )
        })
        .collect();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = {
        let quantities = quantities.clone();
        let number = number.clone();
        move |e: ev::SubmitEvent| {
            e.prevent_default();
            let mut lines = Vec::new();
            for (line_id, q) in &quantities {
                match q.get_untracked().trim().parse::<u32>() {
                    Ok(quantity) => lines.push(ReissueLine {
                        line_id: *line_id,
                        quantity,
                    }),
                    Err(_) => {
                        error.set(Some(
                            tx(
                                l,
                                "Quantities are whole numbers (0 removes the line)",
                                "Jumlah berupa bilangan bulat (0 menghapus baris)",
                            )
                            .to_owned(),
                        ));
                        return;
                    }
                }
            }
            error.set(None);
            busy.set(true);
            let req = ReissueQuote {
                lines,
                note: note.get_untracked(),
            };
            let number = number.clone();
            leptos::task::spawn_local(async move {
                match api::reissue(&number, &req).await {
                    Ok(_) => {
                        done.set(Some(number));
                        reload.update(|n| *n += 1);
                    }
                    Err(e) => error.set(Some(crate::ui::first_message(&e, l))),
                }
                busy.set(false);
            });
        }
    };
    view! {
        <article class="change-request" aria-labelledby=labelled_by>
            <h2 id=heading_id>{format!("{} · {} ({}) · {}", number, item.quote.site_name, item.quote.customer_number, item.quote.organisation)}</h2>
            <p class="muted">{format!("{} {} · {} {}", tx(l, "Due", "Jatuh tempo"), l.date(item.quote.due_date), tx(l, "asked by", "diminta oleh"), item.requested_by.join(", "))}</p>
            <form class="stack" novalidate on:submit=submit>
                <table class="data">
                    <thead><tr>
                        <th scope="col">{t(l, Key::PartNumber)}</th>
                        <th scope="col">{t(l, Key::Description)}</th>
                        <th scope="col" class="num">{tx(l, "Issued", "Diterbitkan")}</th>
                        <th scope="col" class="num">{tx(l, "Asked", "Diminta")}</th>
                        <th scope="col" class="num">{tx(l, "Re-issue with", "Terbitkan ulang dengan")}</th>
                    </tr></thead>
                    <tbody>
                        {item.changes.iter().zip(quantities.iter()).map(|(c, (line_id, q))| {
                            let q = *q;
                            let id = format!("reissue-{line_id}");
                            view! {
                                <tr>
                                    <td data-label=t(l, Key::PartNumber)>{c.part_number.to_string()}</td>
                                    <td data-label=t(l, Key::Description)>{c.description.clone()}</td>
                                    <td class="num" data-label=tx(l, "Issued", "Diterbitkan")>{c.issued_quantity}</td>
                                    <td class="num" data-label=tx(l, "Asked", "Diminta")>{c.requested_quantity.map_or_else(|| tx(l, "Remove the line", "Hapus baris").to_owned(), |n| n.to_string())}</td>
                                    <td class="num" data-label=tx(l, "Re-issue with", "Terbitkan ulang dengan")>
                                        <label class="visually-hidden" for=id.clone()>{format!("{} {}", tx(l, "Quantity to re-issue for", "Jumlah untuk"), c.part_number)}</label>
                                        <input id=id type="number" min="0" inputmode="numeric" size="5"
                                            prop:value=move || q.get() on:input=move |e| q.set(event_target_value(&e))/>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <label for=format!("note-{number}")>{tx(l, "Note for the customer (optional)", "Catatan untuk pelanggan (opsional)")}</label>
                <textarea id=format!("note-{number}") rows="2" maxlength=entitle_core::validation::TextField::RepNote.max_len()
                    prop:value=move || note.get() on:input=move |e| note.set(event_target_value(&e))></textarea>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>{format!("{} {number}", tx(l, "Re-issue", "Terbitkan ulang"))}</button>
                </div>
            </form>
        </article>
    }
}
