use crate::components::page_meta::PageMeta;
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
            <p class="lead">
                "WLA-CdM is committed to advancing democracy worldwide. With your support, we "
                "can advance democratic values and foster social and political change. You can "
                "help ensure a sustainable future for the next generations by joining our "
                "efforts in a variety of ways. Here’s how you can make a difference."
            </p>
            <p class="notice">
                "Pledging a donation on this site is not open yet. This page will hold the "
                "pledge form and the bank-transfer details."
            </p>
        </article>
    }
}
