use crate::{
    components::donation_form::DonationForm,
    locale::{localized, use_locale},
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_router::components::A;

/// The old site's donation appeal, word for word. Pages show it in their language, from
/// `forms.prompt.appeal` (a test keeps the English one equal to this).
pub const DONATION_APPEAL: &str = "WLA-CdM is committed to advancing democracy worldwide. With your support, we can advance democratic values and foster social and political change. You can help ensure a sustainable future for the next generations by joining our efforts in a variety of ways. Here’s how you can make a difference.";

/// The donation prompt of the old site, with its text as it was, ending every content page.
#[component]
pub fn DonationPrompt() -> impl IntoView {
    let locale = use_locale();
    view! {
        <aside class="donation-prompt" aria-labelledby="donation-prompt-title">
            <h2 id="donation-prompt-title">{td_string!(locale, forms.prompt.title)}</h2>
            <p>{td_string!(locale, forms.prompt.appeal)}</p>
            <DonationForm />
            <p class="donation-more">
                <A href=localized(locale, "/donate")>{td_string!(locale, forms.prompt.more)}</A>
                " · "
                <A href=localized(locale, "/take-action")>
                    {td_string!(locale, forms.prompt.take_action)}
                </A>
            </p>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    #[test]
    fn the_english_appeal_is_the_old_sites() {
        assert_eq!(
            td_string!(Locale::en_GB, forms.prompt.appeal),
            DONATION_APPEAL
        );
    }
}
