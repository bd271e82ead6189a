use crate::{
    api::signups::get_signature_count,
    components::async_view::async_view,
    domain::signup::SignatureCount,
    locale::{number, use_locale},
};
use leptos::{either::Either, prelude::*};
use leptos_i18n::td_string;

/// The confirmed signatures against the current goal.
#[component]
pub fn SignatureMeter(count: SignatureCount) -> impl IntoView {
    let locale = use_locale();
    let goal = count.goal();
    let shown = number(locale, goal);
    let towards = td_string!(locale, forms.meter.towards, goal = shown.clone());
    let next = td_string!(locale, forms.meter.next_goal, count = goal, shown);
    view! {
        <div class="signature-meter" data-confirmed=count.confirmed>
            <p class="signature-headline">{count.headline(locale)}</p>
            <progress max=goal value=count.confirmed aria-label=towards></progress>
            <p class="signature-goal">{next}</p>
        </div>
    }
}

/// The meter, loaded on its own (the home page).
#[component]
pub fn LiveSignatureMeter() -> impl IntoView {
    let locale = use_locale();
    let count = Resource::new(|| (), |()| get_signature_count());
    view! {
        <Suspense fallback=move || {
            view! { <p class="loading">{td_string!(locale, forms.meter.loading)}</p> }
        }>
            {async_view(move || Suspend::new(async move {
                match count.await {
                    Ok(count) => Either::Left(view! { <SignatureMeter count /> }),
                    // The page is still worth reading without its counter.
                    Err(_) => Either::Right(()),
                }
            }))}
        </Suspense>
    }
}
