use crate::{
    api::content::get_pending_document,
    components::{page_meta::PageMeta, slug_content::slug_content},
    domain::PendingDocument,
    locale::{localized, long_date, use_locale},
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_router::components::A;

/// `/resources/{slug}`: an honest page for a document a post links to but we do not have
/// online yet, instead of a dead link.
#[component]
pub fn ResourcePage() -> impl IntoView {
    crate::page_cache::content_only();
    slug_content(
        get_pending_document,
        |document| view! { <NotOnlineYet document /> },
    )
}

#[component]
fn NotOnlineYet(document: PendingDocument) -> impl IntoView {
    let locale = use_locale();
    // The English address: PageMeta makes it canonical in the page's language.
    let path = document.href();
    let PendingDocument { title, post, .. } = document;
    view! {
        <PageMeta
            title=title.clone()
            description=td_string!(locale, pages.resource.description, title = &title)
            path
        />
        <article class="status-page">
            <p class="post-kind">{td_string!(locale, pages.resource.kind)}</p>
            <h1>{title}</h1>
            <p>{td_string!(locale, pages.resource.text)}</p>
            <p>
                {td_string!(locale, pages.resource.belongs_before)}
                <A href=localized(locale, &post.href())>{post.title.clone()}</A>
                {td_string!(locale, pages.resource.belongs_between)}
                <time datetime=post.published_on.iso()>{long_date(locale, post.published_on)}</time>
                {td_string!(locale, pages.resource.belongs_after)}
            </p>
        </article>
    }
}
