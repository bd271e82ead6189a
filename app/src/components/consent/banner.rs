//! The first layer: what this site really does, in two lines, and three equal choices. The
//! old site's notice, word for word, is one step away (the dialog's "Basic information on
//! cookies", and `/cookies`): its text describes tracking cookies this site does not set.

use super::{policy_change_summary, use_consent, Asking};
use crate::{
    consent::{Choices, POLICY_HISTORY},
    locale::{localized, Locale},
};
use leptos::{html, prelude::*};
use leptos_i18n::td_string;

/// The custom property on `<html>` holding the banner's height while it shows: the page keeps
/// that much room at its end and as scroll padding (see `style/main.css`), so the banner never
/// covers the page's last lines or the control a keyboard user has just reached.
#[cfg(feature = "hydrate")]
const ROOM: &str = "--consent-banner-room";

#[component]
pub(super) fn ConsentBanner(asking: Signal<Asking>, locale: Locale) -> impl IntoView {
    let state = use_consent();
    let reason = move || match asking.get() {
        Asking::FirstTime => None,
        Asking::PolicyChanged => Some(td_string!(
            locale,
            consent.banner.changed,
            change = policy_change_summary(locale, &POLICY_HISTORY[0])
        )),
        Asking::Expired => Some(td_string!(locale, consent.banner.expired).to_owned()),
    };
    let banner = NodeRef::<html::Section>::new();
    keep_room_for(banner);

    view! {
        <section node_ref=banner class="consent-banner" aria-label=td_string!(locale, consent.banner.label)>
            <div class="consent-banner-text">
                {move || reason().map(|reason| view! { <p class="consent-reason">{reason}</p> })}
                <p>
                    {td_string!(locale, consent.banner.text)}
                    <a href=localized(locale, "/cookies")>{td_string!(locale, consent.policy_link)}</a>
                </p>
            </div>
            <div class="consent-actions">
                <button type="button" class="button" on:click=move |_| state.decide(Choices::ALL, locale)>{td_string!(locale, consent.accept_all)}</button>
                <button type="button" class="button" on:click=move |_| state.decide(Choices::NONE, locale)>{td_string!(locale, consent.reject_all)}</button>
                <button
                    type="button"
                    id="consent-banner-settings"
                    class="button"
                    aria-haspopup="dialog"
                    on:click=move |_| state.open_preferences("consent-banner-settings")
                >{td_string!(locale, consent.banner.settings)}</button>
            </div>
        </section>
    }
}

/// Publishes the banner's height as [`ROOM`] while it shows, following it as the window
/// resizes (a rotated phone wraps the text differently), and takes it back when it goes.
fn keep_room_for(banner: NodeRef<html::Section>) {
    #[cfg(feature = "hydrate")]
    {
        let measure = move || {
            if let Some(banner) = banner.get_untracked() {
                set_room(Some(banner.offset_height()));
            }
        };
        Effect::new(move |_| {
            if banner.get().is_some() {
                measure();
            }
        });
        let resized = window_event_listener(leptos::ev::resize, move |_| measure());
        on_cleanup(move || {
            resized.remove();
            set_room(None);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = banner;
}

#[cfg(feature = "hydrate")]
fn set_room(height: Option<i32>) {
    use leptos::wasm_bindgen::JsCast;
    let Some(root) = document()
        .document_element()
        .and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    let _ = match height {
        Some(height) => style.set_property(ROOM, &format!("{height}px")),
        None => style.remove_property(ROOM).map(|_| ()),
    };
}
