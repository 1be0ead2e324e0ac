//! The vendor's desk (`/desk`, staff only): the queues with their counts, and the change-request
//! queue — what the customer changed against the issued quote, the quantities to settle on, a note,
//! and "Re-issue", which sends the customer the new version.

use entitle_core::dto::{ChangeRequestView, ReissueLine, ReissueQuote, Role};
use entitle_core::locale::Locale;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::{LazyRoute, lazy_route};

use crate::api;
use crate::i18n::{Key, t, use_locale};
use crate::session::{RequireSession, SessionState, use_session};
use crate::ui::{Skeleton, error_text, tx};

/// The desk home, loaded the first time it opens.
pub struct DeskRoute;

#[lazy_route]
impl LazyRoute for DeskRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RequireSession><StaffOnly><DeskHome/></StaffOnly></RequireSession> }.into_any()
    }
}

/// The change-request queue, loaded the first time it opens.
pub struct ChangeRequestsRoute;

#[lazy_route]
impl LazyRoute for ChangeRequestsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RequireSession><StaffOnly><ChangeRequests/></StaffOnly></RequireSession> }
            .into_any()
    }
}

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
            if mine {
                api::change_requests().await.map(|v| v.len())
            } else {
                Ok(0)
            }
        }
    });
    let requests = LocalResource::new(move || {
        let mine = sales_staff();
        async move {
            if mine {
                api::desk_quote_requests().await.map(|v| {
                    v.iter()
                        .filter(|q| q.status == entitle_core::dto::QuoteRequestStatus::Submitted)
                        .count()
                })
            } else {
                Ok(0)
            }
        }
    });
    let orders = LocalResource::new(|| async { api::desk_orders(None).await.map(|v| v.len()) });
    let count = |r: Option<Result<usize, api::ApiError>>| {
        r.map(|r| r.map_or_else(|_| "–".to_owned(), |n| n.to_string()))
    };
    view! {
        <section class="page desk">
            <h1>{move || tx(locale.get(), "Desk", "Meja kerja")}</h1>
            <ul class="tiles queues">
                {move || renewal_staff().then(|| view! {
                    <li>
                        <A href="/desk/change-requests">{move || tx(locale.get(), "Change requests", "Permintaan perubahan")}</A>
                        " "<span class="count" id="count-change-requests">{move || count(changes.get())}</span>
                    </li>
                })}
                {move || sales_staff().then(|| view! {
                    <li>
                        <A href="/desk/quote-requests">{move || tx(locale.get(), "Quote requests", "Permintaan penawaran")}</A>
                        " "<span class="count" id="count-quote-requests">{move || count(requests.get())}</span>
                    </li>
                })}
                <li>
                    <A href="/desk/orders">{move || tx(locale.get(), "Orders to fulfil", "Pesanan untuk diproses")}</A>
                    " "<span class="count" id="count-orders">{move || count(orders.get())}</span>
                </li>
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
                    Some(Ok(v)) => v.into_iter().map(|item| change_request(l, item, reload, done)).collect_view().into_any(),
                }
            }}
        </section>
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
                                    <td>{c.part_number.to_string()}</td>
                                    <td>{c.description.clone()}</td>
                                    <td class="num">{c.issued_quantity}</td>
                                    <td class="num">{c.requested_quantity.map_or_else(|| tx(l, "delete", "hapus").to_owned(), |n| n.to_string())}</td>
                                    <td class="num">
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
