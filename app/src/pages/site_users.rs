//! The users of a site (`/site-users`), for its primary contact: access requests to approve (with the
//! privileges to grant) or reject, and each user's privileges — buy and renew, see quotes and
//! renewals, see orders.

use entitle_core::dto::{AccessRequestView, DecideAccessRequest, Privileges, SiteUserView};
use entitle_core::locale::Locale;
use leptos::prelude::*;

use crate::api;
use crate::i18n::use_locale;
use crate::session::RequireSession;
use crate::ui::{Skeleton, current_site, error_text, tx};

/// The site-users page, loaded the first time it opens.
pub struct SiteUsersRoute;

crate::pages::grouped_route!(
    account,
    SiteUsersRoute,
    site_users_route_view,
    site_users_route_preload,
    { view! { <RequireSession><SiteUsersPage/></RequireSession> }.into_any() }
);

#[component]
fn SiteUsersPage() -> impl IntoView {
    let locale = use_locale();
    let site = current_site();
    let reload = RwSignal::new(0u32);
    let decided = RwSignal::new(None::<String>);
    let data = LocalResource::new(move || {
        reload.track();
        let s = site.get().filter(|s| s.primary).map(|s| s.customer_number);
        async move {
            match s {
                Some(s) => {
                    let requests = api::site_access_requests(&s).await?;
                    let users = api::site_users(&s).await?;
                    Ok(Some((s, requests, users)))
                }
                None => Ok(None),
            }
        }
    });
    view! {
        <section class="page">
            <h1>{move || match site.get() {
                Some(s) => format!("{} · {} ({})", tx(locale.get(), "Users", "Pengguna"), s.name, s.customer_number),
                None => tx(locale.get(), "Users", "Pengguna").to_owned(),
            }}</h1>
            {move || {
                let l = locale.get();
                match data.get() {
                    None => view! { <Skeleton lines=4/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert error" role="alert">{error_text(&e, l)}</p> }.into_any(),
                    Some(Ok(None)) => view! {
                        <p class="alert info" role="note" id="not-primary">{tx(l, "Only the site's primary contact manages its users. Switch to a site where you are the primary contact.", "Hanya kontak utama situs yang mengelola penggunanya. Beralihlah ke situs tempat Anda menjadi kontak utama.")}</p>
                    }.into_any(),
                    Some(Ok(Some((s, requests, users)))) => view! {
                        <h2>{tx(l, "Access requests", "Permintaan akses")}</h2>
                        // What the last decision did, above the requests it changed.
                        <div aria-live="polite" id="access-decided">
                            {move || decided.get().map(|m| view! { <p class="alert success">{m}</p> })}
                        </div>
                        {if requests.iter().any(|r| r.status == "pending") {
                            requests.into_iter().filter(|r| r.status == "pending").map(|r| view! { <Decide l=l r=r reload=reload decided=decided/> }).collect_view().into_any()
                        } else {
                            view! { <p class="empty" id="no-access-requests">{tx(l, "No request waits for you.", "Tidak ada permintaan yang menunggu.")}</p> }.into_any()
                        }}
                        <h2>{tx(l, "Users and privileges", "Pengguna dan hak akses")}</h2>
                        <table class="data" id="site-users">
                            <thead><tr>
                                <th scope="col">{tx(l, "User", "Pengguna")}</th>
                                <th scope="col">{tx(l, "Buy and renew", "Beli dan perpanjang")}</th>
                                <th scope="col">{tx(l, "Quotes and renewals", "Penawaran dan perpanjangan")}</th>
                                <th scope="col">{tx(l, "Orders", "Pesanan")}</th>
                                <th scope="col"><span class="visually-hidden">{tx(l, "Actions", "Tindakan")}</span></th>
                            </tr></thead>
                            <tbody>
                                {users.into_iter().map(|u| view! { <UserRow l=l site=s.clone() u=u/> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// One privilege checkbox: its id suffix, label, getter and setter.
type PrivilegeBox = (
    &'static str,
    &'static str,
    fn(&Privileges) -> bool,
    fn(&mut Privileges, bool),
);

/// Three checkboxes for the privileges, labelled for `who`.
fn privilege_boxes(
    l: Locale,
    id: String,
    who: String,
    p: RwSignal<Privileges>,
    disabled: bool,
) -> impl IntoView {
    let boxes: [PrivilegeBox; 3] = [
        (
            "buy",
            tx(l, "Buy and renew", "Beli dan perpanjang"),
            |p| p.buy,
            |p, v| p.buy = v,
        ),
        (
            "quotes",
            tx(l, "Quotes and renewals", "Penawaran dan perpanjangan"),
            |p| p.view_quotes,
            |p, v| p.view_quotes = v,
        ),
        (
            "orders",
            tx(l, "Orders", "Pesanan"),
            |p| p.view_orders,
            |p, v| p.view_orders = v,
        ),
    ];
    boxes
        .into_iter()
        .map(|(key, label, get, set)| {
            let input_id = format!("{id}-{key}");
            view! {
                <td>
                    <input type="checkbox" id=input_id.clone() disabled=disabled
                        prop:checked=move || get(&p.get())
                        on:change=move |e| p.update(|p| set(p, event_target_checked(&e)))/>
                    <label class="visually-hidden" for=input_id>{format!("{label}: {who}")}</label>
                </td>
            }
        })
        .collect_view()
}

/// A pending request: the privileges to grant, Approve, Reject.
#[component]
fn Decide(
    l: Locale,
    r: AccessRequestView,
    reload: RwSignal<u32>,
    decided: RwSignal<Option<String>>,
) -> impl IntoView {
    let p = RwSignal::new(Privileges {
        buy: false,
        view_quotes: true,
        view_orders: true,
    });
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = r.id;
    let requester = StoredValue::new(r.requester_email.clone());
    let decide = move |approve: bool| {
        busy.set(true);
        let requester = requester.get_value();
        let req = DecideAccessRequest {
            approve,
            privileges: p.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::decide_access_request(id, &req).await {
                Ok(_) => {
                    decided.set(Some(if approve {
                        format!("{} {requester}. {}", tx(l, "Approved", "Disetujui"), tx(l, "They were told by e-mail and can use the site now.", "Mereka sudah diberi tahu lewat email dan dapat menggunakan situs sekarang."))
                    } else {
                        format!("{} {requester}. {}", tx(l, "Rejected", "Ditolak"), tx(l, "They were told by e-mail.", "Mereka sudah diberi tahu lewat email."))
                    }));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(error_text(&e, l))),
            }
            busy.set(false);
        });
    };
    let who = r.requester_email.clone();
    view! {
        <article class="change-request" aria-label=format!("{} {}", tx(l, "Access request from", "Permintaan akses dari"), who)>
            <h3>{who.clone()}</h3>
            {(!r.message.is_empty()).then(|| view! { <p class="muted">{format!("“{}”", r.message)}</p> })}
            <table class="data">
                <thead><tr>
                    <th scope="col">{tx(l, "Buy and renew", "Beli dan perpanjang")}</th>
                    <th scope="col">{tx(l, "Quotes and renewals", "Penawaran dan perpanjangan")}</th>
                    <th scope="col">{tx(l, "Orders", "Pesanan")}</th>
                </tr></thead>
                <tbody><tr>{privilege_boxes(l, format!("grant-{id}"), who.clone(), p, false)}</tr></tbody>
            </table>
            <div class="actions">
                <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| decide(true)>
                    {format!("{} {who}", tx(l, "Approve", "Setujui"))}
                </button>
                <button type="button" disabled=move || busy.get() on:click=move |_| decide(false)>
                    {format!("{} {who}", tx(l, "Reject", "Tolak"))}
                </button>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </article>
    }
}

/// A user with their privileges; a primary contact's are fixed.
#[component]
fn UserRow(l: Locale, site: String, u: SiteUserView) -> impl IntoView {
    let p = RwSignal::new(u.privileges);
    let status = RwSignal::new(None::<String>);
    let user_id = u.user_id;
    let save = move |_| {
        let site = site.clone();
        let wanted = p.get_untracked();
        leptos::task::spawn_local(async move {
            status.set(Some(
                match api::set_privileges(&site, user_id, &wanted).await {
                    Ok(_) => tx(l, "Saved", "Tersimpan").to_owned(),
                    Err(e) => error_text(&e, l),
                },
            ));
        });
    };
    let who = format!("{} ({})", u.name, u.email);
    view! {
        <tr>
            <th scope="row">{who.clone()}{u.primary.then(|| view! { <div class="muted">{tx(l, "Primary contact", "Kontak utama")}</div> })}</th>
            {privilege_boxes(l, format!("user-{user_id}"), who.clone(), p, u.primary)}
            <td>
                {(!u.primary).then(|| view! {
                    <button type="button" class="small" on:click=save aria-label=format!("{} {who}", tx(l, "Save privileges of", "Simpan hak akses"))>{tx(l, "Save", "Simpan")}</button>
                })}
                <span role="status">{move || status.get()}</span>
            </td>
        </tr>
    }
}
