//! Lists of posts, as the news pages, the home page, member pages and search show them.

use crate::{
    api::content::list_latest_posts,
    components::{async_view::async_view, status::ErrorNotice},
    domain::{PostSummary, Tag},
    locale::{code, localized, long_date, use_locale},
};
use leptos::{either::Either, prelude::*};
use leptos_i18n::td_string;
use leptos_router::components::A;

/// The `limit` newest posts, loaded from the server.
#[component]
pub fn LatestPosts(
    limit: u32,
    /// As for [`PostList`].
    #[prop(optional)]
    in_section: bool,
) -> impl IntoView {
    let locale = use_locale();
    let posts = Resource::new(move || limit, move |limit| list_latest_posts(limit, locale));
    view! {
        <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, pages.loading)}</p> }>
            {async_view(move || Suspend::new(async move {
                match posts.await {
                    Ok(posts) => Either::Left(view! { <PostList posts in_section /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}

/// Posts as cards: a picture (the post's own, or the site's mark on a tinted ground), the
/// title with its date right under it, the summary and the tags.
#[component]
pub fn PostList(
    posts: Vec<PostSummary>,
    /// Whether the list sits under an `<h2>` section heading, so its titles are `<h3>`s.
    #[prop(optional)]
    in_section: bool,
) -> impl IntoView {
    let locale = use_locale();
    if posts.is_empty() {
        return Either::Left(view! { <p>{td_string!(locale, pages.news.none)}</p> });
    }
    Either::Right(view! {
        <ol class="post-list">
            {posts
                .into_iter()
                .map(|post| {
                    // A post not yet translated is listed in its own language.
                    let lang = (post.locale != locale).then(|| code(post.locale));
                    let link = view! { <A href=localized(locale, &post.href())>{post.title.clone()}</A> };
                    let title = if in_section {
                        Either::Left(view! { <h3 class="post-card-title" lang=lang>{link}</h3> })
                    } else {
                        Either::Right(view! { <h2 class="post-card-title" lang=lang>{link}</h2> })
                    };
                    // Decorative: the title beside it says what the post is.
                    let picture = match post.image.clone() {
                        Some(image) => Either::Left(view! {
                            <img class="post-card-image" src=image alt="" loading="lazy" width="320" height="180" />
                        }),
                        None => Either::Right(view! { <span class="post-card-image post-card-placeholder"></span> }),
                    };
                    view! {
                        <li class="post-item post-card">
                            {picture}
                            <div class="post-card-text">
                                {title}
                                <p class="post-card-date">
                                    <time datetime=post.published_on.iso()>{long_date(locale, post.published_on)}</time>
                                </p>
                                <p lang=lang>{post.summary.clone()}</p>
                                <TagList tags=post.tags />
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    })
}

/// A post's tags, each a link to its listing.
#[component]
pub fn TagList(tags: Vec<Tag>) -> impl IntoView {
    let locale = use_locale();
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tag-list" aria-label=td_string!(locale, pages.news.tags_label)>
                {tags
                    .into_iter()
                    .map(|tag| view! { <li><A href=localized(locale, &tag.href())>{tag.name}</A></li> })
                    .collect_view()}
            </ul>
        }
    })
}
