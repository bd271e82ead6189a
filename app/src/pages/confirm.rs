use crate::{
    api::signups::{get_confirmation, get_signature_count, ConfirmSignature},
    components::{
        async_view::async_view,
        page_meta::PageMeta,
        signature_meter::SignatureMeter,
        status::{set_status, ErrorNotice},
    },
    domain::signup::Confirmation,
    locale::{code, localized, use_locale},
};
use leptos::{either::EitherOf5, prelude::*};
use leptos_i18n::td_string;
use leptos_router::hooks::use_params_map;

/// `/take-action/confirm/{token}`: the page a confirmation mail links to.
///
/// Opening it changes nothing: mail scanners open links too. A person confirms with the
/// button, a POST; without JavaScript that post comes back here, and the page shows the
/// outcome.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let state = Resource::new(token, get_confirmation);

    view! {
        <PageMeta
            title=td_string!(locale, pages.confirm.title)
            description=td_string!(locale, pages.call.confirm_description)
            private=true
        />
        <article class="call-to-action confirm">
            <p class="post-kind">{td_string!(locale, pages.take_action)}</p>
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, pages.loading)}</p> }>
                {async_view(move || Suspend::new(async move {
                    match state.await {
                        Ok(Confirmation::Pending) => EitherOf5::A(view! { <ConfirmStep token=token() /> }),
                        Ok(Confirmation::Confirmed) => {
                            let count = get_signature_count().await.ok();
                            EitherOf5::B(view! {
                                <Confirmed>{count.map(|count| view! { <SignatureMeter count /> })}</Confirmed>
                            })
                        }
                        Ok(Confirmation::Expired) => EitherOf5::C(view! { <Expired /> }),
                        Ok(Confirmation::Unknown) => EitherOf5::D(view! { <UnknownLink /> }),
                        Err(error) => EitherOf5::E(view! { <ErrorNotice error /> }),
                    }
                }))}
            </Suspense>
        </article>
    }
}

/// The question and its button. The post comes back to this page, which shows the answer:
/// the page's script swaps it in, the browser does it itself without JavaScript.
#[component]
fn ConfirmStep(token: String) -> impl IntoView {
    let locale = use_locale();
    let confirm = ServerAction::<ConfirmSignature>::new();
    view! {
        <h1>{td_string!(locale, pages.confirm.title)}</h1>
        <p class="lead">{td_string!(locale, pages.confirm.lead)}</p>
        <ActionForm action=confirm>
            <input type="hidden" name="token" value=token />
            <input type="hidden" name="lang" value=code(locale) />
            <button type="submit" class="button button-primary">
                {td_string!(locale, pages.confirm.button)}
            </button>
        </ActionForm>
    }
}

/// Thanks, the count (the children), and the way back to the call.
#[component]
fn Confirmed(children: Children) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h1 tabindex="-1">{td_string!(locale, pages.confirm.confirmed)}</h1>
        <p class="lead">{td_string!(locale, pages.confirm.joined)}</p>
        {children()}
        <p><a href=localized(locale, "/take-action")>{td_string!(locale, pages.confirm.see_call)}</a></p>
    }
}

#[component]
fn Expired() -> impl IntoView {
    let locale = use_locale();
    view! {
        <h1>{td_string!(locale, pages.confirm.expired_title)}</h1>
        <p class="lead">{td_string!(locale, pages.confirm.expired_text)}</p>
        <p>
            <a href=localized(locale, "/take-action") class="button button-primary">
                {td_string!(locale, pages.sign_call)}
            </a>
        </p>
    }
}

/// A token no signature has: a 404, with what may have happened.
#[component]
fn UnknownLink() -> impl IntoView {
    set_status(404);
    let locale = use_locale();
    view! {
        <h1>{td_string!(locale, pages.confirm.unknown_title)}</h1>
        <p class="lead">{td_string!(locale, pages.confirm.unknown_text)}</p>
        <p class="more"><a href=localized(locale, "/take-action")>{td_string!(locale, pages.back_to_call)}</a></p>
    }
}
