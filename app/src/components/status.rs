//! Pages for when there is nothing to show: not found, or the server failed.

use crate::{api::error::AppError, components::page_meta::PageMeta};
use leptos::prelude::*;
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
    view! {
        <PageMeta
            title="Page not found"
            description="The page you asked for does not exist on this site."
        />
        <section class="status-page" aria-labelledby="status-title">
            <h1 id="status-title">"We could not find that page"</h1>
            <p>
                "The address may be mistyped, or the page may have moved. "
                "These may help you find what you were looking for:"
            </p>
            <ul class="status-links">
                <li><A href="/">"The home page"</A></li>
                <li><A href="/news">"All news"</A></li>
                <li><A href="/take-action">"The Call to Action for Leadership to build Shared Societies"</A></li>
            </ul>
        </section>
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
    view! {
        <PageMeta title="Something went wrong" description=error.to_string() />
        <section class="status-page" role="alert" aria-labelledby="status-title">
            <h1 id="status-title">"This page could not be loaded"</h1>
            <p>{error.to_string()}</p>
            {reference.map(|id| view! {
                <p>"If you contact us about this, quote the reference " <code>{id}</code> "."</p>
            })}
        </section>
    }
}

/// An address whose parts cannot mean anything (`?page=abc`), answered with status 400.
#[component]
pub fn BadRequest(#[prop(into)] message: String) -> impl IntoView {
    set_status(400);
    view! {
        <PageMeta title="Bad request" description=message.clone() />
        <section class="status-page" aria-labelledby="status-title">
            <h1 id="status-title">"This address could not be understood"</h1>
            <p>{message}</p>
            <ul class="status-links">
                <li><A href="/news">"All news"</A></li>
                <li><A href="/">"The home page"</A></li>
            </ul>
        </section>
    }
}
