use crate::{
    api::signups::get_call_to_action,
    components::{
        async_view::async_view,
        page_meta::PageMeta,
        sign_form::{CheckYourInbox, SignForm},
        signature_meter::SignatureMeter,
        status::ErrorNotice,
    },
    domain::signup::{country_name, CallToAction},
    locale::{localized, use_locale},
};
use leptos::{either::Either, prelude::*};
use leptos_i18n::td_string;
use leptos_router::components::A;

/// `/take-action`: the Call to Action for Leadership to build Shared Societies, its live
/// count, who signed it, and the form to sign it.
#[component]
pub fn TakeActionPage() -> impl IntoView {
    crate::page_cache::content_and_figures();
    let locale = use_locale();
    let call = Resource::new(|| (), move |()| get_call_to_action(locale));
    view! {
        <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, pages.loading)}</p> }>
            {async_view(move || Suspend::new(async move {
                match call.await {
                    Ok(call) => Either::Left(view! { <CallPage call /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}

#[component]
fn CallPage(call: CallToAction) -> impl IntoView {
    let locale = use_locale();
    let CallToAction {
        title,
        summary,
        why,
        principles,
        count,
        recent,
        ..
    } = call;
    // Where the visitor came from, carried by the form.
    let source = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("source");
    view! {
        <PageMeta title=title.clone() description=summary path="/take-action" />
        <article class="call-to-action">
            <header class="page-header">
                <p class="post-kind">{td_string!(locale, pages.take_action)}</p>
                <h1>{title}</h1>
                <p class="lead">{td_string!(locale, pages.call.lead)}</p>
            </header>
            <div class="with-aside">
                <div class="call-text">
                    <section aria-labelledby="principles-title">
                        <h2 id="principles-title">{td_string!(locale, pages.call.principles)}</h2>
                        <ol class="principles">
                            {principles.into_iter().map(|principle| view! {
                                <li>
                                    <strong>{principle.name}</strong>
                                    {(!principle.sentence.is_empty()).then(|| view! { <span>{principle.sentence}</span> })}
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                    <section aria-labelledby="signing-means-title">
                        <h2 id="signing-means-title">{td_string!(locale, pages.call.means_title)}</h2>
                        <ul class="signing-means">
                            <li>{td_string!(locale, pages.call.means_count)}</li>
                            <li>{td_string!(locale, pages.call.means_public)}</li>
                            <li>{td_string!(locale, pages.call.means_mail)}</li>
                        </ul>
                    </section>
                    <section aria-labelledby="why-title">
                        <h2 id="why-title">{td_string!(locale, pages.call.why)}</h2>
                        {why.into_iter().map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
                    </section>
                </div>
                <aside class="sign" aria-labelledby="sign-title">
                    <h2 id="sign-title">{td_string!(locale, pages.sign_call)}</h2>
                    <SignatureMeter count />
                    <SignForm source />
                </aside>
            </div>
            {(!recent.is_empty()).then(|| view! {
                <section class="recent-signers" aria-labelledby="recent-signers-title">
                    <h2 id="recent-signers-title">{td_string!(locale, pages.call.recent)}</h2>
                    <ul>
                        {recent.into_iter().map(|signer| {
                            let country = country_name(&signer.country).unwrap_or_default();
                            let by = match signer.organisation {
                                Some(organisation) => format!("{organisation}, {country}"),
                                None => country.to_owned(),
                            };
                            view! { <li><strong>{signer.full_name}</strong>" · "{by}</li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}

/// `/take-action/thanks`: where a browser without JavaScript lands after signing.
#[component]
pub fn SignedPage() -> impl IntoView {
    let locale = use_locale();
    let call = Resource::new(|| (), move |()| get_call_to_action(locale));
    view! {
        <PageMeta
            title=td_string!(locale, pages.call.signed_title)
            description=td_string!(locale, pages.call.confirm_description)
            private=true
        />
        <article class="call-to-action">
            <p class="post-kind">{td_string!(locale, pages.take_action)}</p>
            <h1>{td_string!(locale, pages.call.thanks)}</h1>
            <Suspense>
                {async_view(move || Suspend::new(async move {
                    let post = call.await.ok().and_then(|call| call.post);
                    view! { <CheckYourInbox post /> }
                }))}
            </Suspense>
            <p class="more"><A href=localized(locale, "/take-action")>{td_string!(locale, pages.back_to_call)}</A></p>
        </article>
    }
}
