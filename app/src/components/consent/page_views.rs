//! First-party page-view counting, the consumer of the analytics category: each page the
//! visitor opens is counted once, and only while they allow analytics. Withdrawing stops it at
//! the next page, without a reload.

use super::use_consent;
use crate::domain::analytics::counted_path;
use leptos::prelude::*;

/// Counts page views while analytics is allowed. Renders nothing.
#[component]
pub fn PageViewCounter() -> impl IntoView {
    let state = use_consent();
    // The last path counted: allowing analytics counts the page in view once, and switching
    // it off and on again on the same page does not count it twice.
    let counted = StoredValue::new(None::<String>);
    // The page in view. This island lives outside `<main>`, so it outlives the loader's page
    // swaps, which announce themselves with `site:navigated`.
    let (path, set_path) = signal(current_path());
    let listener = window_event_listener_untyped("site:navigated", move |_| {
        set_path.set(current_path());
    });
    on_cleanup(move || listener.remove());

    Effect::new(move |_| {
        let path = path.get();
        // Addresses that are not pages of the site are not sent: the server would refuse them.
        if !state.allowed().analytics || counted_path(&path).is_none() {
            return;
        }
        if counted.with_value(|last| last.as_deref() == Some(path.as_str())) {
            return;
        }
        counted.set_value(Some(path.clone()));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Err(error) = crate::api::consent::count_page_view(path).await {
                leptos::logging::warn!("page view not counted: {error}");
            }
        });
    });
}

fn current_path() -> String {
    #[cfg(feature = "hydrate")]
    return window().location().pathname().unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    String::new()
}
