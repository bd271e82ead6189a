use crate::components::{donation_prompt::DONATION_APPEAL, page_meta::PageMeta};
use leptos::prelude::*;

/// `/donate`: how to support the project.
#[component]
pub fn DonatePage() -> impl IntoView {
    view! {
        <PageMeta
            title="Donate"
            description="Support WLA-CdM in advancing democracy worldwide."
            path="/donate"
        />
        <article>
            <h1>"Donate"</h1>
            <p class="lead">{DONATION_APPEAL}</p>
            <p class="notice">
                "Pledging a donation on this site is not open yet. This page will hold the "
                "pledge form and the bank-transfer details."
            </p>
        </article>
    }
}
