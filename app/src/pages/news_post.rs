use crate::{
    api::content::get_post,
    components::{
        consent::external_media::ExternalMedia,
        donation_prompt::DonationPrompt,
        page_meta::{PageKind, PageMeta, Schema, StructuredData},
        post_list::TagList,
        slug_content::slug_content,
    },
    domain::{MemberSummary, Post, ResourceLink},
    locale::{code, localized, long_date, use_locale},
};
use leptos::{either::Either, prelude::*};
use leptos_i18n::td_string;
use leptos_meta::Meta;
use leptos_router::components::A;

/// `/news/{slug}`: one post, from the database.
#[component]
pub fn NewsPostPage() -> impl IntoView {
    crate::page_cache::content_only();
    let locale = use_locale();
    slug_content(
        move |slug| get_post(slug, locale),
        |post| view! { <PostArticle post /> },
    )
}

/// A post as readers see it: title, date, body, links, related members, donation prompt.
/// As the workspace's `preview`, the page is private: no canonical link, preview tags or
/// structured data, and kept out of search engines.
#[component]
pub fn PostArticle(post: Post, #[prop(optional)] preview: bool) -> impl IntoView {
    let locale = use_locale();
    // The English address: PageMeta makes it canonical in the page's language.
    let href = post.href();
    // A post not yet translated is shown in its own language, and says so.
    let other_language = (post.locale != locale).then(|| code(post.locale));
    let modified_on = post.modified_on();
    let schema = Schema::Article(post.clone());
    let Post {
        title,
        summary,
        published_on,
        tags,
        image,
        body_html,
        media,
        resources,
        members,
        ..
    } = post;
    let article_tags = tags
        .iter()
        .map(|tag| view! { <Meta property="article:tag" content=tag.name.clone() /> })
        .collect_view();
    view! {
        <PageMeta title=title.clone() description=summary path=href kind=PageKind::Article image private=preview />
        {(!preview).then(|| view! {
            <Meta property="article:published_time" content=published_on.iso() />
            <Meta property="article:modified_time" content=modified_on.iso() />
            {article_tags}
            <StructuredData schema />
        })}
        <div class="with-aside">
            <article class="post">
                <header class="post-header">
                    <p class="post-kind">{td_string!(locale, pages.post.kind)}</p>
                    <h1 lang=other_language>{title}</h1>
                    <p class="post-date">
                        <time datetime=published_on.iso()>{long_date(locale, published_on)}</time>
                    </p>
                    <TagList tags />
                </header>
                {other_language.map(|_| view! {
                    <p class="notice">{td_string!(locale, common.untranslated)}</p>
                })}
                // Stored sanitised (see the `posts.body_html` column): never visitor input.
                <div class="post-body" lang=other_language inner_html=body_html></div>
                {media.into_iter().map(|embed| view! { <ExternalMedia embed locale /> }).collect_view()}
                <ResourceList resources />
            </article>
            <aside class="post-aside" aria-labelledby="post-aside-title">
                <h2 id="post-aside-title">{td_string!(locale, pages.post.act_title)}</h2>
                <p>{td_string!(locale, pages.post.act_text)}</p>
                <p class="actions">
                    <A href=localized(locale, "/take-action") attr:class="button button-primary">
                        {td_string!(locale, pages.sign_call)}
                    </A>
                    <A href=localized(locale, "/donate") attr:class="button">{td_string!(locale, pages.donate_label)}</A>
                </p>
            </aside>
        </div>
        <RelatedMembers members />
        <DonationPrompt />
    }
}

#[component]
fn ResourceList(resources: Vec<ResourceLink>) -> impl IntoView {
    let locale = use_locale();
    (!resources.is_empty()).then(|| {
        view! {
            <nav class="post-resources" aria-label=td_string!(locale, pages.post.further)>
                <ul>
                    {resources
                        .into_iter()
                        .map(|resource| view! { <li><ResourceAnchor resource /></li> })
                        .collect_view()}
                </ul>
            </nav>
        }
    })
}

/// An internal link navigates in the app; an external one says it leaves the site.
#[component]
fn ResourceAnchor(resource: ResourceLink) -> impl IntoView {
    let locale = use_locale();
    let href = resource.href();
    if resource.is_external() {
        Either::Left(view! {
            <a href=href rel="external noopener" class="external">
                {resource.label}
                <span class="visually-hidden">{td_string!(locale, pages.external)}</span>
                <span aria-hidden="true">" ↗"</span>
            </a>
        })
    } else {
        Either::Right(view! { <A href=localized(locale, &href)>{resource.label}</A> })
    }
}

#[component]
fn RelatedMembers(members: Vec<MemberSummary>) -> impl IntoView {
    let locale = use_locale();
    (!members.is_empty()).then(|| {
        view! {
            <section class="related-members" aria-labelledby="related-members-title">
                <h2 id="related-members-title">{td_string!(locale, pages.post.related)}</h2>
                <ul class="member-list">
                    {members
                        .into_iter()
                        .map(|member| {
                            view! {
                                <li class="member-card">
                                    <A href=localized(locale, &member.href())>{member.name}</A>
                                    <span class="member-role">{member.role}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
