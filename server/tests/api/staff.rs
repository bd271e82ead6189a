//! The staff workspace over HTTP: accounts from the command line, the password link, login
//! and logout, sessions, roles on every page and function, and the audit trail.

use crate::helpers::{
    cookie_pair, form, location, pledge_form, run_binary_beside, set_cookies, spawn_app, TestApp,
};
use app::{
    domain::{staff::Role, EmailAddress},
    server::staff::{self, Added},
};
use reqwest::StatusCode;

const LOGIN: &str = "/api/staff/login";
const PASSWORD: &str = "/api/staff/password";
const LOGOUT: &str = "/api/staff/logout";
/// The name of the session cookie over HTTPS (the tests' public URL is one).
const SESSION: &str = "__Host-staff";
const GOOD_PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// A new account with `role`, and the token of its invitation link.
    async fn invite(&self, email: &str, role: Role) -> String {
        let email = EmailAddress::parse(email).expect("an address");
        match staff::add_account(&self.db, &email, role, staff::COMMAND_LINE)
            .await
            .expect("adds")
        {
            Added::Invited(token) => token.as_ref().to_owned(),
            Added::Exists => panic!("a new account"),
        }
    }

    /// POSTs `fields` as a script does (it wants JSON back), carrying `cookie`.
    async fn script_post<T: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        fields: &T,
        cookie: &str,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("accept", "application/json")
            .header("cookie", cookie)
            .form(fields)
            .send()
            .await
            .expect("the server answers")
    }

    /// POSTs a staff form as a browser without JavaScript, carrying `cookie`.
    async fn staff_post(
        &self,
        path: &str,
        fields: &[(String, String)],
        referer: &str,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("accept", "text/html")
            .header("referer", self.url(referer))
            .form(fields);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("the server answers")
    }

    async fn set_password(&self, token: &str, password: &str) -> reqwest::Response {
        let fields = form(
            &[
                ("token", token),
                ("password", password),
                ("confirm", password),
            ],
            &[],
        );
        self.staff_post(
            PASSWORD,
            &fields,
            &format!("/staff/set-password/{token}"),
            None,
        )
        .await
    }

    async fn log_in(&self, email: &str, password: &str, cookie: Option<&str>) -> reqwest::Response {
        let fields = form(&[("email", email), ("password", password)], &[]);
        self.staff_post(LOGIN, &fields, "/staff/login", cookie)
            .await
    }

    /// The page a refused form post leads back to, with what was sent in its fields: the
    /// answer's cookies sent back beside the session's, as a browser keeps them.
    async fn sent_back(&self, refused: &reqwest::Response, session: &str) -> crate::helpers::Page {
        let cookies: Vec<String> = set_cookies(refused)
            .iter()
            .map(|set| cookie_pair(set))
            .chain([session.to_owned()])
            .collect();
        self.page_with_cookie(&path_of(&location(refused)), Some(&cookies.join("; ")))
            .await
    }

    /// A staff member with `role`, invited, with a password, logged in: their cookie.
    async fn staff_member(&self, email: &str, role: Role) -> String {
        let token = self.invite(email, role).await;
        assert!(self
            .set_password(&token, GOOD_PASSWORD)
            .await
            .status()
            .is_redirection());
        let response = self.log_in(email, GOOD_PASSWORD, None).await;
        assert_eq!(location(&response), "/staff", "logged in");
        session_cookie(&response).expect("a session cookie")
    }

    /// The audit trail's actions, newest first.
    async fn audit_actions(&self) -> Vec<String> {
        self.scalars("SELECT action FROM audit_log ORDER BY id DESC", &[])
            .await
    }
}

/// The path (and query) of a URL of the site under test.
/// The value of the first date field of `html`.
fn date_value(html: &str) -> String {
    let field = html.find("type=\"date\"").expect("a date field");
    let value = html[field..].find("value=\"").expect("a value") + field + 7;
    html[value..value + 10].to_owned()
}

const RECEIVED: &str = "/api/staff/pledges/received";

fn path_of(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    rest.find('/')
        .map_or_else(|| "/".to_owned(), |slash| rest[slash..].to_owned())
}

/// The `name=value` of the session cookie a response sets.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    set_cookies(response)
        .into_iter()
        .find(|cookie| cookie.starts_with(&format!("{SESSION}=")))
        .map(|cookie| cookie_pair(&cookie))
}

