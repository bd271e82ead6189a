//! A table of the workspace: on a phone it scrolls sideways inside a region that a keyboard
//! can reach (it takes focus) and a screen reader names by the table's caption, instead of
//! squeezing its cells letter by letter.

use leptos::prelude::*;

#[component]
pub fn ScrollTable(
    /// The caption's id, which names the scrolling region: unique on the page.
    id: &'static str,
    #[prop(into)] caption: String,
    /// The column headings.
    heads: &'static [&'static str],
    /// How many of the last columns hold figures (right-aligned, digits in line).
    #[prop(optional)]
    figures: usize,
    /// The rows.
    children: Children,
) -> impl IntoView {
    let first_figure = heads.len().saturating_sub(figures);
    let heads = heads
        .iter()
        .enumerate()
        .map(|(index, head)| {
            let class = (index >= first_figure).then_some("number");
            view! { <th scope="col" class=class>{*head}</th> }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=id>
            <table class="staff-table">
                <caption id=id>{caption}</caption>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
