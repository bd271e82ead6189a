use crate::{
    api::signups::get_signature_count, components::async_view::async_view,
    domain::signup::SignatureCount,
};
use leptos::{either::Either, prelude::*};

/// The confirmed signatures against the current goal.
#[component]
pub fn SignatureMeter(count: SignatureCount) -> impl IntoView {
    let goal = count.goal();
    let goal_text = crate::domain::signup::group_thousands(goal);
    view! {
        <div class="signature-meter" data-confirmed=count.confirmed>
            <p class="signature-headline">{count.headline()}</p>
            <progress
                max=goal
                value=count.confirmed
                aria-label=format!("Confirmed signatures towards the goal of {goal_text}")
            ></progress>
            <p class="signature-goal">{format!("Next goal: {goal_text} signatures")}</p>
        </div>
    }
}

/// The meter, loaded on its own (the home page).
#[component]
pub fn LiveSignatureMeter() -> impl IntoView {
    let count = Resource::new(|| (), |()| get_signature_count());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
