use crate::components::{
    donation_prompt::DonationPrompt, page_meta::PageMeta, post_list::LatestPosts,
    signature_meter::LiveSignatureMeter,
};
use leptos::prelude::*;
use leptos_router::components::A;

/// How many posts the home page lists.
const HOME_POSTS: u32 = 5;

/// `/`: what the project stands for, the latest news, and ways to help.
#[component]
pub fn HomePage() -> impl IntoView {
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
            <div class="hero-call">
                <LiveSignatureMeter />
                <p class="actions">
                    <A href="/take-action" attr:class="button button-primary">
                        "Read and sign the Call to Action for Leadership to build Shared Societies"
                    </A>
                </p>
            </div>
        </section>
        <section class="latest-news" aria-labelledby="latest-news-title">
            <h2 id="latest-news-title">"Latest news"</h2>
            <LatestPosts limit=HOME_POSTS in_section=true />
            <p><A href="/news">"All news"</A></p>
        </section>
        <DonationPrompt />
    }
}
