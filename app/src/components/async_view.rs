//! The async child of a `<Suspense>`.

use leptos::prelude::*;

/// The child of a `<Suspense>` that awaits resources; `suspend` makes the [`Suspend`].
///
/// In the browser the closure itself is the child, so the view follows its resources (the
/// post page shows the next post after navigation in the app). The server renders once and
/// follows nothing, and there Leptos 0.8's `<Suspense>` calls a closure child three times (two
/// dry runs that look for resources, then the render): each call built the whole page again,
/// and a post's structured data went into the page three times. A single `Suspend` is built
/// once; the dry runs keep the view it made. The markup is the same, as a closure adds no
/// markers of its own.
pub fn async_view<V>(suspend: impl Fn() -> Suspend<V> + Send + Sync + 'static) -> impl IntoView
where
    V: IntoView + 'static,
{
    #[cfg(feature = "ssr")]
    {
        suspend()
    }
    #[cfg(not(feature = "ssr"))]
    {
        suspend
    }
}
