//! A video or map from another site, loaded only with consent: while external media is not
//! allowed, a placeholder of the same size says who hosts it and what loading it sends them,
//! with a button to load just this one and a link to see it on its host's site.

use super::use_consent;
use crate::{
    consent::Choices,
    domain::media::{Embed, MediaHost},
    locale::Locale,
};
use leptos::{html, prelude::*};
use leptos_i18n::td_string;

/// `locale`: the page's language (an island hydrates without the page's context).
#[island(lazy)]
pub fn ExternalMedia(embed: Embed, locale: Locale) -> impl IntoView {
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
    let kind = match host {
        MediaHost::YouTube | MediaHost::Vimeo => td_string!(locale, consent.media.video),
        MediaHost::OpenStreetMap => td_string!(locale, consent.media.map),
    };
    let operator = match host {
        MediaHost::OpenStreetMap => td_string!(locale, consent.media.osm_foundation),
        MediaHost::YouTube | MediaHost::Vimeo => host.operator(),
    };
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
                                    {td_string!(
                                        locale,
                                        consent.media.notice,
                                        kind,
                                        host = host.name(),
                                        operator,
                                    )}
                                </p>
                                <p class="embed-actions" class:not-ready=move || !state.hydrated()>
                                    <button type="button" class="button" on:click=move |_| {
                                        wants_focus.set(true);
                                        clicked.set(true);
                                    }>
                                        {td_string!(locale, consent.media.load, kind)}
                                    </button>
                                    <button type="button" class="link-button" on:click=move |_| {
                                        let allowed = state.allowed();
                                        state.decide(Choices { external_media: true, ..allowed }, locale);
                                    }>
                                        {td_string!(locale, consent.media.always_allow)}
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
                    {td_string!(locale, consent.media.view_on, host = host.name())}
                    <span class="visually-hidden">{td_string!(locale, consent.media.external)}</span>
                    <span aria-hidden="true">" ↗"</span>
                </a>
            </figcaption>
        </figure>
    }
}
