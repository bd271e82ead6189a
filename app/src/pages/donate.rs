use crate::{
    api::pledges::{get_donation_totals, get_pledge},
    components::{
        async_view::async_view,
        donation_form::{DonationForm, PledgeInstructions},
        donation_prompt::DONATION_APPEAL,
        page_meta::PageMeta,
        status::{ErrorNotice, NotFound},
    },
    domain::{
        pledge::{DonationTotals, PledgeView},
        signup::group_thousands,
    },
};
use leptos::{either::EitherOf4, prelude::*};
use leptos_router::hooks::use_params_map;

/// `/donate`: the appeal, what has been received so far, and the pledge form.
#[component]
pub fn DonatePage() -> impl IntoView {
    crate::page_cache::content_and_figures();
    let totals = Resource::new(|| (), |()| get_donation_totals());
    view! {
        <PageMeta
            title="Donate"
            description="Support WLA-CdM in advancing democracy worldwide: pledge a gift, once or every month."
            path="/donate"
        />
        <article class="donate">
            <h1>"Donate"</h1>
            <div class="with-aside">
                <div>
                    <p class="lead">{DONATION_APPEAL}</p>
                    <Suspense>
                        {async_view(move || Suspend::new(async move {
                            totals.await.ok().and_then(|totals| received_line(&totals)).map(|line| {
                                view! { <p class="donation-total">{line}</p> }
                            })
                        }))}
                    </Suspense>
                </div>
                <section class="sign" aria-labelledby="pledge-title">
                    <h2 id="pledge-title">"Pledge a gift"</h2>
                    <DonationForm />
                </section>
            </div>
        </article>
    }
}

/// "€1,250 received from 12 gifts", counting received pledges only; nothing before the first.
fn received_line(totals: &DonationTotals) -> Option<String> {
    if totals.gifts == 0 {
        return None;
    }
    let amounts: Vec<String> = totals
        .received
        .iter()
        .map(|money| money.display())
        .collect();
    let gifts = match totals.gifts {
        1 => "1 gift".to_owned(),
        n => format!("{} gifts", group_thousands(n)),
    };
    Some(format!(
        "{} received so far, from {gifts}. Thank you.",
        amounts.join(" + ")
    ))
}

/// `/donate/thanks/{reference}`: the transfer instructions of a pledge, for the browser that
/// made it; to anyone else, only that the pledge exists.
#[component]
pub fn PledgeThanksPage() -> impl IntoView {
    let params = use_params_map();
    let pledge = Resource::new(
        move || params.read().get("reference").unwrap_or_default(),
        get_pledge,
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {async_view(move || Suspend::new(async move {
                match pledge.await {
                    Ok(Some(PledgeView::Own(receipt))) => EitherOf4::A(view! {
                        <PageMeta
                            title="Thank you for your pledge"
                            description="How to transfer your pledged gift."
                            private=true
                        />
                        <article class="donate">
                            <p class="post-kind">"Donate"</p>
                            <h1>"Your pledge " <span class="nowrap">{receipt.reference.clone()}</span></h1>
                            <PledgeInstructions receipt />
                        </article>
                    }),
                    Ok(Some(PledgeView::Exists { reference })) => EitherOf4::B(view! {
                        <PageMeta
                            title="Your pledge"
                            description="A pledge to WLA-CdM."
                            private=true
                        />
                        <article class="donate">
                            <p class="post-kind">"Donate"</p>
                            <h1>"Pledge " <span class="nowrap">{reference}</span></h1>
                            <p>
                                "A pledge with this reference exists — check your mail for the "
                                "transfer details."
                            </p>
                        </article>
                    }),
                    Ok(None) => EitherOf4::C(view! { <NotFound /> }),
                    Err(error) => EitherOf4::D(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}
