use crate::{
    components::{
        consent::{
            category_text, cookie_notice, policy_change_summary,
            preferences::{CategoryFacts, PreferencesForm},
            use_consent,
        },
        page_meta::PageMeta,
    },
    consent::{
        Category, ConsentRecord, ANALYTICS, EXTERNAL_MEDIA, NECESSARY, POLICY_HISTORY,
        POLICY_VERSION, STORAGE_KEY,
    },
    domain::PublishedDate,
    locale::{long_date, use_locale, Locale},
};
use leptos::prelude::*;
use leptos_i18n::td_string;

/// `/cookies`: the "COOKIES POLICY" the banner names: the old site's notice, what this site
/// really stores and sends, how to change the choice (the same form as the dialog), and the
/// policy's history.
#[component]
pub fn CookiesPage() -> impl IntoView {
    // The policy is fixed text.
    crate::page_cache::content_only();
    let locale = use_locale();
    let (notice_title, notice) = cookie_notice(locale);
    let where_label = td_string!(locale, consent.policy.col_where);
    let holds_label = td_string!(locale, consent.policy.col_holds);
    let lifetime_label = td_string!(locale, consent.policy.col_lifetime);
    view! {
        <PageMeta
            title=td_string!(locale, consent.policy.title)
            description=td_string!(locale, consent.policy.description)
            path="/cookies"
        />
        <article class="policy">
            <h1>{td_string!(locale, consent.policy.title)}</h1>
            <section aria-labelledby="cookies-basics">
                <h2 id="cookies-basics">{notice_title}</h2>
                {notice.map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
            </section>
            <section aria-labelledby="cookies-here">
                <h2 id="cookies-here">{td_string!(locale, consent.policy.here_title)}</h2>
                <p>{td_string!(locale, consent.policy.here_text)}</p>
                {[NECESSARY, ANALYTICS, EXTERNAL_MEDIA].map(|category| view! { <CategorySection category locale /> }).collect_view()}
            </section>
            <section aria-labelledby="cookies-storage">
                <h2 id="cookies-storage">{td_string!(locale, consent.policy.storage_title)}</h2>
                <table class="storage-table">
                    <caption class="visually-hidden">{td_string!(locale, consent.policy.storage_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, consent.policy.col_key)}</th>
                            <th scope="col">{where_label}</th>
                            <th scope="col">{holds_label}</th>
                            <th scope="col">{lifetime_label}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr>
                            <th scope="row"><StorageKey /></th>
                            <td data-label=where_label>{td_string!(locale, consent.policy.local_storage)}</td>
                            <td data-label=holds_label>
                                {td_string!(locale, consent.policy.holds_before)}
                                <code>"{version, choices, decided_at, id}"</code>
                                {td_string!(locale, consent.policy.holds_after, version = POLICY_VERSION)}
                            </td>
                            <td data-label=lifetime_label>{td_string!(locale, consent.policy.lifetime_text)}</td>
                        </tr>
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="cookies-change">
                <h2 id="cookies-change">{td_string!(locale, consent.policy.change_title)}</h2>
                <p>{td_string!(locale, consent.policy.change_text)}</p>
                <p class="consent-no-js">{td_string!(locale, consent.policy.no_js)}</p>
                <CurrentChoice locale />
                <PreferencesForm id_prefix="policy".to_owned() locale />
            </section>
            <section aria-labelledby="cookies-history">
                <h2 id="cookies-history">{td_string!(locale, consent.policy.history_title)}</h2>
                <p>{td_string!(locale, consent.policy.history_text)}</p>
                <ul>
                    {POLICY_HISTORY
                        .map(|change| {
                            let date = PublishedDate::parse(change.date).ok();
                            view! {
                                <li>
                                    <strong>{td_string!(locale, consent.policy.version, version = change.version)}</strong>
                                    {date.map(|date| view! { ", " <time datetime=date.iso()>{long_date(locale, date)}</time> })}
                                    ": "
                                    {policy_change_summary(locale, &change)}
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
fn CategorySection(category: Category, locale: Locale) -> impl IntoView {
    let text = category_text(locale, &category);
    view! {
        <section class="policy-category">
            <h3>{text.name}{category.key.is_none().then_some(td_string!(locale, consent.form.always_on))}</h3>
            <p>{text.purpose}</p>
            <CategoryFacts category locale />
        </section>
    }
}

/// The choice in force in this browser, with the identifier that finds its proof on the
/// server. The same rows before and after hydration, so filling them in moves nothing; changes
/// are announced. `locale`: the page's language (an island hydrates without the page's context).
#[island(lazy)]
fn CurrentChoice(locale: Locale) -> impl IntoView {
    let state = use_consent();
    let record = Memo::new(move |_| state.record());
    let allowed = move |pick: fn(&ConsentRecord) -> bool| {
        move || match record.get() {
            Some(record) if pick(&record) => td_string!(locale, consent.current.allowed),
            _ => td_string!(locale, consent.current.not_allowed),
        }
    };
    let when = move || {
        record.get().map_or_else(
            || td_string!(locale, consent.current.none_yet).to_owned(),
            |record| {
                let minute = record.decided_at.get(..16).unwrap_or_default();
                format!("{} UTC", minute.replace('T', " "))
            },
        )
    };
    let id = move || {
        record.get().map_or_else(
            || td_string!(locale, consent.current.no_record).to_owned(),
            |record| record.id,
        )
    };
    view! {
        <div class="consent-current" aria-live="polite">
            <h3>{td_string!(locale, consent.current.title)}</h3>
            <dl>
                <div><dt>{category_text(locale, &ANALYTICS).name}</dt><dd>{allowed(|r| r.choices.analytics)}</dd></div>
                <div><dt>{category_text(locale, &EXTERNAL_MEDIA).name}</dt><dd>{allowed(|r| r.choices.external_media)}</dd></div>
                <div><dt>{td_string!(locale, consent.current.made)}</dt><dd>{when}</dd></div>
                <div class="consent-record"><dt>{td_string!(locale, consent.current.record)}</dt><dd><code>{id}</code></dd></div>
            </dl>
        </div>
    }
}
