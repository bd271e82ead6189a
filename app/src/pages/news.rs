use crate::{
    api::content::list_posts,
    components::{
        async_view::async_view,
        page_meta::PageMeta,
        post_list::PostList,
        status::{BadRequest, ErrorNotice, NotFound},
    },
    domain::{parse_page_number, PostPage},
    locale::{localized, use_locale},
};
use leptos::{
    either::{Either, EitherOf4},
    prelude::*,
};
use leptos_i18n::td_string;
use leptos_meta::Link;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/news`: every published post, newest first, ten a page (`?page=2`).
#[component]
pub fn NewsPage() -> impl IntoView {
    crate::page_cache::content_only();
    post_listing(false)
}

/// `/news/tag/{tag}`: the posts filed under one tag, like `/news`.
#[component]
pub fn TagPage() -> impl IntoView {
    crate::page_cache::content_only();
    post_listing(true)
}

fn post_listing(by_tag: bool) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let request = move || {
        let tag = by_tag.then(|| params.read().get("tag").unwrap_or_default());
        let page = parse_page_number(query.read().get("page").as_deref());
        (tag, page)
    };
    let locale = use_locale();
    let listing = Resource::new(request, move |(tag, page)| async move {
        match page {
            Some(page) => list_posts(tag, page, locale).await.map(Some),
            // Not a page number at all: nothing to ask the server.
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, pages.loading)}</p> }>
            {async_view(move || Suspend::new(async move {
                match listing.await {
                    Ok(Some(Some(page))) => EitherOf4::A(view! { <ListingView page /> }),
                    Ok(Some(None)) => EitherOf4::B(view! { <NotFound /> }),
                    Ok(None) => EitherOf4::C(view! {
                        <BadRequest message=td_string!(locale, pages.news.bad_page) />
                    }),
                    Err(error) => EitherOf4::D(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}

#[component]
fn ListingView(page: PostPage) -> impl IntoView {
    let locale = use_locale();
    // The English address: PageMeta makes it canonical in the page's language.
    let path = page.href_of(page.page);
    let (title, description) = match &page.tag {
        Some(tag) => (
            td_string!(locale, pages.news.title_tag, tag = &tag.name),
            td_string!(locale, pages.news.description_tag, tag = &tag.name),
        ),
        None => (
            td_string!(locale, pages.news.title).to_owned(),
            td_string!(locale, pages.news.description).to_owned(),
        ),
    };
    let title = if page.page > 1 {
        td_string!(
            locale,
            pages.news.title_page,
            title,
            page = page.page,
            pages = page.pages
        )
    } else {
        title
    };
    let heading = page.tag.as_ref().map_or_else(
        || Either::Left(view! { <h1>{td_string!(locale, pages.news.title)}</h1> }),
        |tag| {
            Either::Right(view! {
                <p class="post-kind">{td_string!(locale, pages.news.tag)}</p>
                <h1>{tag.name.clone()}</h1>
                <p class="more">
                    // `external`: a file for feed readers, not a page of the app's router.
                    <a href=localized(locale, &tag.feed_href()) type="application/atom+xml" rel="external">
                        {td_string!(locale, pages.news.follow, tag = &tag.name)}
                    </a>
                </p>
            })
        },
    );
    let feed = page.tag.as_ref().map(|tag| {
        view! {
            <Link
                rel="alternate"
                type_="application/atom+xml"
                title=td_string!(locale, pages.news.feed_title, tag = &tag.name)
                href=localized(locale, &tag.feed_href())
            />
        }
    });
    let previous = page.previous().map(|href| localized(locale, &href));
    let next = page.next().map(|href| localized(locale, &href));
    let head_links = view! {
        {previous.clone().map(|href| view! { <Link rel="prev" href /> })}
        {next.clone().map(|href| view! { <Link rel="next" href /> })}
    };
    let pages = page.pages;
    let current = page.page;
    view! {
        <PageMeta title description path />
        {feed}
        {head_links}
        {heading}
        <PostList posts=page.posts />
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label=td_string!(locale, pages.news.pages_label)>
                // Plain links (the router still takes their clicks): `<A>` ignores the query
                // when it marks the current page, so it would mark both as current.
                {previous.map(|href| view! { <a href=href rel="prev">{td_string!(locale, pages.news.newer)}</a> })}
                <span aria-current="page">
                    {td_string!(locale, pages.news.page_of, page = current, pages)}
                </span>
                {next.map(|href| view! { <a href=href rel="next">{td_string!(locale, pages.news.older)}</a> })}
            </nav>
        })}
    }
}
