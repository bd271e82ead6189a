use crate::{
    api::pledges::{get_donation_totals, get_pledge},
    components::{
        async_view::async_view,
        donation_form::{DonationForm, PledgeInstructions},
        page_meta::PageMeta,
        status::{ErrorNotice, NotFound},
    },
    domain::pledge::{DonationTotals, PledgeView},
    locale::{money, number, use_locale, Locale},
};
use leptos::{either::EitherOf4, prelude::*};
use leptos_i18n::td_string;
use leptos_router::hooks::use_params_map;

/// `/donate`: the appeal, what has been received so far, and the pledge form.
#[component]
pub fn DonatePage() -> impl IntoView {
    crate::page_cache::content_and_figures();
    let locale = use_locale();
    let totals = Resource::new(|| (), |()| get_donation_totals());
    view! {
        <PageMeta
            title=td_string!(locale, pages.donate_label)
            description=td_string!(locale, pages.donate.description)
            path="/donate"
        />
        <article class="donate">
            <h1>{td_string!(locale, pages.donate_label)}</h1>
            <div class="with-aside">
                <div>
                    <p class="lead">{td_string!(locale, forms.prompt.appeal)}</p>
                    <Suspense>
                        {async_view(move || Suspend::new(async move {
                            totals.await.ok().and_then(|totals| received_line(locale, &totals)).map(|line| {
                                view! { <p class="donation-total">{line}</p> }
                            })
                        }))}
                    </Suspense>
                </div>
                <section class="sign" aria-labelledby="pledge-title">
                    <h2 id="pledge-title">{td_string!(locale, pages.donate.pledge_title)}</h2>
                    <DonationForm />
                </section>
            </div>
        </article>
    }
}

/// "€1,250 received from 12 gifts", counting received pledges only; nothing before the first.
fn received_line(locale: Locale, totals: &DonationTotals) -> Option<String> {
    if totals.gifts == 0 {
        return None;
    }
    let amounts: Vec<String> = totals
        .received
        .iter()
        .map(|amount| money(locale, amount))
        .collect();
    Some(td_string!(
        locale,
        pages.donate.received,
        count = totals.gifts,
        amounts = amounts.join(" + "),
        gifts = number(locale, totals.gifts)
    ))
}

/// `/donate/thanks/{reference}`: the transfer instructions of a pledge, for the browser that
/// made it; to anyone else, only that the pledge exists.
#[component]
pub fn PledgeThanksPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let pledge = Resource::new(
        move || params.read().get("reference").unwrap_or_default(),
        get_pledge,
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, pages.loading)}</p> }>
            {async_view(move || Suspend::new(async move {
                match pledge.await {
                    Ok(Some(PledgeView::Own(receipt))) => EitherOf4::A(view! {
                        <PageMeta
                            title=td_string!(locale, pages.donate.thanks_title)
                            description=td_string!(locale, pages.donate.thanks_description)
                            private=true
                        />
                        <article class="donate">
                            <p class="post-kind">{td_string!(locale, pages.donate_label)}</p>
                            <h1>
                                {td_string!(locale, pages.donate.your_pledge)}
                                <span class="nowrap">{receipt.reference.clone()}</span>
                            </h1>
                            <PledgeInstructions receipt />
                        </article>
                    }),
                    Ok(Some(PledgeView::Exists { reference })) => EitherOf4::B(view! {
                        <PageMeta
                            title=td_string!(locale, pages.donate.exists_title)
                            description=td_string!(locale, pages.donate.exists_description)
                            private=true
                        />
                        <article class="donate">
                            <p class="post-kind">{td_string!(locale, pages.donate_label)}</p>
                            <h1>
                                {td_string!(locale, pages.donate.pledge)}
                                <span class="nowrap">{reference}</span>
                            </h1>
                            <p>{td_string!(locale, pages.donate.exists_text)}</p>
                        </article>
                    }),
                    Ok(None) => EitherOf4::C(view! { <NotFound /> }),
                    Err(error) => EitherOf4::D(view! { <ErrorNotice error /> }),
                }
            }))}
        </Suspense>
    }
}
