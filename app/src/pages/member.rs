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
};
use leptos::{either::Either, prelude::*};
use leptos_router::components::A;

/// `/members`: the leaders named in our posts.
#[component]
pub fn MembersPage() -> impl IntoView {
    crate::page_cache::content_only();
    let members = Resource::new(|| (), |()| list_members());
    view! {
        <PageMeta
            title="Members"
            description="The leaders of the Shared Societies Project named in our news."
            path="/members"
        />
        <h1>"Members"</h1>
        <p class="lead">"Leaders who take part in the Shared Societies Project, and the news that names them."</p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
    if members.is_empty() {
        return Either::Left(view! { <p>"No members are listed yet."</p> });
    }
    Either::Right(view! {
        <ul class="member-list member-directory">
            {members
                .into_iter()
                .map(|MemberListing { member, posts }| {
                    let count = match posts {
                        0 => "Not yet in the news".to_owned(),
                        1 => "1 news post".to_owned(),
                        n => format!("{n} news posts"),
                    };
                    view! {
                        <li class="member-card">
                            <A href=member.href()>{member.name}</A>
                            <span class="member-role">{member.role}</span>
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
    slug_content(get_member, |profile| view! { <MemberView profile /> })
}

#[component]
fn MemberView(profile: MemberProfile) -> impl IntoView {
    let schema = Schema::Person(profile.clone());
    let MemberProfile { member, bio, posts } = profile;
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
                <p class="post-kind">"Member"</p>
                <h1>{member.name}</h1>
                <p class="member-role">{member.role}</p>
            </header>
            // The bio is plain text; a blank line starts a new paragraph.
            {bio
                .split("\n\n")
                .map(str::trim)
                .filter(|paragraph| !paragraph.is_empty())
                .map(|paragraph| view! { <p>{paragraph.to_owned()}</p> })
                .collect_view()}
            <section aria-labelledby="member-posts-title">
                <h2 id="member-posts-title">"In the news"</h2>
                <PostList posts in_section=true />
            </section>
            // Not `<A>`: it would mark "All members" as the current page under /members/….
            <p class="more"><a href="/members">"All members"</a></p>
        </article>
    }
}
