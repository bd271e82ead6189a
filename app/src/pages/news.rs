use crate::{
    api::content::{list_latest_posts, MAX_POSTS_PER_REQUEST},
    components::{page_meta::PageMeta, status::ErrorNotice},
    domain::PostSummary,
};
use leptos::{either::Either, prelude::*};
use leptos_router::components::A;

/// How many posts `/news` lists (pagination comes with more content).
const NEWS_PAGE_SIZE: u32 = MAX_POSTS_PER_REQUEST;

/// `/news`: the published posts, newest first.
#[component]
pub fn NewsPage() -> impl IntoView {
    view! {
        <PageMeta
            title="News"
            description="News of the Shared Societies Project, newest first."
            path="/news"
        />
        <h1>"News"</h1>
        <LatestPosts limit=NEWS_PAGE_SIZE />
    }
}

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
            {move || Suspend::new(async move {
                match posts.await {
                    Ok(posts) => Either::Left(view! { <PostList posts in_section /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Suspense>
    }
}

/// Posts as a list of dated titles with their summaries.
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
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    })
}
