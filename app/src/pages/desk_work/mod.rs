//! The desk's other queues (staff only): quote requests to price (`/desk/quote-requests`, sales reps),
//! orders to fulfil (`/desk/orders`) and the audit log (`/desk/audit`, admins). The quote form checks
//! the rep's terms with `entitle-core` as they are typed, the same rules the server applies.

mod audit;
mod orders;
mod quote_requests;

use audit::*;
use orders::*;
use quote_requests::*;

use entitle_core::dto::{
    AuditEntry, ChangeOrderStatus, OrderView, QuoteRequestStatus, QuoteRequestView, SendQuote,
};
use entitle_core::locale::Locale;
use entitle_core::order::OrderStatus;
use entitle_core::quote::QuoteTerms;
use entitle_core::validation::Explain;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::clock::today;
use crate::i18n::{Key, t, use_locale};
use crate::pages::desk::StaffOnly;
use crate::session::RequireSession;
use crate::ui::{Skeleton, error_text, tx};

/// `/desk/quote-requests`, loaded the first time it opens.
pub struct DeskQuoteRequestsRoute;

crate::pages::grouped_route!(
    desk,
    DeskQuoteRequestsRoute,
    desk_quote_requests_route_view,
    desk_quote_requests_route_preload,
    {
        view! { <RequireSession><StaffOnly><QuoteRequests/></StaffOnly></RequireSession> }
            .into_any()
    }
);

/// `/desk/orders`, loaded the first time it opens.
pub struct DeskOrdersRoute;

crate::pages::grouped_route!(
    desk,
    DeskOrdersRoute,
    desk_orders_route_view,
    desk_orders_route_preload,
    { view! { <RequireSession><StaffOnly><Orders/></StaffOnly></RequireSession> }.into_any() }
);

/// `/desk/audit`, loaded the first time it opens.
pub struct AuditRoute;

crate::pages::grouped_route!(desk, AuditRoute, audit_route_view, audit_route_preload, {
    view! { <RequireSession><StaffOnly><Audit/></StaffOnly></RequireSession> }.into_any()
});

fn breadcrumb(l: Locale) -> impl IntoView {
    view! { <p class="breadcrumb"><A href="/desk">{tx(l, "Desk", "Meja kerja")}</A></p> }
}
