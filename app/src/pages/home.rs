use crate::components::{
    donation_prompt::DonationPrompt, page_meta::PageMeta, post_list::LatestPosts,
    signature_meter::LiveSignatureMeter,
};
use crate::{
    locale::{localized, use_locale},
    site::LOGO_MARK_PATH,
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_router::components::A;

/// How many posts the home page lists.
const HOME_POSTS: u32 = 5;

/// `/`: what the project stands for, the latest news, and ways to help.
#[component]
pub fn HomePage() -> impl IntoView {
    crate::page_cache::content_and_figures();
    let locale = use_locale();
    view! {
        <PageMeta
            title=""
            description=td_string!(locale, pages.home.description)
            path="/"
        />
        <section class="hero" aria-labelledby="hero-title">
            <div class="hero-text">
                <p class="post-kind">{td_string!(locale, pages.home.kicker)}</p>
                <h1 id="hero-title">{td_string!(locale, pages.home.title)}</h1>
                <p class="lead">{td_string!(locale, pages.home.lead)}</p>
                <LiveSignatureMeter />
                <p class="actions">
                    <A href=localized(locale, "/take-action") attr:class="button button-primary">
                        {td_string!(locale, pages.sign_call)}
                    </A>
                    <A href=localized(locale, "/donate") attr:class="button">{td_string!(locale, pages.donate_label)}</A>
                </p>
            </div>
            <img class="hero-art" src=LOGO_MARK_PATH width="240" height="240" alt="" />
        </section>
        <section class="latest-news" aria-labelledby="latest-news-title">
            <h2 id="latest-news-title">{td_string!(locale, pages.home.latest)}</h2>
            <LatestPosts limit=HOME_POSTS in_section=true />
            <p class="more"><A href=localized(locale, "/news")>{td_string!(locale, pages.all_news)}</A></p>
        </section>
        <DonationPrompt />
    }
}
