use crate::{
    api::content::get_member,
    components::{page_meta::PageMeta, slug_content::slug_content},
    domain::MemberProfile,
    pages::news::PostList,
};
use leptos::prelude::*;

/// `/members/{slug}`: a leader named in our posts, and those posts.
#[component]
pub fn MemberPage() -> impl IntoView {
    slug_content(get_member, |profile| view! { <MemberView profile /> })
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
