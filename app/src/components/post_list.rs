//! Lists of posts, as the news pages, the home page, member pages and search show them.

use crate::{
    api::content::list_latest_posts,
    components::{async_view::async_view, status::ErrorNotice},
    domain::{PostSummary, Tag},
};
use leptos::{either::Either, prelude::*};
use leptos_router::components::A;

/// The `limit` newest posts, loaded from the server.
#[component]
pub fn LatestPosts(
    limit: u32,
    /// As for [`PostList`].
    #[prop(optional)]
    in_section: bool,
) -> impl IntoView {
    let posts = Resource::new(move || limit, list_latest_posts);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {async_view(move || Suspend::new(async move {
                match posts.await {
                    Ok(posts) => Either::Left(view! { <PostList posts in_section /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}

/// Posts as a list of dated titles with their summaries and tags.
#[component]
pub fn PostList(
    posts: Vec<PostSummary>,
    /// Whether the list sits under an `<h2>` section heading, so its titles are `<h3>`s.
    #[prop(optional)]
    in_section: bool,
) -> impl IntoView {
    if posts.is_empty() {
        return Either::Left(view! { <p>"No news has been published yet."</p> });
    }
    Either::Right(view! {
        <ol class="post-list">
            {posts
                .into_iter()
                .map(|post| {
                    let link = view! { <A href=post.href()>{post.title.clone()}</A> };
                    let title = if in_section {
                        Either::Left(view! { <h3>{link}</h3> })
                    } else {
                        Either::Right(view! { <h2>{link}</h2> })
                    };
                    view! {
                        <li class="post-item">
                            <time datetime=post.published_on.iso()>{post.published_on.long()}</time>
                            {title}
                            <p>{post.summary.clone()}</p>
                            <TagList tags=post.tags />
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
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tag-list" aria-label="Tags">
                {tags
                    .into_iter()
                    .map(|tag| view! { <li><A href=tag.href()>{tag.name}</A></li> })
                    .collect_view()}
            </ul>
        }
    })
}
