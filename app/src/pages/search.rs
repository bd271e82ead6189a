use crate::{
    api::content::search_posts,
    components::{
        async_view::async_view, page_meta::PageMeta, post_list::TagList, status::ErrorNotice,
    },
    domain::{Fragment, SearchHit, SearchResults, MAX_SEARCH_CHARS},
    locale::{localized, long_date, use_locale, Locale},
};
use leptos::{either::EitherOf3, prelude::*};
use leptos_i18n::td_string;
use leptos_router::{components::A, hooks::use_query_map};

/// `/search?q=`: the posts whose words match, best first, matches marked. A plain GET form,
/// so it works the same without JavaScript; with it, the page's loader swaps the results in
/// without a new page, as for a link.
#[component]
pub fn SearchPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    // One character more than counts, so the server can still say the query was shortened,
    // and a pasted essay never makes a request body too large to send.
    let typed = move || {
        query
            .read()
            .get("q")
            .unwrap_or_default()
            .chars()
            .take(MAX_SEARCH_CHARS + 1)
            .collect::<String>()
    };
    let results = Resource::new(typed, move |query| search_posts(query, locale));
    view! {
        <PageMeta
            title=td_string!(locale, pages.search.title)
            description=td_string!(locale, pages.search.description)
            private=true
        />
        <h1>{td_string!(locale, pages.search.heading)}</h1>
        <form method="get" action=localized(locale, "/search") class="search-form" role="search">
            <label for="search-query">{td_string!(locale, pages.search.label)}</label>
            <div class="search-row">
                <input
                    id="search-query"
                    type="search"
                    name="q"
                    maxlength=MAX_SEARCH_CHARS.to_string()
                    prop:value=typed
                    value=typed
                />
                <button type="submit" class="button button-primary">{td_string!(locale, pages.search.submit)}</button>
            </div>
        </form>
        // One live region for the whole visit: it stays while searches change its words, so
        // screen readers announce each result.
        <p role="status" class="search-summary">
            <Suspense fallback=move || td_string!(locale, pages.search.searching)>
                {async_view(move || Suspend::new(async move {
                    results.await.map(|results| summary(locale, &results)).unwrap_or_default()
                }))}
            </Suspense>
        </p>
        <Suspense>
            {async_view(move || Suspend::new(async move {
                match results.await {
                    Ok(results) if results.query.is_empty() => EitherOf3::A(()),
                    Ok(results) => EitherOf3::B(view! { <SearchResultsView results /> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}

/// What the live region says about a search.
fn summary(locale: Locale, results: &SearchResults) -> String {
    let query = &results.query;
    match results.hits.len() {
        _ if query.is_empty() => td_string!(locale, pages.search.empty).to_owned(),
        _ if results.timed_out => td_string!(locale, pages.search.timed_out, query),
        0 => td_string!(locale, pages.search.no_hits, query),
        n => td_string!(locale, pages.search.hits, count = n, query),
    }
}

#[component]
fn SearchResultsView(results: SearchResults) -> impl IntoView {
    let locale = use_locale();
    let SearchResults {
        shortened, hits, ..
    } = results;
    view! {
        {shortened.then(|| view! {
            <p class="search-note">{td_string!(locale, pages.search.shortened)}</p>
        })}
        {hits.is_empty().then(|| view! {
            <p>
                {td_string!(locale, pages.search.try_before)}
                <A href=localized(locale, "/news")>{td_string!(locale, pages.search.try_link)}</A>
                {td_string!(locale, pages.search.try_after)}
            </p>
        })}
        {(!hits.is_empty()).then(|| view! {
            <ol class="post-list search-results">
                {hits.into_iter().map(|hit| view! { <Hit hit /> }).collect_view()}
            </ol>
        })}
    }
}

#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    let locale = use_locale();
    let SearchHit {
        post,
        title,
        excerpt,
    } = hit;
    view! {
        <li class="post-item post-card">
            <div class="post-card-text">
                <h2 class="post-card-title"><A href=localized(locale, &post.href())><Marked fragments=title /></A></h2>
                <p class="post-card-date">
                    <time datetime=post.published_on.iso()>{long_date(locale, post.published_on)}</time>
                </p>
                <p><Marked fragments=excerpt /></p>
                <TagList tags=post.tags />
            </div>
        </li>
    }
}

/// Text with its matching words in `<mark>`: fragments are text nodes, never markup.
#[component]
fn Marked(fragments: Vec<Fragment>) -> impl IntoView {
    fragments
        .into_iter()
        .map(|fragment| {
            if fragment.matched {
                leptos::either::Either::Left(view! { <mark>{fragment.text}</mark> })
            } else {
                leptos::either::Either::Right(fragment.text)
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use crate::{domain::SearchResults, locale::Locale};

    #[test]
    fn a_search_stopped_at_its_time_limit_says_so_and_what_to_do() {
        let results = SearchResults {
            query: "lorem".to_owned(),
            timed_out: true,
            ..SearchResults::default()
        };
        assert_eq!(
            super::summary(Locale::en_GB, &results),
            "The search for lorem took too long and was stopped. Try fewer or other words."
        );
        assert_eq!(
            super::summary(Locale::es, &results),
            "La búsqueda de lorem ha tardado demasiado y se ha detenido. Pruebe con menos palabras o con otras distintas."
        );
    }
}
