use crate::{
    api::content::{get_member, list_members},
    components::{
        async_view::async_view,
        page_meta::{PageKind, PageMeta, Schema, StructuredData},
        post_list::PostList,
        slug_content::slug_content,
        status::ErrorNotice,
    },
    domain::{MemberListing, MemberProfile},
    locale::{code, localized, use_locale},
};
use leptos::{either::Either, prelude::*};
use leptos_i18n::td_string;
use leptos_router::components::A;

/// `/members`: the leaders named in our posts.
#[component]
pub fn MembersPage() -> impl IntoView {
    crate::page_cache::content_only();
    let locale = use_locale();
    let members = Resource::new(|| (), move |()| list_members(locale));
    view! {
        <PageMeta
            title=td_string!(locale, pages.members.title)
            description=td_string!(locale, pages.members.description)
            path="/members"
        />
        <h1>{td_string!(locale, pages.members.title)}</h1>
        <p class="lead">{td_string!(locale, pages.members.lead)}</p>
        <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, pages.loading)}</p> }>
            {async_view(move || Suspend::new(async move {
                match members.await {
                    Ok(members) => Either::Left(view! { <MemberDirectory members /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}

#[component]
fn MemberDirectory(members: Vec<MemberListing>) -> impl IntoView {
    let locale = use_locale();
    if members.is_empty() {
        return Either::Left(view! { <p>{td_string!(locale, pages.members.none)}</p> });
    }
    Either::Right(view! {
        <ul class="member-list member-directory">
            {members
                .into_iter()
                .map(|MemberListing { member, locale: written_in, posts }| {
                    // A role not yet translated is in its own language.
                    let other_language = (written_in != locale).then(|| code(written_in));
                    let count = match posts {
                        0 => td_string!(locale, pages.members.not_in_news).to_owned(),
                        n => td_string!(locale, pages.members.posts, count = n),
                    };
                    view! {
                        <li class="member-card">
                            <A href=localized(locale, &member.href())>{member.name}</A>
                            <span class="member-role" lang=other_language>{member.role}</span>
                            <span class="member-count">{count}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    })
}

/// `/members/{slug}`: a leader named in our posts, and those posts.
#[component]
pub fn MemberPage() -> impl IntoView {
    crate::page_cache::content_only();
    let locale = use_locale();
    slug_content(
        move |slug| get_member(slug, locale),
        |profile| view! { <MemberView profile /> },
    )
}

#[component]
fn MemberView(profile: MemberProfile) -> impl IntoView {
    let locale = use_locale();
    let schema = Schema::Person(profile.clone());
    let MemberProfile {
        member,
        locale: written_in,
        bio,
        posts,
    } = profile;
    // A member not yet translated is shown in their own language, and says so.
    let english = (written_in != locale).then(|| code(written_in));
    let description = format!(
        "{}, {}. {}",
        member.name,
        member.role,
        bio.replace("\n\n", " ")
    );
    view! {
        <PageMeta title=member.name.clone() description path=member.href() kind=PageKind::Profile />
        <StructuredData schema />
        <article class="member">
            <header>
                <p class="post-kind">{td_string!(locale, pages.members.kind)}</p>
                <h1>{member.name}</h1>
                <p class="member-role" lang=english>{member.role}</p>
            </header>
            {english.map(|_| view! {
                <p class="notice">{td_string!(locale, common.untranslated)}</p>
            })}
            // The bio is plain text; a blank line starts a new paragraph.
            <div class="member-bio" lang=english>
                {bio
                    .split("\n\n")
                    .map(str::trim)
                    .filter(|paragraph| !paragraph.is_empty())
                    .map(|paragraph| view! { <p>{paragraph.to_owned()}</p> })
                    .collect_view()}
            </div>
            <section aria-labelledby="member-posts-title">
                <h2 id="member-posts-title">{td_string!(locale, pages.members.in_news)}</h2>
                <PostList posts in_section=true />
            </section>
            // Not `<A>`: it would mark "All members" as the current page under /members/….
            <p class="more"><a href=localized(locale, "/members")>{td_string!(locale, pages.members.all)}</a></p>
        </article>
    }
}
