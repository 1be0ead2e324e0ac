//! The form fields of checkout: labelled inputs with their problems, addresses, the card.

use super::*;

/// One labelled text input bound to a draft field, with its message and `aria-invalid`.
#[allow(clippy::too_many_arguments)]
pub(super) fn text_field(
    l: Locale,
    id: &'static str,
    label: String,
    form: RwSignal<Details>,
    get: Getter,
    set: Setter,
    problems: Signal<Problems>,
    autocomplete: &'static str,
    required: bool,
) -> AnyView {
    input_field(
        l,
        id.to_owned(),
        label,
        move || form.with(|f| get(f).clone()),
        move |v| form.update(|f| set(f, v)),
        problems,
        autocomplete,
        required,
    )
}

/// A labelled text input showing `value`, calling `set` as the customer types.
#[allow(clippy::too_many_arguments)]
pub(super) fn input_field(
    l: Locale,
    id: String,
    label: String,
    value: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + 'static,
    problems: Signal<Problems>,
    autocomplete: &'static str,
    required: bool,
) -> AnyView {
    let error_id = format!("{id}-error");
    let field = id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}{(!required).then_some(tx(l, " (optional)", " (opsional)"))}</label>
            <input id=id.clone() name=id.clone() type="text" autocomplete=autocomplete
                required=required
                prop:value=value
                aria-invalid=move || problem_of(&problems.get(), &field).map(|_| "true")
                aria-describedby=error_id
                on:input=move |e| set(event_target_value(&e))/>
            <FieldMessage field=id problems=problems/>
        </div>
    }
    .into_any()
}

pub(super) fn address_fields(
    l: Locale,
    prefix: &'static str,
    form: RwSignal<Details>,
    problems: Signal<Problems>,
    country: CountryCode,
) -> impl IntoView {
    let billing = prefix == "billing";
    let labels = [
        tx(l, "Company or name", "Perusahaan atau nama"),
        tx(l, "Street address", "Alamat jalan"),
        tx(l, "Building, floor", "Gedung, lantai"),
        tx(l, "City", "Kota"),
        tx(l, "State or province", "Provinsi"),
        tx(l, "Postal code", "Kode pos"),
    ];
    let region_required = entitle_core::validation::Address::region_required(country);
    view! {
        {AddressDraft::PARTS.iter().enumerate().map(|(i, (key, autocomplete))| input_field(
            l,
            format!("{prefix}-address-{key}"),
            labels[i].to_owned(),
            move || form.with(|f| f.address(billing).part(i).clone()),
            move |v| form.update(|f| *f.address_mut(billing).part_mut(i) = v),
            problems,
            autocomplete,
            // Building/floor is optional everywhere; the region only where addresses need one.
            i != 2 && (i != 4 || region_required),
        )).collect_view()}
        <p class="muted">{format!("{}: {}", tx(l, "Country", "Negara"), country.name(l))}</p>
    }
}

pub(super) fn card_fields(
    l: Locale,
    form: RwSignal<Details>,
    card: Card,
    problems: Signal<Problems>,
) -> impl IntoView {
    let digits = move || {
        card.number
            .get()
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    let brand = Memo::new(move |_| CardBrand::detect(&digits()));
    let code_hint = move || match brand.get() {
        Some(CardBrand::Amex) => tx(
            l,
            "4 digits on the front of the card, above the number",
            "4 digit di bagian depan kartu, di atas nomor",
        ),
        Some(b) if b.security_code_len() == 3 => tx(
            l,
            "3 digits on the back of the card",
            "3 digit di bagian belakang kartu",
        ),
        _ => tx(
            l,
            "3 digits on the back, or 4 on the front for American Express",
            "3 digit di belakang, atau 4 di depan untuk American Express",
        ),
    };
    let year_now = today().year();
    view! {
        <fieldset>
            <legend>{tx(l, "Card", "Kartu")}</legend>
            <div class="field">
                <label for="payment-number">{tx(l, "Card number", "Nomor kartu")}</label>
                <div class="card-number">
                    <input id="payment-number" type="text" inputmode="numeric" autocomplete="cc-number"
                        maxlength="23" aria-describedby="payment-number-brand payment-number-error"
                        aria-invalid=move || problem_of(&problems.get(), "payment-number").map(|_| "true")
                        prop:value=move || card.number.get()
                        on:input=move |e| card.number.set(format_card_number(&event_target_value(&e)))/>
                    <span id="payment-number-brand" class="brand" aria-live="polite">
                        {move || brand.get().map(|b| b.name())}
                    </span>
                </div>
                <FieldMessage field="payment-number" problems=problems/>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="payment-exp_month">{tx(l, "Expiry month", "Bulan kedaluwarsa")}</label>
                    <select id="payment-exp_month" autocomplete="cc-exp-month" aria-describedby="payment-exp_month-error"
                        aria-invalid=move || problem_of(&problems.get(), "payment-exp_month").map(|_| "true")
                        on:change=move |e| { let v = event_target_value(&e); form.update(|f| f.exp_month = v); }>
                        <option value="">{tx(l, "Month", "Bulan")}</option>
                        {(1..=12).map(|m| {
                            let v = format!("{m:02}");
                            view! { <option value=v.clone() selected=move || form.with(|f| f.exp_month == v)>{format!("{m:02}")}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage field="payment-exp_month" problems=problems/>
                </div>
                <div class="field">
                    <label for="payment-exp_year">{tx(l, "Expiry year", "Tahun kedaluwarsa")}</label>
                    <select id="payment-exp_year" autocomplete="cc-exp-year" aria-describedby="payment-exp_year-error"
                        aria-invalid=move || problem_of(&problems.get(), "payment-exp_year").map(|_| "true")
                        on:change=move |e| { let v = event_target_value(&e); form.update(|f| f.exp_year = v); }>
                        <option value="">{tx(l, "Year", "Tahun")}</option>
                        {(year_now..year_now + 16).map(|y| {
                            let v = y.to_string();
                            view! { <option value=v.clone() selected=move || form.with(|f| f.exp_year == v)>{y}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage field="payment-exp_year" problems=problems/>
                </div>
                <div class="field">
                    <label for="payment-security_code">{tx(l, "Security code", "Kode keamanan")}</label>
                    <input id="payment-security_code" type="password" inputmode="numeric" autocomplete="cc-csc"
                        maxlength="4" size="5" aria-describedby="payment-security_code-hint payment-security_code-error"
                        aria-invalid=move || problem_of(&problems.get(), "payment-security_code").map(|_| "true")
                        prop:value=move || card.code.get()
                        on:input=move |e| card.code.set(event_target_value(&e))/>
                    <p class="hint" id="payment-security_code-hint">{code_hint}</p>
                    <FieldMessage field="payment-security_code" problems=problems/>
                </div>
            </div>
            {text_field(l, "payment-name", tx(l, "Name on card", "Nama pada kartu").to_owned(), form, |f| &f.card_name, |f, v| f.card_name = v, problems, "cc-name", true)}
        </fieldset>
    }
}
