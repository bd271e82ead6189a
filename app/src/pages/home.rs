use crate::components::{
    donation_prompt::DonationPrompt, page_meta::PageMeta, post_list::LatestPosts,
    signature_meter::LiveSignatureMeter,
};
use crate::site::LOGO_MARK_PATH;
use leptos::prelude::*;
use leptos_router::components::A;

/// How many posts the home page lists.
const HOME_POSTS: u32 = 5;

/// `/`: what the project stands for, the latest news, and ways to help.
#[component]
pub fn HomePage() -> impl IntoView {
    crate::page_cache::content_and_figures();
    view! {
        <PageMeta
            title=""
            description="News and calls to action of the Shared Societies Project: societies built on respect, equality of opportunity, absence of discrimination and democratic participation."
            path="/"
        />
        <section class="hero" aria-labelledby="hero-title">
            <div class="hero-text">
                <p class="post-kind">"The Shared Societies Project"</p>
                <h1 id="hero-title">"Societies where everyone belongs"</h1>
                <p class="lead">
                    "Respect, equality of opportunity, absence of discrimination and democratic "
                    "participation: four principles, and a call for leaders to build on them."
                </p>
                <LiveSignatureMeter />
                <p class="actions">
                    <A href="/take-action" attr:class="button button-primary">"Sign the call"</A>
                    <A href="/donate" attr:class="button">"Donate"</A>
                </p>
            </div>
            <img class="hero-art" src=LOGO_MARK_PATH width="240" height="240" alt="" />
        </section>
        <section class="latest-news" aria-labelledby="latest-news-title">
            <h2 id="latest-news-title">"Latest news"</h2>
            <LatestPosts limit=HOME_POSTS in_section=true />
            <p class="more"><A href="/news">"All news"</A></p>
        </section>
        <DonationPrompt />
    }
}
