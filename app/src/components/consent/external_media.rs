//! A video or map from another site, loaded only with consent: while external media is not
//! allowed, a placeholder of the same size says who hosts it and what loading it sends them,
//! with a button to load just this one and a link to see it on its host's site.

use super::use_consent;
use crate::{consent::Choices, domain::media::Embed};
use leptos::{html, prelude::*};

#[island(lazy)]
pub fn ExternalMedia(embed: Embed) -> impl IntoView {
    let state = use_consent();
    // A click loads this one embed for as long as the page is open, unless the visitor then
    // says no to external media.
    let clicked = RwSignal::new(false);
    Effect::new(move |_| {
        if state
            .record()
            .is_some_and(|record| !record.choices.external_media)
        {
            clicked.set(false);
        }
    });
    let loaded = move || clicked.get() || state.allowed().external_media;
    let frame = NodeRef::<html::Iframe>::new();
    let wants_focus = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(frame) = frame.get() {
            if wants_focus.get_untracked() {
                wants_focus.set(false);
                let _ = frame.focus();
            }
        }
    });

    let host = embed.host;
    let kind = host.kind();
    let title = embed.title.clone();
    let frame_src = embed.frame_src().to_owned();
    let page_href = embed.page_href().to_owned();

    view! {
        <figure class="embed">
            <div class="embed-frame">
                <Show
                    when=loaded
                    fallback=move || {
                        view! {
                            <div class="embed-placeholder">
                                <p>
                                    {format!(
                                        "This {kind} is hosted by {}. Loading it sends your IP address to {}, which may set cookies.",
                                        host.name(),
                                        host.operator(),
                                    )}
                                </p>
                                <p class="embed-actions" class:not-ready=move || !state.hydrated()>
                                    <button type="button" class="button" on:click=move |_| {
                                        wants_focus.set(true);
                                        clicked.set(true);
                                    }>
                                        {format!("Load this {kind}")}
                                    </button>
                                    <button type="button" class="link-button" on:click=move |_| {
                                        let allowed = state.allowed();
                                        state.decide(Choices { external_media: true, ..allowed });
                                    }>
                                        "Always allow external media"
                                    </button>
                                </p>
                            </div>
                        }
                    }
                >
                    <iframe
                        node_ref=frame
                        src=frame_src.clone()
                        title=title.clone()
                        prop:loading="lazy"
                        referrerpolicy="strict-origin-when-cross-origin"
                        allow="fullscreen; picture-in-picture; encrypted-media"
                        sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"
                    ></iframe>
                </Show>
            </div>
            <figcaption>
                {embed.title.clone()}
                " · "
                <a href=page_href rel="external noopener" class="external">
                    {format!("View on {}", host.name())}
                    <span class="visually-hidden">" (external website)"</span>
                    <span aria-hidden="true">" ↗"</span>
                </a>
            </figcaption>
        </figure>
    }
}
