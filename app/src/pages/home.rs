use crate::{
    api::content::list_latest_posts,
    components::{donation_prompt::DonationPrompt, page_meta::PageMeta, status::ErrorNotice},
    pages::news::PostList,
};
use leptos::{either::Either, prelude::*};
use leptos_router::components::A;

/// How many posts the home page lists.
const HOME_POSTS: u32 = 5;

/// `/`: what the project stands for, the latest news, and ways to help.
#[component]
pub fn HomePage() -> impl IntoView {
    let posts = Resource::new(|| (), |()| list_latest_posts(HOME_POSTS));
    view! {
        <PageMeta
            title=""
            description="News and calls to action of the Shared Societies Project: societies built on respect, equality of opportunity, absence of discrimination and democratic participation."
            path="/"
        />
        <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">"Building shared societies"</h1>
            <p class="lead">
                "Respect, Equality of opportunity, Absence of discrimination and Democratic "
                "participation: the principles of the Shared Societies project."
            </p>
            <p class="actions">
                <A href="/take-action" attr:class="button button-primary">
                    "Read the Call to Action for Leadership to build Shared Societies"
                </A>
            </p>
        </section>
        <section class="latest-news" aria-labelledby="latest-news-title">
            <h2 id="latest-news-title">"Latest news"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match posts.await {
                        Ok(posts) => Either::Left(view! { <PostList posts in_section=true /> }),
                        Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                    }
                })}
            </Suspense>
            <p><A href="/news">"All news"</A></p>
        </section>
        <DonationPrompt />
    }
}
