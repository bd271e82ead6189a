//! Pages for when there is nothing to show: not found, or the server failed.

use crate::{
    api::error::AppError,
    components::page_meta::PageMeta,
    locale::{localized, use_locale, Locale},
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_router::components::A;

/// Sets the HTTP status of the server-rendered response; nothing to do in the browser.
pub fn set_status(_code: u16) {
    #[cfg(feature = "ssr")]
    crate::server::http::set_status(_code);
}

/// A helpful "not found" page, answered with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let locale = use_locale();
    view! {
        <PageMeta
            title=td_string!(locale, forms.status.not_found.title)
            description=td_string!(locale, forms.status.not_found.description)
        />
        <section class="status-page" aria-labelledby="status-title">
            <h1 id="status-title">{td_string!(locale, forms.status.not_found.heading)}</h1>
            <p>{td_string!(locale, forms.status.not_found.text)}</p>
            <ul class="status-links">
                <li>
                    <A href=localized(locale, "/")>
                        {td_string!(locale, forms.status.not_found.home)}
                    </A>
                </li>
                <li>
                    <A href=localized(locale, "/news")>
                        {td_string!(locale, forms.status.not_found.news)}
                    </A>
                </li>
                <li>
                    <A href=localized(locale, "/take-action")>
                        {td_string!(locale, forms.status.not_found.call)}
                    </A>
                </li>
            </ul>
        </section>
    }
}

/// What a failed server function tells the reader, in `locale`.
fn explain(error: &AppError, locale: Locale) -> &'static str {
    match error {
        AppError::BadRequest => td_string!(locale, forms.status.error.bad_request),
        AppError::Unavailable => td_string!(locale, forms.status.error.unavailable),
    }
}

/// Shown when a server function failed: the plain message, never the cause.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_status(error.status());
    // The server's id of the request that failed, carried into hydration unchanged; a page
    // that failed in the browser has none to give.
    let reference = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            crate::server::http::request_id()
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<String>
        }
    })
    .into_inner();
    let locale = use_locale();
    let message = explain(&error, locale);
    view! {
        <PageMeta title=td_string!(locale, forms.status.error.title) description=message />
        <section class="status-page" role="alert" aria-labelledby="status-title">
            <h1 id="status-title">{td_string!(locale, forms.status.error.heading)}</h1>
            <p>{message}</p>
            {reference.map(|id| view! {
                <p>
                    {td_string!(locale, forms.status.error.reference_before)}
                    <code>{id}</code>
                    {td_string!(locale, forms.status.error.reference_after)}
                </p>
            })}
        </section>
    }
}

/// An address whose parts cannot mean anything (`?page=abc`), answered with status 400.
#[component]
pub fn BadRequest(#[prop(into)] message: String) -> impl IntoView {
    set_status(400);
    let locale = use_locale();
    view! {
        <PageMeta title=td_string!(locale, forms.status.bad_request.title) description=message.clone() />
        <section class="status-page" aria-labelledby="status-title">
            <h1 id="status-title">{td_string!(locale, forms.status.bad_request.heading)}</h1>
            <p>{message}</p>
            <ul class="status-links">
                <li>
                    <A href=localized(locale, "/news")>
                        {td_string!(locale, forms.status.bad_request.news)}
                    </A>
                </li>
                <li>
                    <A href=localized(locale, "/")>
                        {td_string!(locale, forms.status.bad_request.home)}
                    </A>
                </li>
            </ul>
        </section>
    }
}
