use crate::{
    api::content::get_pending_document,
    components::{
        page_meta::PageMeta,
        status::{ErrorNotice, NotFound},
    },
    domain::PendingDocument,
};
use leptos::{either::EitherOf3, prelude::*};
use leptos_router::{components::A, hooks::use_params_map};

/// `/resources/{slug}`: an honest page for a document a post links to but we do not have
/// online yet, instead of a dead link.
#[component]
pub fn ResourcePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_pending_document,
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(document)) => EitherOf3::A(view! { <NotOnlineYet document /> }),
                    Ok(None) => EitherOf3::B(view! { <NotFound /> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            })}
        </Suspense>
    }
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
