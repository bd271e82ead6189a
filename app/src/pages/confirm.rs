use crate::{
    api::signups::{get_confirmation, get_signature_count, ConfirmSignature},
    components::{
        async_view::async_view,
        page_meta::PageMeta,
        signature_meter::SignatureMeter,
        status::{set_status, ErrorNotice},
    },
    domain::signup::Confirmation,
};
use leptos::{either::EitherOf5, prelude::*};
use leptos_router::hooks::use_params_map;

/// `/take-action/confirm/{token}`: the page a confirmation mail links to.
///
/// Opening it changes nothing: mail scanners open links too. A person confirms with the
/// button, a POST; without JavaScript that post comes back here, and the page shows the
/// outcome.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let state = Resource::new(token, get_confirmation);

    view! {
        <PageMeta
            title="Confirm your signature"
            description="Confirm your signature of the Call to Action for Leadership to build Shared Societies."
            private=true
        />
        <article class="call-to-action confirm">
            <p class="post-kind">"Take action"</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
    let confirm = ServerAction::<ConfirmSignature>::new();
    view! {
        <h1>"Confirm your signature"</h1>
        <p class="lead">
            "Press the button to confirm that you sign the Call to Action "
            "for Leadership to build Shared Societies. Your signature "
            "counts from then on."
        </p>
        <ActionForm action=confirm>
            <input type="hidden" name="token" value=token />
            <button type="submit" class="button button-primary">
                "Confirm my signature"
            </button>
        </ActionForm>
    }
}

/// Thanks, the count (the children), and the way back to the call.
#[component]
fn Confirmed(children: Children) -> impl IntoView {
    view! {
        <h1 tabindex="-1">"Thank you: your signature is confirmed"</h1>
        <p class="lead">"You have joined the Call to Action for Leadership to build Shared Societies."</p>
        {children()}
        <p><a href="/take-action">"See the call and who signed it"</a></p>
    }
}

#[component]
fn Expired() -> impl IntoView {
    view! {
        <h1>"This link has expired"</h1>
        <p class="lead">
            "A signature has to be confirmed within 7 days, and this one was "
            "not, so it was deleted. You are welcome to sign again."
        </p>
        <p><a href="/take-action" class="button button-primary">"Sign the call"</a></p>
    }
}

/// A token no signature has: a 404, with what may have happened.
#[component]
fn UnknownLink() -> impl IntoView {
    set_status(404);
    view! {
        <h1>"This confirmation link does not work"</h1>
        <p class="lead">
            "It may be incomplete (copy the whole link from the message), or a newer message "
            "replaced it: if you signed more than once, use the link in the latest message."
        </p>
        <p class="more"><a href="/take-action">"Back to the call"</a></p>
    }
}
