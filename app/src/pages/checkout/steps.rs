//! The wizard's steps: billing and shipping details, then review and submit.

use super::*;
use crate::components::money::MoneyBlock;

pub(super) fn details_step(
    l: Locale,
    form: RwSignal<Details>,
    problems: Signal<Problems>,
    country: CountryCode,
    terms: entitle_core::dto::TermsView,
    on_submit: impl FnMut(ev::SubmitEvent) + 'static,
) -> impl IntoView {
    let tax_label = if country == CountryCode::ID {
        tx(l, "NPWP (tax ID)", "NPWP").to_owned()
    } else {
        tx(l, "Tax ID", "Nomor pajak").to_owned()
    };
    view! {
        <form class="stack" novalidate on:submit=on_submit>
            <fieldset>
                <legend>{tx(l, "Billing address", "Alamat penagihan")}</legend>
                {address_fields(l, "billing", form, problems, country)}
            </fieldset>
            <fieldset>
                <legend>{tx(l, "Billing contact", "Kontak penagihan")}</legend>
                {text_field(l, "billing-contact_name", t(l, Key::Name).to_owned(), form, |f| &f.contact, |f, v| f.contact = v, problems, "name", true)}
                {text_field(l, "billing-email", t(l, Key::Email).to_owned(), form, |f| &f.email, |f, v| f.email = v, problems, "email", true)}
                {text_field(l, "billing-phone", t(l, Key::Phone).to_owned(), form, |f| &f.phone, |f, v| f.phone = v, problems, "tel", false)}
                {text_field(l, "billing-tax_id", tax_label, form, |f| &f.tax_id, |f, v| f.tax_id = v, problems, "off", country == CountryCode::ID)}
            </fieldset>
            <div class="field checkbox">
                <input id="ship-other" type="checkbox" prop:checked=move || form.with(|f| f.ship_other)
                    on:change=move |e| { let on = event_target_checked(&e); form.update(|f| f.ship_other = on); }/>
                <label for="ship-other">{tx(l, "Ship to a different address", "Kirim ke alamat lain")}</label>
            </div>
            {move || form.with(|f| f.ship_other).then(|| view! {
                <fieldset>
                    <legend>{tx(l, "Shipping address", "Alamat pengiriman")}</legend>
                    {address_fields(l, "shipping", form, problems, country)}
                    {text_field(l, "shipping-contact_name", t(l, Key::Name).to_owned(), form, |f| &f.s_contact, |f, v| f.s_contact = v, problems, "name", true)}
                    {text_field(l, "shipping-email", t(l, Key::Email).to_owned(), form, |f| &f.s_email, |f, v| f.s_email = v, problems, "email", true)}
                </fieldset>
            })}
            <div class="terms">
                <h2 id="terms-title">{terms.title.clone()}</h2>
                // Focusable, so a keyboard user can scroll the terms.
                <div class="terms-body" tabindex="0" role="region" aria-labelledby="terms-title">
                    {terms.body.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
                </div>
                <div class="field checkbox">
                    <input id="accept_terms" type="checkbox" aria-describedby="accept_terms-error"
                        aria-invalid=move || problem_of(&problems.get(), "accept_terms").map(|_| "true")
                        prop:checked=move || form.with(|f| f.accept_terms)
                        on:change=move |e| { let on = event_target_checked(&e); form.update(|f| f.accept_terms = on); }/>
                    <label for="accept_terms">{tx(l, "I agree to the terms and conditions", "Saya menyetujui syarat dan ketentuan")}</label>
                    <FieldMessage field="accept_terms" problems=problems/>
                </div>
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="continue">{tx(l, "Continue", "Lanjutkan")}</button>
            </div>
        </form>
    }
}

pub(super) struct ReviewArgs {
    pub(super) form: RwSignal<Details>,
    pub(super) card: Card,
    pub(super) problems: Signal<Problems>,
    pub(super) cart: CartView,
    pub(super) methods: Vec<PaymentMethod>,
    pub(super) country: CountryCode,
    pub(super) sending: RwSignal<bool>,
    pub(super) waiting_online: RwSignal<bool>,
    /// Back to the details step.
    pub(super) to_details: Callback<()>,
}

pub(super) fn method_label(l: Locale, m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Card => tx(l, "Credit card", "Kartu kredit"),
        PaymentMethod::PurchaseOrder => tx(l, "Purchase order", "Pesanan pembelian (PO)"),
        PaymentMethod::BankTransfer => tx(l, "Bank transfer", "Transfer bank"),
    }
}

