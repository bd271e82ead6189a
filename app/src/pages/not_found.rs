use crate::components::status::NotFound;
use leptos::prelude::*;

/// Any path no route matches.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFound /> }
}
