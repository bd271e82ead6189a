use crate::{
    components::{
        consent::{
            preferences::{CategoryFacts, PreferencesForm},
            use_consent,
        },
        page_meta::PageMeta,
    },
    consent::{
        Category, ConsentRecord, ANALYTICS, COOKIE_NOTICE, COOKIE_NOTICE_TITLE, EXTERNAL_MEDIA,
        NECESSARY, POLICY_HISTORY, POLICY_VERSION, STORAGE_KEY,
    },
    domain::PublishedDate,
};
use leptos::prelude::*;

/// `/cookies`: the "COOKIES POLICY" the banner names: the old site's notice, what this site
/// really stores and sends, how to change the choice (the same form as the dialog), and the
/// policy's history.
#[component]
pub fn CookiesPage() -> impl IntoView {
    // The policy is fixed text.
    crate::page_cache::content_only();
    view! {
        <PageMeta
            title="Cookies policy"
            description="What this site stores in your browser and on its server, who receives what, for how long, and how to change your choice."
            path="/cookies"
        />
        <article class="policy">
            <h1>"Cookies policy"</h1>
            <section aria-labelledby="cookies-basics">
                <h2 id="cookies-basics">{COOKIE_NOTICE_TITLE}</h2>
                {COOKIE_NOTICE.map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
            </section>
            <section aria-labelledby="cookies-here">
                <h2 id="cookies-here">"What this site uses"</h2>
                <p>
                    "This site sets no cookies. What it keeps is listed below by category. "
                    "Nothing optional runs, and nothing is loaded from another site, until you "
                    "allow it; without JavaScript nothing optional can run at all."
                </p>
                {[NECESSARY, ANALYTICS, EXTERNAL_MEDIA].map(|category| view! { <CategorySection category /> }).collect_view()}
            </section>
            <section aria-labelledby="cookies-storage">
                <h2 id="cookies-storage">"Storage in your browser"</h2>
                <table class="storage-table">
                    <caption class="visually-hidden">"Every key this site keeps in your browser"</caption>
                    <thead>
                        <tr><th scope="col">"Key"</th><th scope="col">"Where"</th><th scope="col">"Holds"</th><th scope="col">"Lifetime"</th></tr>
                    </thead>
                    <tbody>
                        <tr>
                            <th scope="row"><StorageKey /></th>
                            <td data-label="Where">"Local storage"</td>
                            <td data-label="Holds">
                                "Your choice as "<code>"{version, choices, decided_at, id}"</code>
                                ": the policy version (now "{POLICY_VERSION}"), what you allowed, when, "
                                "and a random identifier of that choice."
                            </td>
                            <td data-label="Lifetime">"12 months after you allow anything, 6 months after you reject all."</td>
                        </tr>
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="cookies-change">
                <h2 id="cookies-change">"Change or withdraw your choice"</h2>
                <p>
                    "Use these switches, or “Cookie settings” at the foot of any page. Withdrawing "
                    "is as easy as allowing: switch a category off and save, or reject all. It "
                    "takes effect at once, without reloading the page. You can also clear this "
                    "site's data in your browser's settings, and we will ask again."
                </p>
                <p class="consent-no-js">
                    "The switches work with JavaScript. Without it, nothing optional runs on this "
                    "site, so there is nothing to allow."
                </p>
                <CurrentChoice />
                <PreferencesForm id_prefix="policy".to_owned() />
            </section>
            <section aria-labelledby="cookies-history">
                <h2 id="cookies-history">"Changes to this policy"</h2>
                <p>"When this policy changes, the banner asks everyone again and says what changed."</p>
                <ul>
                    {POLICY_HISTORY
                        .map(|change| {
                            let date = PublishedDate::parse(change.date).ok();
                            view! {
                                <li>
                                    <strong>{format!("Version {}", change.version)}</strong>
                                    {date.map(|date| view! { ", " <time datetime=date.iso()>{date.long()}</time> })}
                                    ": "
                                    {change.summary}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </article>
    }
}

/// The storage key, breakable after its dot only, so a narrow table does not split a word.
#[component]
fn StorageKey() -> impl IntoView {
    let (site, name) = STORAGE_KEY.split_once('.').unwrap_or((STORAGE_KEY, ""));
    view! { <code>{site}"."<wbr />{name}</code> }
}

#[component]
fn CategorySection(category: Category) -> impl IntoView {
    view! {
        <section class="policy-category">
            <h3>{category.name}{category.key.is_none().then_some(" (always on)")}</h3>
            <p>{category.purpose}</p>
            <CategoryFacts category />
        </section>
    }
}

/// The choice in force in this browser, with the identifier that finds its proof on the
/// server. The same rows before and after hydration, so filling them in moves nothing; changes
/// are announced.
#[island(lazy)]
fn CurrentChoice() -> impl IntoView {
    let state = use_consent();
    let record = Memo::new(move |_| state.record());
    let allowed = move |pick: fn(&ConsentRecord) -> bool| {
        move || match record.get() {
            Some(record) if pick(&record) => "allowed",
            _ => "not allowed",
        }
    };
    let when = move || {
        record.get().map_or_else(
            || "no choice made yet".to_owned(),
            |record| {
                let minute = record.decided_at.get(..16).unwrap_or_default();
                format!("{} UTC", minute.replace('T', " "))
            },
        )
    };
    let id = move || {
        record
            .get()
            .map_or_else(|| "none".to_owned(), |record| record.id)
    };
    view! {
        <div class="consent-current" aria-live="polite">
            <h3>"Your choice in this browser"</h3>
            <dl>
                <div><dt>"Analytics"</dt><dd>{allowed(|r| r.choices.analytics)}</dd></div>
                <div><dt>"External media"</dt><dd>{allowed(|r| r.choices.external_media)}</dd></div>
                <div><dt>"Made"</dt><dd>{when}</dd></div>
                <div class="consent-record"><dt>"Record"</dt><dd><code>{id}</code></dd></div>
            </dl>
        </div>
    }
}
