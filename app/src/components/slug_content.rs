use crate::locale::use_locale;
use crate::{
    api::error::AppError,
    components::{
        async_view::async_view,
        status::{ErrorNotice, NotFound},
    },
};
use leptos::{either::EitherOf3, prelude::*};
use leptos_i18n::td_string;
use leptos_router::hooks::use_params_map;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// Loads what the route's `:slug` names with `fetch` and shows it with `render`; nothing
/// found is the 404 page (status 404 on the server), a failure its plain message.
pub fn slug_content<T, Fut, V>(
    fetch: impl Fn(String) -> Fut + Send + Sync + 'static,
    render: impl Fn(T) -> V + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<T>, AppError>> + Send + 'static,
    V: IntoView + Send + 'static,
{
    let locale = use_locale();
    let params = use_params_map();
    let content = Resource::new(move || params.read().get("slug").unwrap_or_default(), fetch);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, pages.loading)}</p> }>
            {async_view(move || Suspend::new(async move {
                match content.await {
                    Ok(Some(found)) => EitherOf3::A(render(found)),
                    Ok(None) => EitherOf3::B(view! { <NotFound /> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}
