//! The signed-in user, shared through the component tree, and the guard that sends signed-out visitors
//! to sign in and back.

use entitle_core::dto::SessionInfo;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

/// Whether the session has been asked for yet, and who is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// Not known yet (the first `GET /session` is on its way).
    Loading,
    /// Signed out.
    SignedOut,
    /// Signed in.
    SignedIn(SessionInfo),
}

/// The session signal.
#[derive(Debug, Clone, Copy)]
pub struct Session(pub RwSignal<SessionState>);

/// Provides the session and asks the server who is signed in.
pub fn provide_session() {
    let state = RwSignal::new(SessionState::Loading);
    provide_context(Session(state));
    leptos::task::spawn_local(async move {
        let next = match crate::api::current_session().await {
            Ok(Some(info)) => SessionState::SignedIn(info),
            // Offline or failing: treat as signed out; pages that need a session ask to sign in.
            Ok(None) | Err(_) => SessionState::SignedOut,
        };
        state.set(next);
    });
}

/// The session signal (panics only if called outside the app, which is a programming error).
#[must_use]
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session(RwSignal::new(SessionState::SignedOut)))
}

/// A `return_to` value is only followed when it is a path of this site: no scheme, no `//host`.
#[must_use]
pub fn safe_return_to(raw: Option<String>) -> String {
    raw.filter(|r| r.starts_with('/') && !r.starts_with("//") && !r.contains('\\'))
        .unwrap_or_else(|| "/renewals".to_owned())
}

/// Shows `children` only when signed in; otherwise goes to sign-in with a way back here.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.0.get() == SessionState::SignedOut {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let mut target = String::from("/sign-in?return_to=");
            entitle_core::dto::percent_encode_into(&mut target, &here);
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });
    move || matches!(session.0.get(), SessionState::SignedIn(_)).then(|| children())
}
