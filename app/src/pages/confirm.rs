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
use leptos::{either::EitherOf5, html, prelude::*};
use leptos_router::{components::A, hooks::use_params_map};

/// `/take-action/confirm/{token}`: the page a confirmation mail links to.
///
/// Opening it changes nothing: mail scanners open links too. A person confirms with the
/// button, a POST; without JavaScript that post comes back here, and the page shows the
/// outcome.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmSignature>::new();
    let state = Resource::new(
        move || (token(), confirm.version().get()),
        |(token, _)| get_confirmation(token),
    );

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
                        Ok(Confirmation::Pending) => EitherOf5::A(view! {
                            <h1>"Confirm your signature"</h1>
                            <p class="lead">
                                "Press the button to confirm that you sign the Call to Action "
                                "for Leadership to build Shared Societies. Your signature "
                                "counts from then on."
                            </p>
                            {move || confirm.value().get().and_then(Result::err).map(|error| view! {
                                <p class="error-summary" role="alert">{error.to_string()}</p>
                            })}
                            <ActionForm action=confirm>
                                <input type="hidden" name="token" value=token() />
                                <button
                                    type="submit"
                                    class="button button-primary"
                                    disabled=move || confirm.pending().get()
                                >
                                    "Confirm my signature"
                                </button>
                            </ActionForm>
                        }),
                        Ok(Confirmation::Confirmed) => EitherOf5::B(view! { <Confirmed confirm /> }),
                        Ok(Confirmation::Expired) => EitherOf5::C(view! {
                            <h1>"This link has expired"</h1>
                            <p class="lead">
                                "A signature has to be confirmed within 7 days, and this one was "
                                "not, so it was deleted. You are welcome to sign again."
                            </p>
                            <p><A href="/take-action" attr:class="button button-primary">"Sign the call"</A></p>
                        }),
                        Ok(Confirmation::Unknown) => EitherOf5::D(view! { <UnknownLink /> }),
                        Err(error) => EitherOf5::E(view! { <ErrorNotice error /> }),
                    }
                }))}
            </Suspense>
        </article>
    }
}

/// After the button: thanks, and the count the signature is now part of.
#[component]
fn Confirmed(confirm: ServerAction<ConfirmSignature>) -> impl IntoView {
    let heading = NodeRef::<html::H1>::new();
    // Confirmed in place: the button the focus was on is gone, so the focus goes to the news.
    Effect::new(move |_| {
        if confirm.value().with_untracked(Option::is_some) {
            if let Some(heading) = heading.get() {
                _ = heading.focus();
            }
        }
    });
    let count = Resource::new(|| (), |()| get_signature_count());
    view! {
        <h1 tabindex="-1" node_ref=heading>"Thank you: your signature is confirmed"</h1>
        <p class="lead">"You have joined the Call to Action for Leadership to build Shared Societies."</p>
        <Suspense>
            {async_view(move || Suspend::new(async move { count.await.ok().map(|count| view! { <SignatureMeter count /> }) }))}
        </Suspense>
        <p><A href="/take-action">"See the call and who signed it"</A></p>
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
        <p><A href="/take-action">"Back to the call"</A></p>
    }
}