pub(super) fn review_step(
    l: Locale,
    a: ReviewArgs,
    on_submit: impl FnMut(ev::SubmitEvent) + 'static,
) -> impl IntoView {
    let ReviewArgs {
        form,
        card,
        problems,
        cart,
        methods,
        country,
        sending,
        waiting_online,
        to_details,
    } = a;
    let f = form.get_untracked();
    let a = &f.billing_address;
    let billing_lines = [
        a.name.clone(),
        a.line1.clone(),
        a.line2.clone(),
        format!("{} {}", a.postal_code, a.city),
        a.region.clone(),
        country.name(l).to_owned(),
    ];
    view! {
        <section aria-labelledby="review-items">
            <h2 id="review-items">{tx(l, "Your order", "Pesanan Anda")}</h2>
            <table class="data">
                <thead><tr>
                    <th scope="col">{t(l, Key::PartNumber)}</th>
                    <th scope="col">{t(l, Key::Description)}</th>
                    <th scope="col" class="num">{t(l, Key::Quantity)}</th>
                    <th scope="col" class="num">{t(l, Key::Amount)}</th>
                </tr></thead>
                <tbody>
                    {cart.lines.iter().map(|line| view! {
                        <tr>
                            <td class="part-number">{line.part_number.to_string()}</td>
                            <td>{line.description.clone()}</td>
                            <td class="num" data-label=t(l, Key::Quantity)>{line.quantity}</td>
                            <td class="num" data-label=t(l, Key::Amount) data-line-amount=line.extended.amount().to_string()>{l.money(&line.extended)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <MoneyBlock locale=l summary=cart.summary.clone() total_id="review-total"/>
        </section>
        <section aria-labelledby="review-billing">
            <h2 id="review-billing">{tx(l, "Billing", "Penagihan")}</h2>
            <address>
                {billing_lines.into_iter().filter(|s| !s.trim().is_empty()).map(|s| view! { <span>{s}</span><br/> }).collect_view()}
            </address>
            <p>{format!("{} · {}", f.contact, f.email)}</p>
            <button type="button" class="link" on:click=move |_| to_details.run(())>
                {tx(l, "Change billing and shipping", "Ubah penagihan dan pengiriman")}
            </button>
        </section>
        <form class="stack" novalidate on:submit=on_submit>
            <fieldset>
                <legend>{tx(l, "Payment method", "Metode pembayaran")}</legend>
                {methods.into_iter().map(|m| view! {
                    <label class="choice">
                        <input type="radio" name="method" value=m.code()
                            prop:checked=move || form.with(|f| f.method == m.code())
                            on:change=move |_| form.update(|f| f.method = m.code().to_owned())/>
                        {method_label(l, m)}
                    </label>
                }).collect_view()}
            </fieldset>
            {move || match form.with(|f| f.method.clone()).as_str() {
                "card" => card_fields(l, form, card, problems).into_any(),
                "purchase_order" => view! {
                    <fieldset>
                        <legend>{tx(l, "Purchase order", "Pesanan pembelian (PO)")}</legend>
                        {text_field(l, "payment-po_number", tx(l, "PO number", "Nomor PO").to_owned(), form, |f| &f.po_number, |f, v| f.po_number = v, problems, "off", true)}
                        <p class="muted">{tx(l, "You can upload the PO document from the order page after you submit.", "Anda dapat mengunggah dokumen PO dari halaman pesanan setelah mengirim.")}</p>
                    </fieldset>
                }.into_any(),
                _ => view! {
                    <p class="muted">{tx(l, "You will receive the bank details with your order confirmation.", "Rincian bank akan dikirim bersama konfirmasi pesanan Anda.")}</p>
                }.into_any(),
            }}
            <div aria-live="polite" id="submit-state">
                {move || waiting_online.get().then(|| view! {
                    <p class="alert info">{tx(l, "You are offline. Your order is kept and will be sent once, as soon as the connection returns.", "Anda sedang offline. Pesanan Anda disimpan dan akan dikirim satu kali segera setelah koneksi kembali.")}</p>
                })}
            </div>
            <FieldMessage field="submit-order" problems=problems/>
            <div class="actions">
                <button type="submit" class="primary" id="submit-order" disabled=move || sending.get() aria-busy=move || sending.get().to_string()>
                    {move || if sending.get() { tx(l, "Submitting…", "Mengirim…") } else { tx(l, "Submit", "Kirim") }}
                </button>
            </div>
        </form>
    }
}
