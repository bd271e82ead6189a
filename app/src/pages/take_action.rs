use crate::components::page_meta::PageMeta;
use leptos::prelude::*;

/// The four principles of the Shared Societies project, as the seed post names them.
pub const PRINCIPLES: [&str; 4] = [
    "Respect",
    "Equality of opportunity",
    "Absence of discrimination",
    "Democratic participation",
];

/// `/take-action`: the Call to Action for Leadership to build Shared Societies.
#[component]
pub fn TakeActionPage() -> impl IntoView {
    view! {
        <PageMeta
            title="Call to Action for Leadership to build Shared Societies"
            description="Wim Kok called on stakeholders and global cities to build shared societies at all levels. Read the call and its principles."
            path="/take-action"
        />
        <article class="call-to-action">
            <p class="post-kind">"Take action"</p>
            <h1>"Call to Action for Leadership to build Shared Societies"</h1>
            <p class="lead">
                "Wim Kok closed his remarks by calling to action to stakeholders and global "
                "cities to build shared societies at all levels, based on greater tolerance for "
                "differences and good citizenship."
            </p>
            <section aria-labelledby="principles-title">
                <h2 id="principles-title">"The principles of Shared Societies"</h2>
                <ul class="principles">
                    {PRINCIPLES.map(|principle| view! { <li>{principle}</li> }).collect_view()}
                </ul>
            </section>
            <p class="notice">
                "Signing the call online is not open yet. This page will hold the sign form "
                "and the number of people, organisations and cities who have joined."
            </p>
        </article>
    }
}
