//! *Purchase & Renew → Product catalog*: search by text, category, licence type and metric; paged
//! results priced at the viewer's level. The search lives in the URL, so reload, back and links work.

use entitle_core::catalog::{Metric, PartType};
use entitle_core::dto::{CatalogPage as Page, CatalogQuery, CatalogSort, PartSummary};
use entitle_core::locale::Locale;
use entitle_core::money::Currency;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

use crate::api::{self, ApiError};
use crate::i18n::{Key, metric_label, part_type_label, t, use_locale};

/// Currencies a signed-out visitor may price the catalog in.
const VISITOR_CURRENCIES: [Currency; 3] = [Currency::Usd, Currency::Eur, Currency::Idr];
/// Rows of skeleton shown while a page loads (the default page size keeps the layout still).
const SKELETON_ROWS: usize = 8;

const SORTS: [(CatalogSort, Key); 4] = [
    (CatalogSort::Relevance, Key::SortRelevance),
    (CatalogSort::PartNumber, Key::SortPartNumber),
    (CatalogSort::PriceAsc, Key::SortPriceAsc),
    (CatalogSort::PriceDesc, Key::SortPriceDesc),
];

/// Reads the query from the URL; values that don't parse are dropped rather than failing the page.
fn query_from(map: &ParamsMap) -> CatalogQuery {
    let sort = map
        .get("sort")
        .and_then(|s| SORTS.iter().map(|x| x.0).find(|c| c.code() == s));
    CatalogQuery {
        q: map.get("q").filter(|s| !s.trim().is_empty()),
        category: map.get("category").filter(|s| !s.is_empty()),
        part_type: map.get("part_type").and_then(|s| s.parse().ok()),
        metric: map.get("metric").and_then(|s| s.parse().ok()),
        page: map
            .get("page")
            .and_then(|s| s.parse().ok())
            .filter(|p| *p > 1),
        per_page: None,
        sort: sort.filter(|s| *s != CatalogSort::Relevance),
        currency: map.get("currency").and_then(|s| s.parse().ok()),
        site: map.get("site").filter(|s| !s.is_empty()),
    }
}

/// The catalog page, loaded the first time it opens.
pub struct CatalogRoute;

crate::pages::grouped_route!(
    browse,
    CatalogRoute,
    catalog_route_view,
    catalog_route_preload,
    { view! { <CatalogPage/> }.into_any() }
);

