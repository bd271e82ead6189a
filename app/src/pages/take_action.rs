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
};
use leptos::{either::Either, prelude::*};
use leptos_router::components::A;

/// `/take-action`: the Call to Action for Leadership to build Shared Societies, its live
/// count, who signed it, and the form to sign it.
#[component]
pub fn TakeActionPage() -> impl IntoView {
    crate::page_cache::content_and_figures();
    let locale = crate::locale::use_locale();
    let call = Resource::new(|| (), move |()| get_call_to_action(locale));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
                <p class="post-kind">"Take action"</p>
                <h1>{title}</h1>
                <p class="lead">
                    "A call to political leaders, stakeholders and cities to build shared "
                    "societies at every level: societies where people who differ in origin, "
                    "beliefs or language live together as equal citizens. Signing adds your "
                    "name to it."
                </p>
            </header>
            <div class="with-aside">
                <div class="call-text">
                    <section aria-labelledby="principles-title">
                        <h2 id="principles-title">"What you sign: four principles"</h2>
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
                        <h2 id="signing-means-title">"What signing means"</h2>
                        <ul class="signing-means">
                            <li>"Your signature is counted once you confirm it from the email we send you."</li>
                            <li>"Your name is shown in the public list of signers only if you tick that box."</li>
                            <li>"We write to you only to confirm, and about the call if you ask us to. We never share your address, and you can ask us to remove your signature at any time."</li>
                        </ul>
                    </section>
                    <section aria-labelledby="why-title">
                        <h2 id="why-title">"Why it matters"</h2>
                        {why.into_iter().map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
                    </section>
                </div>
                <aside class="sign" aria-labelledby="sign-title">
                    <h2 id="sign-title">"Sign the call"</h2>
                    <SignatureMeter count />
                    <SignForm source />
                </aside>
            </div>
            {(!recent.is_empty()).then(|| view! {
                <section class="recent-signers" aria-labelledby="recent-signers-title">
                    <h2 id="recent-signers-title">"Recently signed by"</h2>
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
    let locale = crate::locale::use_locale();
    let call = Resource::new(|| (), move |()| get_call_to_action(locale));
    view! {
        <PageMeta
            title="Check your inbox"
            description="Confirm your signature of the Call to Action for Leadership to build Shared Societies."
            private=true
        />
        <article class="call-to-action">
            <p class="post-kind">"Take action"</p>
            <h1>"Thank you for signing"</h1>
            <Suspense>
                {async_view(move || Suspend::new(async move {
                    let post = call.await.ok().and_then(|call| call.post);
                    view! { <CheckYourInbox post /> }
                }))}
            </Suspense>
            <p class="more"><A href="/take-action">"Back to the call"</A></p>
        </article>
    }
}
