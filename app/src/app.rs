use crate::{
    components::{
        consent::ConsentProvider,
        layout::Layout,
        site_context::{provide_donation_settings, provide_public_url},
    },
    locale::provide_locale,
    pages::{
        confirm::ConfirmPage,
        cookies::CookiesPage,
        donate::{DonatePage, PledgeThanksPage},
        home::HomePage,
        member::{MemberPage, MembersPage},
        news::{NewsPage, TagPage},
        news_post::NewsPostPage,
        not_found::NotFoundPage,
        resource::ResourcePage,
        search::SearchPage,
        staff::{
            AccountsPage, AuditPage, DeleteMemberPage, DeletePostPage, EditMemberPage,
            EditPostPage, EraseSupporterPage, ForgotPasswordPage, NewMemberPage, NewPostPage,
            PreviewPostPage, ReceivePledgePage, RevisionPage, SetPasswordPage, SignaturesPage,
            StaffHomePage, StaffLoginPage, StaffMembersPage, StaffPledgesPage, StaffPostsPage,
            SupporterPage,
        },
        take_action::{SignedPage, TakeActionPage},
    },
    site::SITE_NAME,
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Outlet, ParentRoute, Route, Router, Routes},
    path, MatchNestedRoutes, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = provide_locale();
    view! {
        <!DOCTYPE html>
        <html lang=crate::locale::code(locale)>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                // A slow connection brings the page in pieces, and a browser that paints a piece
                // shows the header's and footer's right-aligned links sliding left as each one
                // arrives, or a button's text re-centring. Chromium paints as soon as the
                // expected element has started, so it is an empty one after the footer. Pages
                // are a few KB, so the whole of one costs no time to speak of.
                <link rel="expect" href="#page-end" blocking="render" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link
                    rel="alternate"
                    type="application/atom+xml"
                    title=td_string!(locale, common.feed_title)
                    href=crate::locale::localized(locale, "/feed.xml")
                />
                <AutoReload options=options.clone() />
                <AppFiles options />
                <leptos_meta::MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet, and the script that hydrates the page.
///
/// Hydration starts when the browser is first idle, and only then are the JS and wasm fetched:
/// the page is whole without them (links and forms work as plain HTML), so they must not
/// compete with the stylesheet or delay the first paint. Leptos's `HydrationScripts` preloads
/// the wasm in the head, where it took the phone's bandwidth while the page was painting.
#[cfg(feature = "ssr")]
#[component]
fn AppFiles(options: LeptosOptions) -> impl IntoView {
    use crate::server::{site_files::SiteFiles, state::AppState};
    // Islands: only what renders inside an island is sent for the browser to hydrate.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    // No state while the route list is generated at startup; nothing is rendered then.
    let files = use_context::<AppState>().map_or_else(
        || SiteFiles::of(&options, None),
        |state| state.site.files.clone(),
    );
    view! {
        <link rel="stylesheet" id="leptos" href=files.css />
        <script type="module">
            {files.hydration_script}
        </script>
    }
}

/// The whole site: layout, routes, and the browser-side consent state.
///
/// Content routes render with [`SsrMode::Async`]: the server waits for the database before
/// sending anything, so the page (and its `<title>`, description and status code) is complete
/// without JavaScript and a 404 is a real 404.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = provide_locale();
    provide_public_url();
    provide_donation_settings();

    view! {
        <Title formatter=document_title />
        <Router>
            // First of all, even before the cookie banner.
            <a class="skip-link" href="#main">{td_string!(locale, common.skip_to_content)}</a>
            <ConsentProvider>
                <Layout>
                    <Routes fallback=NotFoundPage>
                        <PublicRoutes />
                        <ParentRoute path=path!("/es") view=Outlet>
                            <PublicRoutes />
                        </ParentRoute>
                        <Route path=path!("/staff") view=StaffHomePage ssr=SsrMode::Async />
                        <Route path=path!("/staff/login") view=StaffLoginPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/forgot") view=ForgotPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/set-password/:token") view=SetPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/pledges") view=StaffPledgesPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/pledges/receive/:reference") view=ReceivePledgePage ssr=SsrMode::Async />
                        <Route path=path!("/staff/audit") view=AuditPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/accounts") view=AccountsPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/signatures") view=SignaturesPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/supporter") view=SupporterPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/supporter/erase") view=EraseSupporterPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/posts") view=StaffPostsPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/members") view=StaffMembersPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/members/new") view=NewMemberPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/members/edit/:slug") view=EditMemberPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/members/delete/:slug") view=DeleteMemberPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/posts/new") view=NewPostPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/posts/edit/:slug") view=EditPostPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/posts/delete/:slug") view=DeletePostPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/posts/preview/:slug") view=PreviewPostPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/posts/revision/:slug/:revision") view=RevisionPage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </ConsentProvider>
        </Router>
    }
}

/// Every page the public reads, once at `/…` in English and once at `/es/…` in Spanish (the
/// page reads its language with [`crate::locale::use_locale`]).
#[component(transparent)]
fn PublicRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
            <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
            <Route path=path!("/news") view=NewsPage ssr=SsrMode::Async />
            <Route path=path!("/news/tag/:tag") view=TagPage ssr=SsrMode::Async />
            <Route path=path!("/news/:slug") view=NewsPostPage ssr=SsrMode::Async />
            <Route path=path!("/members") view=MembersPage ssr=SsrMode::Async />
            <Route path=path!("/members/:slug") view=MemberPage ssr=SsrMode::Async />
            <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
            <Route path=path!("/resources/:slug") view=ResourcePage ssr=SsrMode::Async />
            <Route path=path!("/take-action") view=TakeActionPage ssr=SsrMode::Async />
            <Route path=path!("/take-action/thanks") view=SignedPage ssr=SsrMode::Async />
            <Route path=path!("/take-action/confirm/:token") view=ConfirmPage ssr=SsrMode::Async />
            <Route path=path!("/donate") view=DonatePage ssr=SsrMode::Async />
            <Route path=path!("/donate/thanks/:reference") view=PledgeThanksPage ssr=SsrMode::Async />
            <Route path=path!("/cookies") view=CookiesPage />
    }
    .into_inner()
}

/// The browser's entry, before the loader hydrates each island: the root owner every island
/// descends from, and the consent state they share.
#[cfg(feature = "hydrate")]
pub fn hydrate_islands() {
    leptos::mount::hydrate_islands();
    crate::components::consent::start_in_browser();
}

/// "Post title · Shared Societies", or the site's name alone.
fn document_title(title: String) -> String {
    let full = if title.is_empty() {
        SITE_NAME.to_owned()
    } else {
        format!("{title} · {SITE_NAME}")
    };
    // leptos_meta 0.8.7 writes the server's `<title>` into the page without escaping it, so a
    // title holding `</title>` would end the element and inject markup. The browser sets
    // `document.title`, which is text, so only the server's copy is escaped.
    #[cfg(feature = "ssr")]
    {
        full.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    #[cfg(not(feature = "ssr"))]
    {
        full
    }
}
