use crate::{
    components::{consent_banner::CookieSettingsButton, page_meta::PageMeta},
    consent::{COOKIE_NOTICE, COOKIE_NOTICE_TITLE, POLICY_VERSION, STORAGE_KEY},
};
use leptos::prelude::*;

/// `/cookies`: the "COOKIES POLICY" the banner names, and what this site really stores.
#[component]
pub fn CookiesPage() -> impl IntoView {
    view! {
        <PageMeta
            title="Cookies policy"
            description="What cookies and browser storage this site uses, and how to change your choice."
            path="/cookies"
        />
        <article class="policy">
            <h1>"Cookies policy"</h1>
            <section aria-labelledby="cookies-basics">
                <h2 id="cookies-basics">{COOKIE_NOTICE_TITLE}</h2>
                {COOKIE_NOTICE.map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
            </section>
            <section aria-labelledby="cookies-here">
                <h2 id="cookies-here">"What this site stores"</h2>
                <p>
                    "This site sets no cookies. It keeps one entry in your browser's local "
                    "storage, and only once you have made a choice:"
                </p>
                <dl class="storage-list">
                    <dt><code>{STORAGE_KEY}</code></dt>
                    <dd>
                        "Necessary. Your cookie choice (policy version "
                        {POLICY_VERSION}
                        ", the categories you allowed, when you chose, and a random identifier "
                        "of that choice). It stays in your browser: 12 months after an accept, "
                        "6 months after a reject, after which we ask again."
                    </dd>
                </dl>
                <p>
                    "Nothing optional, such as analytics or media from other sites, runs before "
                    "you allow it."
                </p>
            </section>
            <section aria-labelledby="cookies-change">
                <h2 id="cookies-change">"Changing your choice"</h2>
                <p>
                    "Use “Cookie settings” at the foot of any page, or the button below, to "
                    "accept, reject or choose again. You can also clear this site's data in "
                    "your browser's settings."
                </p>
                <p>
                    <CookieSettingsButton
                        id="cookie-settings-policy"
                        label="Change my cookie choice"
                        class="button"
                    />
                </p>
                <p>"With JavaScript turned off, nothing optional can run on this site at all."</p>
            </section>
        </article>
    }
}
