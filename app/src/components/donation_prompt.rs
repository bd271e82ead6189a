use crate::components::donation_form::DonationForm;
use leptos::prelude::*;
use leptos_router::components::A;

/// The old site's donation appeal, word for word.
pub const DONATION_APPEAL: &str = "WLA-CdM is committed to advancing democracy worldwide. With your support, we can advance democratic values and foster social and political change. You can help ensure a sustainable future for the next generations by joining our efforts in a variety of ways. Here’s how you can make a difference.";

/// The donation prompt of the old site, with its text as it was, ending every content page.
#[component]
pub fn DonationPrompt() -> impl IntoView {
    view! {
        <aside class="donation-prompt" aria-labelledby="donation-prompt-title">
            <h2 id="donation-prompt-title">"Support our work"</h2>
            <p>{DONATION_APPEAL}</p>
            <DonationForm />
            <p class="donation-more">
                <A href="/donate">"More about giving"</A>" · "<A href="/take-action">"Take action"</A>
            </p>
        </aside>
    }
}
