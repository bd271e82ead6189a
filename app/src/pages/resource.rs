use crate::{
    api::content::get_pending_document,
    components::{page_meta::PageMeta, slug_content::slug_content},
    domain::PendingDocument,
};
use leptos::prelude::*;
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
    let path = document.href();
    let PendingDocument { title, post, .. } = document;
    view! {
        <PageMeta
            title=title.clone()
            description=format!("{title}: this document is not online yet.")
            path
        />
        <article class="status-page">
            <p class="post-kind">"Document"</p>
            <h1>{title}</h1>
            <p>
                "The text of this document is not online yet. We are adding the documents "
                "of the old site one by one; this page will show it once it is."
            </p>
            <p>
                "It belongs to the news post "
                <A href=post.href()>{post.title.clone()}</A>
                " of "
                <time datetime=post.published_on.iso()>{post.published_on.long()}</time>
                "."
            </p>
        </article>
    }
}
