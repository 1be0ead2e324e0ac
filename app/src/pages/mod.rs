//! One module per page. Every page is a lazily loaded route: its code is in the wasm module of its
//! group, fetched the first time a route of the group opens.

/// Declares a lazily loaded route whose view is split off into the wasm module of `group`: the routes a
/// person uses together (browse, cart, renew, buy, start, account, desk).
///
/// Not one module per route (`#[lazy_route]`): wasm-split also makes a shared chunk for every set of
/// modules that use the same code, and with 21 route modules opening the catalog meant instantiating
/// 133 modules, the checkout 213 — most of a phone's start-up time. Seven groups need far fewer.
///
/// `grouped_route!(group, RouteType, view_fn, preload_fn, { view expression })`
macro_rules! grouped_route {
    ($group:ident, $route:ident, $view:ident, $preload:ident, $body:block) => {
        impl ::leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(this: Self) -> ::leptos::prelude::AnyView {
                $view(this).await
            }

            async fn preload() {
                $preload().await;
            }
        }

        #[::leptos::wasm_split::wasm_split(
            $group,
            wasm_split_path = ::leptos::wasm_split,
            preload(#[doc(hidden)] $preload)
        )]
        fn $view(_this: $route) -> ::leptos::prelude::AnyView $body
    };
}
pub(crate) use grouped_route;

pub mod account;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod coverage;
pub mod desk;
pub mod desk_work;
pub mod home;
pub mod not_found;
pub mod orders;
pub mod part;
pub mod quote;
pub mod quotes;
pub mod renewals;
pub mod second_factor;
pub mod security;
pub mod sign_in;
pub mod site_users;