#[tokio::test]
async fn every_staff_page_without_a_session_leads_to_the_login_form() {
    let app = spawn_app().await;
    for path in ["/staff", "/staff/pledges", "/staff/audit"] {
        let response = app
            .client
            .get(app.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("answers");
        assert!(
            response.status().is_redirection(),
            "{path}: {}",
            response.status()
        );
        assert_eq!(location(&response), "/staff/login", "{path}");
    }
    // A script calling a staff function without a session is told so.
    for path in ["/api/staff/pledges", "/api/staff/audit"] {
        let response = app.post_from_script(path, &[]).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let marked = app
        .post_from_script(
            RECEIVED,
            &form(
                &[
                    ("reference", "SS-0000-0000"),
                    ("received_on", "2026-01-01"),
                    ("via", "cash"),
                ],
                &[],
            ),
        )
        .await;
    assert_eq!(marked.status(), StatusCode::UNAUTHORIZED);
    let login = app.page("/staff/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.html.contains("autocomplete=\"current-password\""));
    assert_eq!(
        crate::helpers::header(&login.headers, "cache-control"),
        "private, no-store"
    );
}

#[tokio::test]
async fn an_invitation_sets_a_password_once_and_logging_in_starts_a_new_session() {
    let app = spawn_app().await;
    let token = app.invite("Ana@Example.org", Role::Admin).await;
    let page = app.page(&format!("/staff/set-password/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("For the account ana@example.org"));

    // Too short, then two different copies: the form comes back, the link still works.
    let short = app.set_password(&token, "short").await;
    assert!(location(&short).contains(&format!("/staff/set-password/{token}?")));
    let fields = form(
        &[
            ("token", &token),
            ("password", GOOD_PASSWORD),
            ("confirm", "another password entirely"),
        ],
        &[],
    );
    let differ = app
        .staff_post(
            PASSWORD,
            &fields,
            &format!("/staff/set-password/{token}"),
            None,
        )
        .await;
    let shown = app.page(&path_of(&location(&differ))).await.text();
    assert!(shown.contains("The two passwords differ"), "{shown}");

    let set = app.set_password(&token, GOOD_PASSWORD).await;
    assert_eq!(location(&set), "/staff/login?password=set");
    let notice = app.page("/staff/login?password=set").await;
    assert!(notice.text().contains("Your password is set"));
    // Once only.
    let again = app.set_password(&token, "a different good password").await;
    let shown = app.page(&path_of(&location(&again))).await.text();
    assert!(
        shown.contains("This link does not work any more"),
        "{shown}"
    );
    assert_eq!(
        app.page(&format!("/staff/set-password/{token}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A session id planted before the login is not the one logged in.
    let planted = format!("{SESSION}=planted-by-someone-else");
    let response = app
        .log_in("ana@example.org", GOOD_PASSWORD, Some(&planted))
        .await;
    assert_eq!(location(&response), "/staff");
    let cookie = session_cookie(&response).expect("a session cookie");
    assert_ne!(cookie, planted);
    let set_cookie = set_cookies(&response)
        .into_iter()
        .find(|cookie| cookie.starts_with(SESSION))
        .expect("the cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }
    let home = app.page_with_cookie("/staff", Some(&cookie)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text().contains("Logged in as ana@example.org, admin."));
    assert_eq!(
        app.page_with_cookie("/staff", Some(&planted)).await.status,
        StatusCode::FOUND,
        "the planted id is nobody's session"
    );

    // Logging out ends the session on the server: the same cookie is worth nothing.
    let out = app.staff_post(LOGOUT, &[], "/staff", Some(&cookie)).await;
    assert_eq!(location(&out), "/staff/login");
    let after = app.page_with_cookie("/staff", Some(&cookie)).await;
    assert!(after.status.is_redirection());
    assert_eq!(
        app.audit_actions().await,
        ["logout", "login", "password.set", "account.invite"]
    );
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_limited_and_never_recorded() {
    let app = spawn_app().await;
    app.staff_member("bo@example.org", Role::Editor).await;
    let unknown = app.log_in("nobody@example.org", GOOD_PASSWORD, None).await;
    let wrong = app.log_in("bo@example.org", "not the password", None).await;
    assert_eq!(
        location(&unknown).split('?').nth(1),
        location(&wrong).split('?').nth(1),
        "the same answer whether or not the account exists"
    );
    let page = app.page(&path_of(&location(&wrong))).await;
    assert!(page
        .text()
        .contains("That email address and password do not match an account"));
    assert!(session_cookie(&wrong).is_none());

    for _ in 0..4 {
        app.log_in("bo@example.org", "still not it", None).await;
    }
    // Five failures in a row: now even the right password waits.
    let limited = app.log_in("bo@example.org", GOOD_PASSWORD, None).await;
    assert!(session_cookie(&limited).is_none());
    let page = app.page(&path_of(&location(&limited))).await;
    assert!(page
        .text()
        .contains("Too many attempts to log in. Wait 15 minutes"));

    let recorded: Vec<String> = app
        .scalars(
            "SELECT actor || ' ' || action || ' ' || object || ' ' || detail FROM audit_log",
            &[],
        )
        .await;
    assert!(recorded
        .iter()
        .all(|entry| !entry.contains("not the password")
            && !entry.contains("still not it")
            && !entry.contains(GOOD_PASSWORD)));
    let failed: i64 = app
        .scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'login.failed'",
            &[],
        )
        .await;
    assert_eq!(failed, 6);
}

#[tokio::test]
async fn each_role_reaches_its_own_parts_and_no_other() {
    let app = spawn_app().await;
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let fundraiser = app.staff_member("fu@example.org", Role::Fundraiser).await;
    let admin = app.staff_member("ad@example.org", Role::Admin).await;
    for (cookie, path, status) in [
        (&editor, "/staff", StatusCode::OK),
        (&editor, "/staff/pledges", StatusCode::FORBIDDEN),
        (&editor, "/staff/audit", StatusCode::FORBIDDEN),
        (&fundraiser, "/staff/pledges", StatusCode::OK),
        (&fundraiser, "/staff/audit", StatusCode::FORBIDDEN),
        (&admin, "/staff/pledges", StatusCode::OK),
        (&admin, "/staff/audit", StatusCode::OK),
    ] {
        let page = app.page_with_cookie(path, Some(cookie)).await;
        assert_eq!(page.status, status, "{cookie} {path}");
    }
    let refused = app.page_with_cookie("/staff/pledges", Some(&editor)).await;
    assert!(refused
        .text()
        .contains("This part of the workspace is not for your role"));
    // The editor's home offers neither.
    let home = app.page_with_cookie("/staff", Some(&editor)).await;
    assert!(!home.html.contains("/staff/pledges") && !home.html.contains("/staff/audit"));
    let script = app
        .script_post(
            "/api/staff/pledges",
            &Vec::<(String, String)>::new(),
            &editor,
        )
        .await;
    assert_eq!(script.status(), StatusCode::FORBIDDEN);

    let trail = app.page_with_cookie("/staff/audit", Some(&admin)).await;
    let text = trail.text();
    // Who, what, on whom, from where: one row's cells.
    assert!(
        text.contains("fu@example.orgloginfu@example.org127.0.0.1"),
        "{text}"
    );
    let filtered = app
        .page_with_cookie("/staff/audit?action=account.invite", Some(&admin))
        .await
        .text();
    assert!(
        filtered.contains("3 entries of “account.invite”"),
        "{filtered}"
    );
    let rows = filtered.split("WhoWhatOnDetail").nth(1).expect("the table");
    assert!(
        !rows.contains("password.set") && !rows.contains("login"),
        "{rows}"
    );
}

#[tokio::test]
async fn a_fundraiser_marks_a_pledge_received_and_the_public_total_moves() {
    let app = spawn_app().await;
    let fundraiser = app.staff_member("fu@example.org", Role::Fundraiser).await;
    app.post_from_script("/api/pledge", &pledge_form(&[("amount", "50")]))
        .await;
    let reference: String = app.scalar("SELECT reference FROM pledges", &[]).await;
    let list = app
        .page_with_cookie("/staff/pledges", Some(&fundraiser))
        .await;
    assert!(list.text().contains(&reference));
    assert!(list.text().contains("€50"));
    assert!(!app.page("/donate").await.text().contains("received so far"));

    assert!(list
        .html
        .contains(&format!("href=\"/staff/pledges/receive/{reference}\"")));

    // The form proposes today; a day ahead, or before the pledge, is refused next to the
    // field with what was chosen kept.
    let receive = format!("/staff/pledges/receive/{reference}");
    let page = app.page_with_cookie(&receive, Some(&fundraiser)).await;
    let today = date_value(&page.html);
    let send = |day: &str, via: &str| {
        form(
            &[
                ("reference", &reference),
                ("received_on", day),
                ("via", via),
            ],
            &[],
        )
    };
    for (day, message) in [
        ("2999-01-01", "cannot be after today"),
        ("2001-02-03", "before the pledge was made"),
        ("3 May", "as year-month-day"),
    ] {
        let refused = app
            .staff_post(RECEIVED, &send(day, "cash"), &receive, Some(&fundraiser))
            .await;
        let shown = app.sent_back(&refused, &fundraiser).await;
        assert!(shown.text().contains(message), "{day}: {}", shown.text());
        assert!(
            shown.html.contains(&format!("value=\"{day}\"")),
            "{day} is kept"
        );
        assert!(
            shown.html.contains("value=\"cash\" selected"),
            "{}",
            shown.html
        );
    }
    assert!(!app.page("/donate").await.text().contains("received so far"));

    let marked = app
        .staff_post(RECEIVED, &send(&today, "cash"), &receive, Some(&fundraiser))
        .await;
    assert_eq!(location(&marked), "/staff/pledges");
    assert!(app
        .page("/donate")
        .await
        .text()
        .contains("€50 received so far, from 1 gift."));
    let list = app
        .page_with_cookie("/staff/pledges?status=received", Some(&fundraiser))
        .await
        .text();
    assert!(list.contains(&format!("received {today} (cash)")), "{list}");
    // A second time is refused: it is received already.
    let again = app
        .script_post(RECEIVED, &send(&today, "cash"), &fundraiser)
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let entry: (String, String, String) = app
        .row(
            "SELECT actor, object, detail FROM audit_log WHERE action = 'pledge.received'",
            &[],
        )
        .await;
    assert_eq!(
        entry,
        (
            "fu@example.org".to_owned(),
            reference,
            format!("cash {today}")
        )
    );

    // Another pledge that will not be paid: cancelled, and no figure moves.
    app.post_from_script(
        "/api/pledge",
        &pledge_form(&[
            ("amount", "100"),
            ("idempotency_key", "1b6e6c1c-3c36-4d0e-9a43-2f3f7d1f5e10"),
        ]),
    )
    .await;
    let second: String = app
        .scalar(
            "SELECT reference FROM pledges WHERE status = 'pledged'",
            &[],
        )
        .await;
    let cancelled = app
        .staff_post(
            "/api/staff/pledges/cancel",
            &[("reference".to_owned(), second.clone())],
            "/staff/pledges",
            Some(&fundraiser),
        )
        .await;
    assert_eq!(location(&cancelled), "/staff/pledges");
    let status: String = app
        .scalar(
            "SELECT status FROM pledges WHERE reference = $1",
            &[&second],
        )
        .await;
    assert_eq!(status, "cancelled");
    assert!(app
        .page("/donate")
        .await
        .text()
        .contains("€50 received so far, from 1 gift."));
    assert_eq!(app.audit_actions().await[0], "pledge.cancelled");

    // The filter finds the cancelled one only; the totals count what is found; the CSV holds
    // exactly the same rows, and is audited.
    let cancelled_list = app
        .page_with_cookie("/staff/pledges?status=cancelled", Some(&fundraiser))
        .await
        .text();
    assert!(
        cancelled_list.contains("1 pledges found."),
        "{cancelled_list}"
    );
    assert!(cancelled_list.contains(&second) && !cancelled_list.contains(&entry.1));
    let all = app
        .page_with_cookie("/staff/pledges", Some(&fundraiser))
        .await
        .text();
    let month: String = today.chars().take(7).collect();
    assert!(
        all.contains(&format!("{month}EUR2€50€50")),
        "promised leaves the cancelled out: {all}"
    );
    let csv = app
        .client
        .get(app.url("/staff/pledges.csv?status=cancelled&text=&frequency="))
        .header("cookie", &fundraiser)
        .send()
        .await
        .expect("answers");
    assert_eq!(csv.status(), StatusCode::OK);
    let body = csv.text().await.expect("a body");
    assert_eq!(body.lines().count(), 2, "{body}");
    assert!(
        body.lines()
            .nth(1)
            .is_some_and(|row| row.starts_with(&second)),
        "{body}"
    );
    assert_eq!(app.audit_actions().await[0], "pledges.export");
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let refused = app
        .client
        .get(app.url("/staff/pledges.csv"))
        .header("cookie", &editor)
        .send()
        .await
        .expect("answers");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_command_line_adds_an_account_and_prints_its_link() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("a folder");
    let added = run_binary_beside(
        dir.path(),
        &app.database_url,
        &[
            "--public-url",
            "https://site.example",
            "staff",
            "add",
            "Admin@Example.org",
            "--role",
            "admin",
        ],
    )
    .await;
    assert!(added.status.success(), "{added:?}");
    let printed = String::from_utf8_lossy(&added.stdout);
    let link = printed
        .lines()
        .find(|line| line.starts_with("https://site.example/staff/set-password/"))
        .expect("a link");
    let token = link.rsplit('/').next().expect("a token");
    assert!(app
        .page(&format!("/staff/set-password/{token}"))
        .await
        .text()
        .contains("admin@example.org"));

    let twice = run_binary_beside(
        dir.path(),
        &app.database_url,
        &["staff", "add", "admin@example.org", "--role", "editor"],
    )
    .await;
    let said = crate::helpers::one_line_refusal(&twice);
    assert!(said.contains("has an account already"), "{said}");
    let bad = run_binary_beside(
        dir.path(),
        &app.database_url,
        &["staff", "add", "not-an-address", "--role", "editor"],
    )
    .await;
    crate::helpers::one_line_refusal(&bad);
    let reset = run_binary_beside(
        dir.path(),
        &app.database_url,
        &["staff", "reset-link", "admin@example.org"],
    )
    .await;
    assert!(reset.status.success(), "{reset:?}");
    assert!(String::from_utf8_lossy(&reset.stdout).contains("/staff/set-password/"));
}

/// The editor's form as a browser sends it, with `changes` applied.
fn post_fields(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    form(
        &[
            ("editing", ""),
            ("title", "Cities that welcome"),
            ("slug", "cities-that-welcome"),
            ("summary", "What three mayors learnt."),
            ("date", "2026-12-01"),
            ("body", "Three *mayors* spoke.\n\n<script>alert(1)</script>"),
            ("publish", "on"),
        ],
        changes,
    )
}

#[tokio::test]
async fn an_editor_publishes_a_post_on_the_site_and_an_edit_keeps_the_old_version() {
    let app = spawn_app().await;
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let saved = app
        .staff_post(
            "/api/staff/posts/save",
            &post_fields(&[]),
            "/staff/posts/new",
            Some(&editor),
        )
        .await;
    assert_eq!(location(&saved), "/staff/posts");
    let news = app.page("/news").await;
    assert_eq!(news.listed_posts()[0], "/news/cities-that-welcome");
    let post = app.page("/news/cities-that-welcome").await;
    assert!(post.html.contains("<em>mayors</em>"));
    assert!(
        !post.html.contains("<script>alert"),
        "sanitised as the import does"
    );

    // The same address again, for a new post: refused next to the field.
    let clash = app
        .staff_post(
            "/api/staff/posts/save",
            &post_fields(&[("title", "Another")]),
            "/staff/posts/new",
            Some(&editor),
        )
        .await;
    let shown = app.sent_back(&clash, &editor).await;
    assert!(
        shown.text().contains("Another post has this address"),
        "{}",
        shown.text()
    );
    assert!(
        shown.html.contains("value=\"Another\""),
        "what was typed comes back"
    );

    let edited = app
        .staff_post(
            "/api/staff/posts/save",
            &post_fields(&[
                ("editing", "cities-that-welcome"),
                ("title", "Cities that welcome everyone"),
                ("publish", ""),
            ])
            .into_iter()
            .filter(|(name, _)| name != "form[publish]")
            .collect::<Vec<_>>(),
            "/staff/posts/edit/cities-that-welcome",
            Some(&editor),
        )
        .await;
    assert_eq!(location(&edited), "/staff/posts");
    // Unticked: a draft, gone from the site.
    assert_eq!(
        app.page("/news/cities-that-welcome").await.status,
        StatusCode::NOT_FOUND
    );
    let form = app
        .page_with_cookie("/staff/posts/edit/cities-that-welcome", Some(&editor))
        .await;
    assert!(form.html.contains("value=\"Cities that welcome everyone\""));
    let kept: (String, String) = app
        .row("SELECT title, status FROM post_revisions", &[])
        .await;
    assert_eq!(
        kept,
        ("Cities that welcome".to_owned(), "published".to_owned())
    );
    // The earlier version can be read whole before it is put back, rendered and sanitised.
    let revision: i64 = app.scalar("SELECT id FROM post_revisions", &[]).await;
    let earlier = app
        .page_with_cookie(
            &format!("/staff/posts/revision/cities-that-welcome/{revision}"),
            Some(&editor),
        )
        .await;
    assert!(
        earlier.text().contains("“Cities that welcome”, as it was"),
        "{}",
        earlier.text()
    );
    assert!(earlier.html.contains("Three <em>mayors</em> spoke."));
    assert!(
        !earlier.html.contains("<script>alert(1)</script>"),
        "sanitised"
    );
    assert_eq!(
        app.page_with_cookie(
            "/staff/posts/revision/cities-that-welcome/999999",
            Some(&editor)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.audit_actions().await[..2],
        ["post.edited".to_owned(), "post.created".to_owned()]
    );

    // A fundraiser may not.
    let fundraiser = app.staff_member("fu@example.org", Role::Fundraiser).await;
    let refused = app
        .script_post(
            "/api/staff/posts/save",
            &post_fields(&[("slug", "not-theirs")]),
            &fundraiser,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.page_with_cookie("/staff/posts", Some(&fundraiser))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let none: i64 = app
        .scalar("SELECT count(*) FROM posts WHERE slug = 'not-theirs'", &[])
        .await;
    assert_eq!(none, 0);
}

#[tokio::test]
async fn a_long_post_is_taken_and_one_over_a_megabyte_is_refused_with_a_message() {
    let app = spawn_app().await;
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let long = "Words of a long report. ".repeat(8_000);
    let saved = app
        .staff_post(
            "/api/staff/posts/save",
            &post_fields(&[("slug", "a-long-report"), ("body", &long)]),
            "/staff/posts/new",
            Some(&editor),
        )
        .await;
    assert_eq!(
        location(&saved),
        "/staff/posts",
        "{} bytes taken",
        long.len()
    );
    assert!(app
        .page("/news/a-long-report")
        .await
        .text()
        .contains("Words of a long report."));

    let too_long = "x".repeat((1 << 20) + 1);
    let refused = app
        .script_post(
            "/api/staff/posts/save",
            &post_fields(&[("slug", "too-long"), ("body", &too_long)]),
            &editor,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let far_too_long = "%".repeat(4 << 20);
    let capped = app
        .script_post(
            "/api/staff/posts/save",
            &post_fields(&[("slug", "far-too-long"), ("body", &far_too_long)]),
            &editor,
        )
        .await;
    assert_eq!(capped.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn an_editor_restores_an_earlier_version_and_can_undo_it() {
    let app = spawn_app().await;
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    app.staff_post(
        "/api/staff/posts/save",
        &post_fields(&[]),
        "/staff/posts/new",
        Some(&editor),
    )
    .await;
    app.staff_post(
        "/api/staff/posts/save",
        &post_fields(&[
            ("editing", "cities-that-welcome"),
            ("title", "A worse title"),
            ("body", "Worse words."),
        ]),
        "/staff/posts/edit/cities-that-welcome",
        Some(&editor),
    )
    .await;
    assert!(app
        .page("/news/cities-that-welcome")
        .await
        .text()
        .contains("Worse words."));
    let page = app
        .page_with_cookie("/staff/posts/edit/cities-that-welcome", Some(&editor))
        .await;
    assert!(page.text().contains("Earlier versions"));
    let revision: i64 = app
        .scalar(
            "SELECT id FROM post_revisions WHERE title = 'Cities that welcome'",
            &[],
        )
        .await;

    let restore = |revision: i64| {
        let fields = [
            ("slug".to_owned(), "cities-that-welcome".to_owned()),
            ("revision".to_owned(), revision.to_string()),
        ];
        let app = &app;
        let editor = editor.clone();
        async move {
            app.staff_post(
                "/api/staff/post/restore",
                &fields,
                "/staff/posts/edit/cities-that-welcome",
                Some(&editor),
            )
            .await
        }
    };
    let restored = restore(revision).await;
    assert_eq!(location(&restored), "/staff/posts/edit/cities-that-welcome");
    let post = app.page("/news/cities-that-welcome").await;
    assert!(post.text().contains("Cities that welcome"));
    assert!(post.html.contains("<em>mayors</em>"), "rendered again");
    // The version it replaced is kept too: the restore can be undone the same way.
    let undo: i64 = app
        .scalar(
            "SELECT max(id) FROM post_revisions WHERE title = 'A worse title'",
            &[],
        )
        .await;
    restore(undo).await;
    assert!(app
        .page("/news/cities-that-welcome")
        .await
        .text()
        .contains("Worse words."));
    assert_eq!(app.audit_actions().await[0], "post.restored");

    // A revision of no post of that name: refused.
    let stray = app
        .script_post(
            "/api/staff/post/restore",
            &[
                ("slug", "no-such-post"),
                ("revision", &revision.to_string()),
            ],
            &editor,
        )
        .await;
    assert_eq!(stray.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_admin_invites_changes_roles_disables_and_gives_password_links() {
    let app = spawn_app().await;
    let admin = app.staff_member("ad@example.org", Role::Admin).await;
    let fields = form(&[("email", "New@Example.org"), ("role", "fundraiser")], &[]);
    let invited = app
        .staff_post(
            "/api/staff/accounts/invite",
            &fields,
            "/staff/accounts",
            Some(&admin),
        )
        .await;
    let shown = location(&invited);
    assert!(shown.starts_with("/staff/accounts?link="), "{shown}");
    let page = app.page_with_cookie(&shown, Some(&admin)).await;
    let token = shown.rsplit('=').next().expect("a token");
    assert!(page.html.contains(&format!(
        "https://shared-societies.test/staff/set-password/{token}"
    )));
    assert!(page
        .text()
        .contains("Change role of new@example.orginvited"));
    assert!(page.html.contains("<option value=\"fundraiser\" selected"));
    // The link works: the new fundraiser sets a password and logs in.
    assert!(app
        .set_password(token, GOOD_PASSWORD)
        .await
        .status()
        .is_redirection());
    let theirs = session_cookie(&app.log_in("new@example.org", GOOD_PASSWORD, None).await)
        .expect("logged in");
    assert_eq!(
        app.page_with_cookie("/staff/pledges", Some(&theirs))
            .await
            .status,
        StatusCode::OK
    );

    // The same address again: refused next to the field.
    let again = app
        .staff_post(
            "/api/staff/accounts/invite",
            &fields,
            "/staff/accounts",
            Some(&admin),
        )
        .await;
    assert!(app
        .page_with_cookie(&path_of(&location(&again)), Some(&admin))
        .await
        .text()
        .contains("This address has an account already"));

    let id: i64 = app
        .scalar(
            "SELECT id FROM staff_accounts WHERE email = 'new@example.org'",
            &[],
        )
        .await;
    let change = |change: &'static str| {
        let fields = [
            ("id".to_owned(), id.to_string()),
            ("change".to_owned(), change.to_owned()),
        ];
        let (app, admin) = (&app, admin.clone());
        async move {
            app.staff_post(
                "/api/staff/accounts/change",
                &fields,
                "/staff/accounts",
                Some(&admin),
            )
            .await
        }
    };
    assert_eq!(location(&change("editor").await), "/staff/accounts");
    // The role is read again at each request: the open session has lost the pledges.
    assert_eq!(
        app.page_with_cookie("/staff/pledges", Some(&theirs))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    change("disable").await;
    assert!(app
        .page_with_cookie("/staff", Some(&theirs))
        .await
        .status
        .is_redirection());
    let refused = app.log_in("new@example.org", GOOD_PASSWORD, None).await;
    assert!(
        session_cookie(&refused).is_none(),
        "a disabled account cannot log in"
    );
    change("enable").await;

    // An admin cannot change their own account, and a non-admin none.
    let own: i64 = app
        .scalar(
            "SELECT id FROM staff_accounts WHERE email = 'ad@example.org'",
            &[],
        )
        .await;
    let mine = app
        .script_post(
            "/api/staff/accounts/change",
            &[("id", own.to_string()), ("change", "disable".to_owned())],
            &admin,
        )
        .await;
    assert_eq!(mine.status(), StatusCode::BAD_REQUEST);
    let editor = session_cookie(&app.log_in("new@example.org", GOOD_PASSWORD, None).await)
        .expect("logged in");
    let by_editor = app
        .script_post(
            "/api/staff/accounts/invite",
            &form(&[("email", "x@example.org"), ("role", "admin")], &[]),
            &editor,
        )
        .await;
    assert_eq!(by_editor.status(), StatusCode::FORBIDDEN);

    let link = app
        .staff_post(
            "/api/staff/accounts/link",
            &[("email".to_owned(), "new@example.org".to_owned())],
            "/staff/accounts",
            Some(&admin),
        )
        .await;
    assert!(location(&link).starts_with("/staff/accounts?link="));
    let trail: Vec<String> = app
        .scalars(
            "SELECT action || ' ' || actor || ' ' || object || ' ' || detail FROM audit_log
             WHERE action LIKE 'account.%' OR action = 'password.link' ORDER BY id",
            &[],
        )
        .await;
    assert_eq!(
        trail,
        [
            "account.invite command line ad@example.org admin",
            "account.invite ad@example.org new@example.org fundraiser",
            "account.role ad@example.org new@example.org editor",
            "account.disabled ad@example.org new@example.org ",
            "account.enabled ad@example.org new@example.org ",
            "password.link ad@example.org new@example.org reset",
        ]
    );
}

#[tokio::test]
async fn a_fundraiser_finds_downloads_and_erases_a_supporter() {
    let app = spawn_app().await;
    for (name, email, organisation) in [
        ("Ana Pérez", "ana@example.org", None),
        ("Bo Lindqvist", "bo@example.org", Some("City of Malmö")),
        ("=HYPERLINK(\"x\")", "eve@example.org", None),
    ] {
        let mut fields = vec![("full_name", name), ("email", email)];
        if let Some(organisation) = organisation {
            fields.extend([
                ("kind", "organisation"),
                ("organisation", organisation),
                ("role", "Mayor"),
                // Signed on the Spanish site.
                ("lang", "es"),
            ]);
        }
        let signed = app
            .post_from_script("/api/sign-the-call", &crate::helpers::sign_form(&fields))
            .await;
        assert_eq!(signed.status(), StatusCode::OK);
    }
    app.post_from_script(
        "/api/pledge",
        &pledge_form(&[("email", "bo@example.org"), ("full_name", "Bo Lindqvist")]),
    )
    .await;
    let fundraiser = app.staff_member("fu@example.org", Role::Fundraiser).await;

    let found = app
        .page_with_cookie(
            "/staff/signatures?text=malm%C3%B6&status=",
            Some(&fundraiser),
        )
        .await
        .text();
    assert!(found.contains("1 signatures found."), "{found}");
    assert!(found.contains("bo@example.org") && !found.contains("ana@example.org"));
    assert!(
        found.contains("Spanish"),
        "the language mail to Bo is in: {found}"
    );
    let all = app
        .page_with_cookie("/staff/signatures?status=pending", Some(&fundraiser))
        .await
        .text();
    assert!(all.contains("3 signatures found."), "{all}");

    // The CSV holds exactly what the filter keeps, formulas defused.
    let csv = app
        .client
        .get(app.url("/staff/signatures.csv?text=example&status=pending"))
        .header("cookie", &fundraiser)
        .send()
        .await
        .expect("answers");
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(crate::helpers::header(csv.headers(), "content-disposition").contains("attachment"));
    let body = csv.text().await.expect("a body");
    assert_eq!(body.lines().count(), 4, "{body}");
    assert!(body.contains("\"'=HYPERLINK"), "{body}");
    assert!(body
        .lines()
        .next()
        .is_some_and(|head| head.contains(",lang,")));
    assert!(
        body.lines()
            .any(|line| line.contains("bo@example.org") && line.contains(",es,")),
        "{body}"
    );
    let anonymous = app
        .client
        .get(app.url("/staff/signatures.csv"))
        .send()
        .await
        .expect("answers");
    assert_eq!(location(&anonymous), "/staff/login");

    let data = app
        .page_with_cookie("/staff/supporter?email=Bo%40Example.org", Some(&fundraiser))
        .await
        .text();
    assert!(
        data.contains("City of Malmö") && data.contains("SS-"),
        "{data}"
    );
    // The data page leads to a confirmation, which says how much goes and erases nothing.
    let confirm = app
        .page_with_cookie(
            "/staff/supporter/erase?email=bo%40example.org",
            Some(&fundraiser),
        )
        .await
        .text();
    assert!(
        confirm.contains("1 signatures and")
            && confirm.contains("1 pledges lose the name")
            && confirm.contains("This cannot be undone."),
        "{confirm}"
    );
    assert_eq!(
        app.scalar::<i64>("SELECT count(*) FROM signups", &[]).await,
        3
    );
    let erased = app
        .staff_post(
            "/api/staff/supporter/erase",
            &[("email".to_owned(), "bo@example.org".to_owned())],
            "/staff/supporter/erase?email=bo%40example.org",
            Some(&fundraiser),
        )
        .await;
    assert_eq!(location(&erased), "/staff/signatures?erased=1");
    let emails: Vec<String> = app
        .scalars("SELECT email FROM signups ORDER BY id", &[])
        .await;
    assert_eq!(emails, ["ana@example.org", "eve@example.org"]);
    let pledge: (String, String, i64) = app
        .row(
            "SELECT donor_name, donor_email, amount_minor FROM pledges",
            &[],
        )
        .await;
    assert_eq!(
        pledge,
        (
            "(erased)".to_owned(),
            "erased@erased.invalid".to_owned(),
            2500
        )
    );
    let queued: i64 = app
        .scalar(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND pledge_id IS NOT NULL",
            &[],
        )
        .await;
    assert_eq!(queued, 0, "no mail left for them");
    let trail: (String, String) = app
        .row(
            "SELECT object, detail FROM audit_log WHERE action = 'supporter.erased'",
            &[],
        )
        .await;
    assert_eq!(trail.0, "", "the trail does not keep whose data it was");
    assert!(
        trail.1.starts_with("1 signatures, 1 pledges"),
        "{}",
        trail.1
    );

    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    assert_eq!(
        app.page_with_cookie("/staff/signatures", Some(&editor))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let refused = app
        .client
        .get(app.url("/staff/signatures.csv"))
        .header("cookie", &editor)
        .send()
        .await
        .expect("answers");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_home_draws_what_each_role_follows_with_the_numbers_behind_each_picture() {
    let app = spawn_app().await;
    app.post_form(
        "/api/sign-the-call",
        &crate::helpers::sign_form(&[]),
        "/take-action",
    )
    .await;
    app.post_from_script("/api/pledge", &pledge_form(&[("amount", "50")]))
        .await;
    for path in ["/news", "/news", "/"] {
        app.client
            .post(app.url("/api/page-view"))
            .header("accept", "application/json")
            .form(&[("path", path)])
            .send()
            .await
            .expect("counted");
    }
    let consent = serde_json::json!({ "record": {
        "version": app::consent::POLICY_VERSION,
        "choices": { "analytics": true, "external_media": true },
        "decided_at": "2026-11-28T09:30:00.000Z",
        "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    }});
    let recorded = app
        .client
        .post(app.url("/api/consent"))
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(consent.to_string())
        .send()
        .await
        .expect("answers");
    assert!(recorded.status().is_success(), "{}", recorded.status());

    let admin = app.staff_member("ad@example.org", Role::Admin).await;
    let home = app.page_with_cookie("/staff", Some(&admin)).await;
    assert_eq!(home.html.matches("<svg").count(), 4, "four pictures");
    assert_eq!(home.html.matches("role=\"img\"").count(), 4);
    assert_eq!(
        home.html
            .matches("<details class=\"chart-numbers\"")
            .count(),
        4
    );
    let text = home.text();
    for said in [
        "0 confirmed and 1 still pending",
        "€50 pledged and €0 received",
        "the most viewed is /news, with 2",
        "of 1 choices, 100% accepted everything",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    // The table behind the pledges' picture has this month's row.
    let month: String = app
        .scalar(
            "SELECT substr(MAX(CAST(created_at AS TEXT)), 1, 7) FROM pledges",
            &[],
        )
        .await;
    assert!(text.contains(&format!("{month}€50€0")), "{text}");

    // Each role sees the pictures of its own part, and the cookie choices.
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let theirs = app.page_with_cookie("/staff", Some(&editor)).await;
    assert!(theirs.html.contains("id=\"views-chart-title\""));
    assert!(theirs.html.contains("id=\"consent-chart-title\""));
    assert!(!theirs.html.contains("id=\"signatures-chart-title\""));
    assert!(!theirs.text().contains("€50"));
    let fundraiser = app.staff_member("fu@example.org", Role::Fundraiser).await;
    let theirs = app.page_with_cookie("/staff", Some(&fundraiser)).await;
    assert!(theirs.html.contains("id=\"signatures-chart-title\""));
    assert!(!theirs.html.contains("id=\"views-chart-title\""));
    // The function behind them answers no one else.
    assert_eq!(
        app.post_from_script("/api/staff/charts", &[])
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn forgot_password_mails_a_single_use_link_and_answers_the_same_for_any_address() {
    let app = spawn_app().await;
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let disabled = app.staff_member("gone@example.org", Role::Editor).await;
    drop((editor, disabled));
    app.execute(
        "UPDATE staff_accounts SET disabled = true WHERE email = 'gone@example.org'",
        &[],
    )
    .await;
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            app.staff_post(
                "/api/staff/forgot",
                &form(&[("email", email)], &[]),
                "/staff/forgot",
                None,
            )
            .await
        }
    };
    // The same answer for an account, a disabled one and no account at all.
    for email in ["ed@example.org", "gone@example.org", "nobody@example.org"] {
        let answer = ask(email).await;
        assert_eq!(location(&answer), "/staff/forgot?sent=1", "{email}");
    }
    let sent = app.page("/staff/forgot?sent=1").await.text();
    assert!(sent.contains("If an account has this address"), "{sent}");
    // A malformed address is refused next to the field.
    let refused = ask("not an address").await;
    let shown = app.sent_back(&refused, "").await;
    assert!(
        shown.html.contains("aria-invalid=\"true\""),
        "{}",
        shown.html
    );

    // One mail queued, to the account that is usable (the queue is the record: a mail not
    // queued is never sent); its link works once.
    let queued: Vec<String> = app
        .scalars(
            "SELECT a.email FROM outbox o JOIN staff_accounts a ON a.id = o.staff_id",
            &[],
        )
        .await;
    assert_eq!(
        queued,
        ["ed@example.org"],
        "no mail to a disabled account or to no one"
    );
    let mails = app.wait_for_mails(1).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("To: ed@example.org"), "{mail}");
    assert!(mail.contains("works once, for one hour"), "{mail}");
    let start = mail.find("/staff/set-password/").expect("a link");
    let token = mail[start + "/staff/set-password/".len()..]
        .split_whitespace()
        .next()
        .expect("a token")
        .to_owned();
    let set = app.set_password(&token, "another long passphrase").await;
    assert_eq!(location(&set), "/staff/login?password=set");
    let again = app.set_password(&token, "yet another passphrase!").await;
    assert_ne!(
        location(&again),
        "/staff/login?password=set",
        "a link works once"
    );
    let logged_in = app
        .log_in("ed@example.org", "another long passphrase", None)
        .await;
    assert_eq!(location(&logged_in), "/staff");

    // A few mails an hour, then no more, whatever the form says.
    for _ in 0..4 {
        ask("ed@example.org").await;
    }
    let queued: i64 = app
        .scalar(
            "SELECT count(*) FROM outbox WHERE staff_id IS NOT NULL",
            &[],
        )
        .await;
    assert_eq!(queued, 3);
    let audited: Vec<String> = app
        .scalars(
            "SELECT detail FROM audit_log WHERE action = 'password.mail'",
            &[],
        )
        .await;
    assert_eq!(audited.len(), 3);
}

#[tokio::test]
async fn an_editor_deletes_a_post_after_confirming_and_the_import_does_not_bring_it_back() {
    let app = spawn_app().await;
    let folder = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(folder.path().join("posts")).expect("creates");
    std::fs::write(
        folder.path().join("posts/old-news.md"),
        "+++\ntitle = \"Old news\"\nslug = \"old-news\"\ndate = 2021-05-01\nsummary = \"S\"\n+++\n\nText.\n",
    )
    .expect("writes");
    app.import(folder.path()).await.expect("imports");
    assert_eq!(app.page("/news/old-news").await.status, StatusCode::OK);
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let confirm = app
        .page_with_cookie("/staff/posts/delete/old-news", Some(&editor))
        .await;
    assert!(
        confirm.text().contains("This cannot be undone"),
        "{}",
        confirm.text()
    );
    assert_eq!(
        app.page("/news/old-news").await.status,
        StatusCode::OK,
        "the confirmation page deletes nothing"
    );
    let deleted = app
        .staff_post(
            "/api/staff/post/delete",
            &[("slug".to_owned(), "old-news".to_owned())],
            "/staff/posts/delete/old-news",
            Some(&editor),
        )
        .await;
    assert_eq!(location(&deleted), "/staff/posts?deleted=1");
    assert_eq!(
        app.page("/news/old-news").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.audit_actions().await[0], "post.deleted");
    // Its file is still in the folder: the import leaves it deleted, and says so.
    let imported = app.import(folder.path()).await.expect("imports");
    assert_eq!(imported.kept_from_workspace, ["old-news"]);
    assert_eq!(
        app.page("/news/old-news").await.status,
        StatusCode::NOT_FOUND
    );
    // A second time there is nothing to delete; a fundraiser may not delete at all.
    let again = app
        .script_post("/api/staff/post/delete", &[("slug", "old-news")], &editor)
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let fundraiser = app.staff_member("fu@example.org", Role::Fundraiser).await;
    let refused = app
        .script_post(
            "/api/staff/post/delete",
            &[("slug", "old-news")],
            &fundraiser,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // The call to action's page cannot go: the confirmation says why and offers no button.
    app.import(&crate::helpers::repository_content())
        .await
        .expect("the seed imports");
    let seed = "a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference";
    let page = app
        .page_with_cookie(&format!("/staff/posts/delete/{seed}"), Some(&editor))
        .await;
    assert!(page.text().contains("cannot be deleted"), "{}", page.text());
    assert!(!page.text().contains("Delete the post"));
    let kept = app
        .script_post("/api/staff/post/delete", &[("slug", seed)], &editor)
        .await;
    assert_eq!(kept.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.page(&format!("/news/{seed}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_post_gets_its_tags_members_revision_day_and_image_from_the_editor() {
    let app = spawn_app().await;
    app.import(&crate::helpers::repository_content())
        .await
        .expect("the seed imports");
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let save = |changes: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let editor = editor.clone();
        async move {
            app.staff_post(
                "/api/staff/posts/save",
                &post_fields(&changes),
                "/staff/posts/new",
                Some(&editor),
            )
            .await
        }
    };
    // Each wrong field is refused next to itself, with what was typed kept.
    let refused = save(vec![
        ("tags", "a, b, c, d, e, f, g, h, i, j, k"),
        ("members", "nobody-we-know"),
        ("updated", "2026-11-30"),
        ("image", "javascript:alert(1)"),
        ("links", "Read it | The report | //evil.example/x"),
        ("media", "youtube | not a video id! | A talk"),
    ])
    .await;
    let shown = app.sent_back(&refused, &editor).await;
    let text = shown.text();
    for message in [
        "Enter at most 10 tags",
        "Enter the day of the revision",
        "Enter a path of the site",
        "Write at most 20 links",
        "Write at most 20 videos or maps",
    ] {
        assert!(text.contains(message), "{message}: {text}");
    }
    assert!(shown.html.contains("value=\"nobody-we-know\""));
    // A member the site does not have is found by the server, once the rest is right.
    let unknown = save(vec![("members", "nobody-we-know")]).await;
    let shown = app.sent_back(&unknown, &editor).await;
    assert!(
        shown.text().contains("addresses of members the site has"),
        "{}",
        shown.text()
    );
    assert_eq!(
        app.page("/news/cities-that-welcome").await.status,
        StatusCode::NOT_FOUND
    );

    let saved = save(vec![
        ("tags", "Migration, Human Rights, migration"),
        ("members", "wim-kok"),
        ("updated", "2026-12-03"),
        ("image", "/media/mayors.jpg"),
        (
            "links",
            "Sign it | The call of the mayors | /take-action\n\nRead it | The mayors' report |",
        ),
        ("media", "youtube | dQw4w9WgXcQ | The mayors speak"),
    ])
    .await;
    assert_eq!(location(&saved), "/staff/posts");
    let post = app.page("/news/cities-that-welcome").await;
    assert!(
        post.html.contains("href=\"/take-action\""),
        "a link with its address"
    );
    assert!(
        post.html.contains("href=\"/resources/the-mayors-report\""),
        "a document not online yet has its own page"
    );
    assert!(
        post.text().contains("The mayors speak"),
        "the video, until allowed, by its title"
    );
    assert!(post.html.contains("href=\"/news/tag/human-rights\""));
    assert!(post.html.contains("href=\"/members/wim-kok\""));
    assert!(post.html.contains("/media/mayors.jpg"));
    assert!(
        post.html.contains("2026-12-03"),
        "the revision day is shown"
    );
    let tag = app.page("/news/tag/human-rights").await.text();
    assert!(tag.contains("Cities that welcome"), "{tag}");
    let form = app
        .page_with_cookie("/staff/posts/edit/cities-that-welcome", Some(&editor))
        .await;
    assert!(
        form.html.contains("value=\"Human Rights, Migration\""),
        "tags in order, once each"
    );
    assert!(form.html.contains("value=\"wim-kok\""));
    assert!(form.html.contains("value=\"2026-12-03\""));
    assert!(
        form.html
            .contains("Sign it | The call of the mayors | /take-action\nRead it | The mayors"),
        "links come back one a line, in their order"
    );
    assert!(form
        .html
        .contains("youtube | dQw4w9WgXcQ | The mayors speak"));

    // Another post may not take a link's address (its title) from this one.
    let clash = app
        .staff_post(
            "/api/staff/posts/save",
            &post_fields(&[
                ("slug", "another-post"),
                ("links", "See | The mayors' report | https://example.org/r"),
            ]),
            "/staff/posts/new",
            Some(&editor),
        )
        .await;
    let shown = app.sent_back(&clash, &editor).await;
    assert!(
        shown
            .text()
            .contains("Another post has a link with one of these titles"),
        "{}",
        shown.text()
    );
}

#[tokio::test]
async fn export_content_writes_files_the_import_reads_back_to_the_same_content() {
    let app = spawn_app().await;
    app.import(&crate::helpers::repository_content())
        .await
        .expect("the seed imports");
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let saved = app
        .staff_post(
            "/api/staff/posts/save",
            &post_fields(&[
                ("tags", "Human Rights, \"Quotes\" & more"),
                ("members", "wim-kok"),
                ("updated", "2026-12-03"),
                ("image", "/media/mayors.jpg"),
                (
                    "body",
                    "Three *mayors* spoke.\n\n+++\n\nA line that looks like a fence.",
                ),
                ("publish", ""),
            ]),
            "/staff/posts/new",
            Some(&editor),
        )
        .await;
    assert_eq!(location(&saved), "/staff/posts");

    let out = tempfile::tempdir().expect("a folder");
    let dir = out.path().join("content");
    let exported = run_binary_beside(
        out.path(),
        &app.database_url,
        &["export", "content", dir.to_str().expect("a path")],
    )
    .await;
    assert!(exported.status.success(), "{exported:?}");
    assert_eq!(
        String::from_utf8_lossy(&exported.stdout).trim(),
        format!(
            "wrote 2 posts, 2 translations and 1 members to {}",
            dir.display()
        )
    );
    let translation = std::fs::read_to_string(dir.join(
        "posts/2010-10-06-a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference.es.md",
    ))
    .expect("the Spanish version is a file of its own");
    assert!(translation.contains("lang = \"es\""), "{translation}");
    assert!(translation.contains("Wim Kok señaló"), "{translation}");
    let member = std::fs::read_to_string(dir.join("members/wim-kok.es.md"))
        .expect("the member's Spanish version is a file too");
    assert!(member.contains("translation_of = \"wim-kok\""), "{member}");
    let file = std::fs::read_to_string(dir.join("posts/2026-12-01-cities-that-welcome.md"))
        .expect("the workspace's post is a file");
    assert!(file.contains("draft = true"), "{file}");

    // Read back into an empty site: the same posts, members, tags and links.
    let other = spawn_app().await;
    other
        .import(&dir)
        .await
        .expect("the exported folder imports");
    let stored = |app: &crate::helpers::TestApp| {
        let db = app.db();
        async move {
            app::server::import::stored_content(&db)
                .await
                .expect("reads")
        }
    };
    assert_eq!(stored(&other).await, stored(&app).await);
    let translations = |app: &crate::helpers::TestApp| {
        let db = app.db();
        async move {
            app::server::import::stored_translations(&db)
                .await
                .expect("reads")
        }
    };
    let kept = translations(&other).await;
    assert_eq!(kept.len(), 1, "the translation came back");
    assert_eq!(kept, translations(&app).await);
    // …and so does the same folder imported over the site it came from: nothing is lost.
    app.import(&dir).await.expect("imports again");
    assert_eq!(translations(&app).await, kept);
    let member_translations = |app: &crate::helpers::TestApp| {
        let db = app.db();
        async move {
            app::server::import::stored_member_translations(&db)
                .await
                .expect("reads")
        }
    };
    assert_eq!(member_translations(&app).await.len(), 1);
    assert_eq!(
        member_translations(&other).await,
        member_translations(&app).await
    );

    // Never over files already there: one sentence, nothing written.
    let again = run_binary_beside(
        out.path(),
        &app.database_url,
        &["export", "content", dir.to_str().expect("a path")],
    )
    .await;
    let refusal = crate::helpers::one_line_refusal(&again);
    assert!(refusal.contains("already holds files"), "{refusal}");
    // The export from the command line is in the audit trail, as a download would be.
    let entry: (String, String) = app
        .row(
            "SELECT actor, action FROM audit_log WHERE action = 'content.export'",
            &[],
        )
        .await;
    assert_eq!(
        entry,
        ("command line".to_owned(), "content.export".to_owned())
    );
}

fn member_fields(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    form(
        &[
            ("editing", ""),
            ("name", "Ana Ruiz"),
            ("slug", "ana-ruiz"),
            ("role", "Former Mayor of Valencia"),
            ("bio", "She led the city.\n\nShe still speaks for it."),
        ],
        changes,
    )
}

#[tokio::test]
async fn an_editor_adds_edits_and_deletes_a_member_and_the_workspace_wins_over_files() {
    let app = spawn_app().await;
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let save = |changes: Vec<(&'static str, &'static str)>, page: &'static str| {
        let (app, editor) = (&app, editor.clone());
        async move {
            app.staff_post(
                "/api/staff/members/save",
                &member_fields(&changes),
                page,
                Some(&editor),
            )
            .await
        }
    };
    let refused = save(
        vec![("name", " "), ("slug", "Ana Ruiz")],
        "/staff/members/new",
    )
    .await;
    let shown = app.sent_back(&refused, &editor).await;
    assert!(
        shown.html.contains("value=\"Ana Ruiz\""),
        "what was typed comes back"
    );
    assert!(
        shown.text().contains("lower-case letters"),
        "{}",
        shown.text()
    );

    let created = save(vec![], "/staff/members/new").await;
    assert_eq!(location(&created), "/staff/members");
    let page = app.page("/members/ana-ruiz").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("She still speaks for it."));
    let taken = save(vec![("name", "Another Ana")], "/staff/members/new").await;
    let shown = app.sent_back(&taken, &editor).await;
    assert!(shown.text().contains("Another member has this address"));

    // A file for the same member does not overwrite the workspace's version.
    let folder = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(folder.path().join("members")).expect("creates");
    std::fs::write(
        folder.path().join("members/ana-ruiz.md"),
        "+++\nname = \"Ana From File\"\nslug = \"ana-ruiz\"\nrole = \"R\"\n+++\n\nOld bio.\n",
    )
    .expect("writes");
    let imported = app.import(folder.path()).await.expect("imports");
    assert_eq!(imported.kept_from_workspace, ["members/ana-ruiz"]);
    assert!(app
        .page("/members/ana-ruiz")
        .await
        .text()
        .contains("Ana Ruiz"));

    let edited = save(
        vec![
            ("editing", "ana-ruiz"),
            ("role", "Mayor of Valencia, 2015–2023"),
        ],
        "/staff/members/edit/ana-ruiz",
    )
    .await;
    assert_eq!(location(&edited), "/staff/members");
    assert!(app
        .page("/members/ana-ruiz")
        .await
        .text()
        .contains("Mayor of Valencia, 2015–2023"));
    // The edit kept what the member was; putting it back keeps the edit in turn.
    let form = app
        .page_with_cookie("/staff/members/edit/ana-ruiz", Some(&editor))
        .await;
    assert!(
        form.text().contains("Former Mayor of Valencia"),
        "the earlier version is listed"
    );
    let revision: i64 = app
        .scalar("SELECT max(id) FROM member_revisions", &[])
        .await;
    let restored = app
        .staff_post(
            "/api/staff/member/restore",
            &[
                ("slug".to_owned(), "ana-ruiz".to_owned()),
                ("revision".to_owned(), revision.to_string()),
            ],
            "/staff/members/edit/ana-ruiz",
            Some(&editor),
        )
        .await;
    assert_eq!(location(&restored), "/staff/members/edit/ana-ruiz");
    let page = app.page("/members/ana-ruiz").await.text();
    assert!(
        page.contains("Former Mayor of Valencia") && !page.contains("2015–2023"),
        "{page}"
    );
    let kept: i64 = app
        .scalar("SELECT count(*) FROM member_revisions", &[])
        .await;
    assert_eq!(kept, 2);
    assert_eq!(app.audit_actions().await[0], "member.restored");

    let deleted = app
        .staff_post(
            "/api/staff/member/delete",
            &[("slug".to_owned(), "ana-ruiz".to_owned())],
            "/staff/members/delete/ana-ruiz",
            Some(&editor),
        )
        .await;
    assert_eq!(location(&deleted), "/staff/members?deleted=1");
    assert_eq!(
        app.page("/members/ana-ruiz").await.status,
        StatusCode::NOT_FOUND
    );
    let imported = app.import(folder.path()).await.expect("imports");
    assert_eq!(imported.kept_from_workspace, ["members/ana-ruiz"]);
    assert_eq!(
        app.page("/members/ana-ruiz").await.status,
        StatusCode::NOT_FOUND,
        "the import does not bring a deleted member back"
    );
    assert_eq!(
        app.audit_actions().await[..4],
        [
            "member.deleted".to_owned(),
            "member.restored".to_owned(),
            "member.edited".to_owned(),
            "member.created".to_owned()
        ]
    );
    let fundraiser = app.staff_member("fu@example.org", Role::Fundraiser).await;
    assert_eq!(
        app.page_with_cookie("/staff/members", Some(&fundraiser))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_editor_previews_a_draft_as_readers_will_see_it_and_nobody_else_can() {
    let app = spawn_app().await;
    let editor = app.staff_member("ed@example.org", Role::Editor).await;
    let saved = app
        .staff_post(
            "/api/staff/posts/save",
            &post_fields(&[("tags", "Cities")])
                .into_iter()
                .filter(|(name, _)| name != "form[publish]")
                .collect::<Vec<_>>(),
            "/staff/posts/new",
            Some(&editor),
        )
        .await;
    assert_eq!(location(&saved), "/staff/posts");
    assert_eq!(
        app.page("/news/cities-that-welcome").await.status,
        StatusCode::NOT_FOUND,
        "a draft"
    );
    let preview = app
        .page_with_cookie("/staff/posts/preview/cities-that-welcome", Some(&editor))
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    let text = preview.text();
    assert!(
        text.contains("Preview: this is how readers see the post"),
        "{text}"
    );
    assert!(
        preview.html.contains("<em>mayors</em>"),
        "rendered by the server"
    );
    assert!(!preview.html.contains("<script>alert"), "sanitised");
    assert!(preview.html.contains("href=\"/news/tag/cities\""));
    assert!(
        preview.html.contains("noindex"),
        "kept out of search engines"
    );
    assert!(
        !preview.html.contains("NewsArticle"),
        "no article data for search engines"
    );
    let fundraiser = app.staff_member("fu@example.org", Role::Fundraiser).await;
    assert_eq!(
        app.page_with_cookie(
            "/staff/posts/preview/cities-that-welcome",
            Some(&fundraiser)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let anonymous = app
        .client
        .get(app.url("/staff/posts/preview/cities-that-welcome"))
        .send()
        .await
        .expect("answers");
    assert_eq!(location(&anonymous), "/staff/login");
}
