//! The first layer: the old site's notice, why we ask, and three equal choices.

use super::{use_consent, Asking};
use crate::consent::{what_changed, Choices, COOKIE_NOTICE, COOKIE_NOTICE_TITLE};
use leptos::prelude::*;

#[component]
pub(super) fn ConsentBanner(asking: Signal<Asking>) -> impl IntoView {
    let state = use_consent();
    let reason = move || match asking.get() {
        Asking::FirstTime => None,
        Asking::PolicyChanged => Some(format!(
            "Our cookie policy has changed since you chose: {}",
            what_changed()
        )),
        Asking::Expired => Some("It has been a while since you chose, so we ask again.".to_owned()),
    };

    view! {
        <section class="consent-banner" aria-label="Cookie consent">
            <div class="consent-banner-text">
                <h2>{COOKIE_NOTICE_TITLE}</h2>
                {move || reason().map(|reason| view! { <p class="consent-reason">{reason}</p> })}
                {COOKIE_NOTICE.map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
                <p>"See the \"" <a href="/cookies">"COOKIES POLICY"</a> "\" section on our website for further details."</p>
            </div>
            <div class="consent-actions">
                <button type="button" class="button" on:click=move |_| state.decide(Choices::ALL)>"Accept all"</button>
                <button type="button" class="button" on:click=move |_| state.decide(Choices::NONE)>"Reject all"</button>
                <button
                    type="button"
                    id="consent-banner-settings"
                    class="button"
                    aria-haspopup="dialog"
                    on:click=move |_| state.open_preferences("consent-banner-settings")
                >"Settings"</button>
            </div>
        </section>
    }
}
