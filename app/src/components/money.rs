//! The money block under a quote, cart, review, confirmation or order: entitle-core's
//! [`MoneySummary`] rows (subtotal, discount, tax with its rate and base, total), so every screen shows
//! the same rows with the same labels. Each amount carries its plain value in `data-amount`, which the
//! end-to-end checks add up.

use entitle_core::locale::Locale;
use entitle_core::money::Money;
use entitle_core::pricing::summary::{MoneySummary, RowKind};
use leptos::prelude::*;

/// The summary rows; `total_id` names the total's element (pages and tests refer to it).
#[component]
pub fn MoneyBlock(
    /// The language of the labels and amounts.
    locale: Locale,
    /// The rows, from entitle-core.
    summary: MoneySummary,
    /// The id of the total's element.
    #[prop(into)]
    total_id: String,
) -> impl IntoView {
    let rows = summary.rows();
    view! {
        <dl class="money-summary" data-summary="">
            {rows.into_iter().map(|row| {
                let (class, id) = match row.kind {
                    RowKind::Subtotal => ("subtotal", None),
                    RowKind::Discount => ("discount", None),
                    RowKind::Tax => ("tax", None),
                    RowKind::Total => ("total", Some(total_id.clone())),
                };
                let shown = if row.kind == RowKind::Discount {
                    format!("−{}", locale.money(&Money::new(-row.amount.amount(), row.amount.currency())))
                } else {
                    locale.money(&row.amount)
                };
                view! {
                    <div class=class data-row=class>
                        <dt>{summary.label(row.kind, locale)}</dt>
                        <dd id=id data-amount=row.amount.amount().to_string()>{shown}</dd>
                    </div>
                }
            }).collect_view()}
        </dl>
    }
}
