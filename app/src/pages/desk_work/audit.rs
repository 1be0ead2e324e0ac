//! The audit log (admins), newest first, a page at a time.

use super::*;

#[component]
pub(super) fn Audit() -> impl IntoView {
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
                <label for="audit-action">{move || tx(locale.get(), "Show", "Tampilkan")}</label>
                <select id="audit-action" on:change=move |e| { before.set(None); action.set(event_target_value(&e)); }>
                    <option value="">{move || tx(locale.get(), "Everything", "Semua")}</option>
                    {move || {
                        let l = locale.get();
                        entitle_core::audit::GROUPS.iter().map(|(prefix, en, id, _)| view! {
                            <option value=*prefix>{tx(l, en, id)}</option>
                        }).collect_view()
                    }}
                </select>
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

pub(super) fn audit_table(
    l: Locale,
    rows: Vec<AuditEntry>,
    before: RwSignal<Option<i64>>,
) -> impl IntoView {
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
                            <td data-label=tx(l, "When (UTC)", "Waktu (UTC)")>{when}</td>
                            <td data-label=tx(l, "Who", "Siapa")>{e.actor.unwrap_or_else(|| tx(l, "The renewal engine", "Mesin perpanjangan").to_owned())}</td>
                            <td data-label=tx(l, "Action", "Tindakan") data-code=e.action.clone()>{entitle_core::audit::AuditAction::describe(&e.action, l)}</td>
                            <td data-label=tx(l, "On", "Pada")>{e.subject}</td>
                            <td data-label=tx(l, "Details", "Rincian")>{e.detail}</td>
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
