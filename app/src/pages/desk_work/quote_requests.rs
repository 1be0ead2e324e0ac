//! Quote requests to price (sales reps): the queue and the quote form, checked with `entitle-core` as
//! it is typed.

use super::*;

#[component]
pub(super) fn QuoteRequests() -> impl IntoView {
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
                    Some(Ok(v)) => view! {
                        {request_table(l, &v)}
                        {v.into_iter().map(|r| view! { <PriceRequest l=l r=r/> }).collect_view()}
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// The queue at a glance: whose request, who sent it, how long it has waited, where it stands; each row
/// leads to the request below.
fn request_table(l: Locale, queue: &[QuoteRequestView]) -> impl IntoView {
    let today = today();
    view! {
        <table class="data" id="quote-request-queue">
            <thead><tr>
                <th scope="col">{tx(l, "Request", "Permintaan")}</th>
                <th scope="col">{tx(l, "Customer", "Pelanggan")}</th>
                <th scope="col">{tx(l, "Sent by", "Dikirim oleh")}</th>
                <th scope="col">{tx(l, "Waiting", "Menunggu")}</th>
                <th scope="col">{t(l, Key::Status)}</th>
                <th scope="col" class="num">{tx(l, "Lines", "Baris")}</th>
            </tr></thead>
            <tbody>
                {queue.iter().map(|r| {
                    let waiting = time::OffsetDateTime::from_unix_timestamp(r.created_at)
                        .map(|t| entitle_core::audit::age(t.date(), today, l))
                        .unwrap_or_default();
                    view! {
                        <tr>
                            <td data-label=tx(l, "Request", "Permintaan")><a href=format!("#qr-{}", r.number)>{r.number.clone()}</a></td>
                            <td data-label=tx(l, "Customer", "Pelanggan")>{format!("{} ({})", r.site_name, r.site)}</td>
                            <td data-label=tx(l, "Sent by", "Dikirim oleh")>{r.requested_by.clone()}</td>
                            <td data-label=tx(l, "Waiting", "Menunggu")>{waiting}</td>
                            <td data-label=t(l, Key::Status)><span class="badge">{crate::pages::quotes::status_label(l, r.status)}</span></td>
                            <td class="num" data-label=tx(l, "Lines", "Baris")>{r.lines.len()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// One request with its lines at the customer's level and, while it is open, the quote form.
#[component]
pub(super) fn PriceRequest(l: Locale, r: QuoteRequestView) -> impl IntoView {
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
                            <td data-label=t(l, Key::PartNumber)>{x.part_number.to_string()}</td>
                            <td data-label=t(l, Key::Description)>{x.description.clone()}</td>
                            <td class="num" data-label=t(l, Key::Quantity)>{x.quantity}</td>
                            <td class="num" data-label=t(l, Key::UnitPrice)>{x.unit_price.map(|m| l.money(&m))}</td>
                            <td class="num" data-label=t(l, Key::Amount)>{x.extended.map(|m| l.money(&m))}</td>
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
