//! Whether an island is interactive yet.

use leptos::prelude::*;

/// `false` until the calling island is interactive; controls that need JavaScript stay hidden
/// till then. Per island, because an island swapped in with a page hydrates later than the
/// page's first ones: a page-wide signal would already be `true` then and the server's markup
/// would not match.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    // Effects run in the browser only, once the island has hydrated.
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
