use crate::{
    api::content::get_member,
    components::{
        page_meta::PageMeta,
        status::{ErrorNotice, NotFound},
    },
    domain::MemberProfile,
    pages::news::PostList,
};
use leptos::{either::EitherOf3, prelude::*};
use leptos_router::hooks::use_params_map;

/// `/members/{slug}`: a leader named in our posts, and those posts.
#[component]
pub fn MemberPage() -> impl IntoView {
    let params = use_params_map();
    let member = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_member,
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match member.await {
                    Ok(Some(profile)) => EitherOf3::A(view! { <MemberView profile /> }),
                    Ok(None) => EitherOf3::B(view! { <NotFound /> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MemberView(profile: MemberProfile) -> impl IntoView {
    let MemberProfile { member, bio, posts } = profile;
    let description = format!("{}, {}. {}", member.name, member.role, bio);
    view! {
        <PageMeta title=member.name.clone() description path=member.href() />
        <article class="member">
            <header>
                <p class="post-kind">"Member"</p>
                <h1>{member.name}</h1>
                <p class="member-role">{member.role}</p>
            </header>
            <p>{bio}</p>
            <section aria-labelledby="member-posts-title">
                <h2 id="member-posts-title">"In the news"</h2>
                <PostList posts in_section=true />
            </section>
        </article>
    }
}