/// The catalog page.
#[component]
fn CatalogPage() -> impl IntoView {
    let locale = use_locale();
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_from(&query_map.get()));
    let navigate = use_navigate();
    let go = move |q: CatalogQuery| {
        let qs = q.to_query_string();
        navigate(
            &if qs.is_empty() {
                "/catalog".to_owned()
            } else {
                format!("/catalog?{qs}")
            },
            NavigateOptions::default(),
        );
    };

    // The text box is edited freely and applied on submit; filters apply at once.
    let text = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    Effect::new(move |_| text.set(query.get().q.unwrap_or_default()));

    let categories = LocalResource::new(api::categories);
    let site = crate::ui::current_site();
    let session = crate::session::use_session();
    let results = LocalResource::new(move || {
        // Until the session is known the site (and so the price level) is not: searching then would
        // ask twice and draw the list twice.
        let unknown = session
            .0
            .with(|s| matches!(s, crate::session::SessionState::Loading));
        let mut q = query.get();
        // Signed in: priced at the level of the site the user works on.
        if q.site.is_none() {
            q.site = site.get().map(|s| s.customer_number);
        }
        async move {
            if unknown {
                return None;
            }
            Some(api::search_catalog(&q).await)
        }
    });

    let go_submit = go.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = query.get_untracked();
        q.q = Some(text.get_untracked()).filter(|s| !s.trim().is_empty());
        q.page = None;
        go_submit(q);
    };
    let go_filter = go.clone();
    let set_filter = move |apply: &dyn Fn(&mut CatalogQuery)| {
        let mut q = query.get_untracked();
        apply(&mut q);
        q.page = None;
        go_filter(q);
    };
    let sf_cat = set_filter.clone();
    let sf_type = set_filter.clone();
    let sf_metric = set_filter.clone();
    let sf_sort = set_filter.clone();
    let sf_cur = set_filter;

    view! {
        <section class="page catalog">
            <h1>{move || t(locale.get(), Key::CatalogTitle)}</h1>
            <p class="lead">{move || t(locale.get(), Key::CatalogIntro)}</p>
            <form class="catalog-search" role="search" on:submit=on_submit>
                <div class="field grow">
                    <label for="catalog-q">{move || t(locale.get(), Key::SearchLabel)}</label>
                    <input id="catalog-q" name="q" type="search" autocomplete="off"
                        placeholder=move || t(locale.get(), Key::SearchPlaceholder)
                        bind:value=text/>
                </div>
                <button type="submit" class="primary">{move || t(locale.get(), Key::SearchButton)}</button>
                <div class="field">
                    <label for="catalog-category">{move || t(locale.get(), Key::Category)}</label>
                    <select id="catalog-category" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        sf_cat(&|q| q.category = Some(v.clone()).filter(|s| !s.is_empty()));
                    }>
                        <option value="" selected=move || query.get().category.is_none()>
                            {move || t(locale.get(), Key::AllCategories)}
                        </option>
                        {move || categories.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                            let name = c.category.as_str().to_owned();
                            let selected_name = name.clone();
                            view! {
                                <option value=name.clone()
                                    selected=move || query.get().category.as_deref() == Some(selected_name.as_str())>
                                    {format!("{name} ({})", c.parts)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="catalog-type">{move || t(locale.get(), Key::LicenceType)}</label>
                    <select id="catalog-type" on:change=move |ev| {
                        let v = event_target_value(&ev).parse::<PartType>().ok();
                        sf_type(&|q| q.part_type = v);
                    }>
                        <option value="" selected=move || query.get().part_type.is_none()>
                            {move || t(locale.get(), Key::AllTypes)}
                        </option>
                        {PartType::ALL.iter().map(|p| view! {
                            <option value=p.code() selected=move || query.get().part_type == Some(*p)>
                                {move || part_type_label(locale.get(), *p)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="catalog-metric">{move || t(locale.get(), Key::Metric)}</label>
                    <select id="catalog-metric" on:change=move |ev| {
                        let v = event_target_value(&ev).parse::<Metric>().ok();
                        sf_metric(&|q| q.metric = v);
                    }>
                        <option value="" selected=move || query.get().metric.is_none()>
                            {move || t(locale.get(), Key::AllMetrics)}
                        </option>
                        {Metric::ALL.iter().map(|m| view! {
                            <option value=m.code() selected=move || query.get().metric == Some(*m)>
                                {move || metric_label(locale.get(), *m)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="catalog-sort">{move || t(locale.get(), Key::Sort)}</label>
                    <select id="catalog-sort" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let s = SORTS.iter().map(|x| x.0).find(|c| c.code() == v).filter(|s| *s != CatalogSort::Relevance);
                        sf_sort(&|q| q.sort = s);
                    }>
                        {SORTS.iter().map(|(s, k)| view! {
                            <option value=s.code() selected=move || query.get().sort.unwrap_or_default() == *s>
                                {move || t(locale.get(), *k)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                // Signed in, prices are in the site's currency: the selector would do nothing.
                <div class="field" hidden=move || site.get().is_some()>
                    <label for="catalog-currency">{move || t(locale.get(), Key::Currency)}</label>
                    <select id="catalog-currency" on:change=move |ev| {
                        let v = event_target_value(&ev).parse::<Currency>().ok();
                        sf_cur(&|q| q.currency = v.filter(|c| *c != Currency::Usd));
                    }>
                        {VISITOR_CURRENCIES.iter().map(|c| view! {
                            <option value=c.code() selected=move || query.get().currency.unwrap_or(Currency::Usd) == *c>
                                {c.code()}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
            </form>
            <div class="results" aria-live="polite" aria-busy=move || results.get().flatten().is_none().to_string()>
                {move || match results.get().flatten() {
                    None => skeleton(locale.get()).into_any(),
                    Some(Err(e)) => error_view(locale.get(), &e, results).into_any(),
                    Some(Ok(page)) if page.items.is_empty() => view! {
                        <div class="empty" role="status">
                            <h2>{t(locale.get(), Key::NoResultsTitle)}</h2>
                            <p>{t(locale.get(), Key::NoResultsHelp)}</p>
                            {site.get().map(|s| {
                                let l = locale.get();
                                let (who, c) = match s.business_partner {
                                    Some(bp) => (crate::ui::tx(l, "Your Business Partner", "Mitra Bisnis Anda"), bp),
                                    None => (crate::ui::tx(l, "Your sales representative", "Perwakilan penjualan Anda"), s.sales_rep),
                                };
                                view! {
                                    <p id="catalog-contact">
                                        {format!("{who}: {} · ", c.name)}
                                        <a href=format!("mailto:{}", c.email)>{c.email.clone()}</a>
                                        {(!c.phone.is_empty()).then(|| format!(" · {}", c.phone))}
                                    </p>
                                }
                            })}
                        </div>
                    }.into_any(),
                    Some(Ok(page)) => results_view(locale.get(), &page, query.get(), go.clone()).into_any(),
                }}
            </div>
        </section>
    }
}

fn skeleton(locale: Locale) -> impl IntoView {
    view! {
        <p class="range skeleton-text">{t(locale, Key::Loading)}</p>
        <table class="parts skeleton" aria-hidden="true">
            <tbody>
                {(0..SKELETON_ROWS).map(|_| view! {
                    <tr><td><span class="bone"></span></td><td><span class="bone wide"></span></td><td><span class="bone"></span></td><td><span class="bone"></span></td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn error_view(
    locale: Locale,
    e: &ApiError,
    results: LocalResource<Option<Result<Page, ApiError>>>,
) -> impl IntoView {
    let message = if matches!(e, ApiError::Network(_)) {
        Key::ErrorNetwork
    } else {
        Key::ErrorGeneric
    };
    view! {
        <div class="alert error" role="alert">
            <h2>{t(locale, Key::ErrorTitle)}</h2>
            <p>{t(locale, message)}</p>
            <button type="button" on:click=move |_| results.refetch()>{t(locale, Key::Retry)}</button>
        </div>
    }
}

fn results_view(
    locale: Locale,
    page: &Page,
    query: CatalogQuery,
    go: impl Fn(CatalogQuery) + Clone + 'static,
) -> impl IntoView {
    let from = u64::from(page.page - 1) * u64::from(page.per_page) + 1;
    let to = from + page.items.len() as u64 - 1;
    let range = t(locale, Key::ResultsRange)
        .replace("{from}", &locale.number(from.into(), 0))
        .replace("{to}", &locale.number(to.into(), 0))
        .replace("{total}", &locale.number(page.total.into(), 0));
    let has_prev = page.page > 1;
    let has_next = u64::from(page.page) < page.pages();
    let (go_prev, go_next) = (go.clone(), go);
    let (q_prev, q_next) = (query.clone(), query);
    let current = page.page;
    view! {
        <p class="range">{range}</p>
        <table class="parts">
            <thead>
                <tr>
                    <th scope="col">{t(locale, Key::PartNumber)}</th>
                    <th scope="col">{t(locale, Key::Description)}</th>
                    <th scope="col">{t(locale, Key::Metric)}</th>
                    <th scope="col" class="num">{t(locale, Key::UnitPrice)}</th>
                </tr>
            </thead>
            <tbody>
                {page.items.iter().map(|p| part_row(locale, p)).collect_view()}
            </tbody>
        </table>
        <nav class="pager" aria-label=t(locale, Key::ResultsPagination)>
            <button type="button" disabled=!has_prev on:click=move |_| {
                let mut q = q_prev.clone();
                q.page = Some(current - 1).filter(|p| *p > 1);
                go_prev(q);
            }>{t(locale, Key::Previous)}</button>
            <button type="button" disabled=!has_next on:click=move |_| {
                let mut q = q_next.clone();
                q.page = Some(current + 1);
                go_next(q);
            }>{t(locale, Key::Next)}</button>
        </nav>
    }
}

fn part_row(locale: Locale, p: &PartSummary) -> impl IntoView {
    let monthly = matches!(
        p.part_type,
        PartType::MonthlyLicense | PartType::Subscription
    );
    view! {
        <tr>
            <td class="part-number"><a href=format!("/catalog/parts/{}", p.part_number)>{p.part_number.to_string()}</a></td>
            <td>
                <span class="description">{p.description.clone()}</span>
                <span class="meta">{format!("{} · {} · {} {}", p.category, part_type_label(locale, p.part_type), p.points, if p.points == 1 { crate::ui::tx(locale, "point", "poin") } else { t(locale, Key::Points) })}</span>
            </td>
            <td>{metric_label(locale, p.metric)}</td>
            <td class="num price">
                {locale.money(&p.price)}
                {monthly.then(|| view! { <span class="meta">{t(locale, Key::PerMonth)}</span> })}
            </td>
        </tr>
    }
}
