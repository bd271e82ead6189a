//! `/staff/…`: the staff workspace. Every page asks the server for what it shows through a
//! staff server function, which checks the session and the role; a page without a session
//! sends the browser to the login form, one whose role lacks the right says so (403).

use crate::{
    api::{
        error::StaffError,
        staff::{
            get_audit_trail, get_charts, get_member_form, get_member_revisions, get_password_link,
            get_pledge_receipt, get_post_campaign, get_post_preview, get_post_revision,
            get_post_revisions, get_signatures, get_staff_accounts, get_staff_member,
            get_staff_members, get_staff_pledges, get_staff_post, get_staff_posts, get_supporter,
            CancelPledge, ChangeStaffAccount, DeleteStaffMember, DeleteStaffPost, EraseSupporter,
            ForgotStaffPassword, InviteStaff, MarkPledgeReceived, NewPasswordLink,
            RestoreMemberRevision, RestorePostRevision, SaveStaffMember, SaveStaffPost,
            SetStaffPassword, StaffLogin, StaffLogout, FORGOT_PAGE, LOGIN_PAGE,
        },
    },
    components::{
        async_view::async_view,
        chart::ChartFigure,
        form::{
            Checkbox, ErrorSummary, PostedForm, SelectField, SubmitButton, TextArea, TextField,
        },
        page_meta::PageMeta,
        site_context::use_public_url,
        status::{set_status, ErrorNotice},
        table::ScrollTable,
    },
    domain::{
        money::display_minor,
        signup::ConfirmationToken,
        staff::{
            AuditEntry, ForgotError, ForgotForm, InviteError, InviteForm, LoginError, LoginForm,
            MemberError, MemberForm, MemberRevision, MonthTotal, PasswordError, PasswordForm,
            PledgeFilter, PledgePage, PostError, PostForm, PostRevision, ReceiptError, ReceiptForm,
            ReceiptPage, RevisionView, Right, Role, SignatureFilter, SignaturePage, StaffAccount,
            StaffMember, StaffMemberListing, StaffPledge, StaffPost, SupporterData, MAX_IMAGE,
            MAX_LINES_FIELD, MAX_MEMBER_BIO, MAX_MEMBER_NAME, MAX_MEMBER_ROLE, MAX_PASSWORD,
            MAX_POST_BODY, MAX_POST_SUMMARY, MAX_POST_TITLE, MAX_TAG, MAX_TAGS, RECEIPT_METHODS,
            SIGNATURES_PER_PAGE,
        },
        MAX_EMAIL,
    },
};
use leptos::{
    either::{Either, EitherOf3},
    prelude::*,
};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::news_post::PostArticle;

/// What a staff page shows when its server function refused: the login form for a visitor
/// without a session (a redirect on the server), a plain refusal for a role without the right.
#[component]
fn Refused(error: StaffError) -> impl IntoView {
    match error {
        StaffError::NotLoggedIn => {
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(LOGIN_PAGE);
            EitherOf3::A(view! {
                <h1>"Log in to continue"</h1>
                <p><a href=LOGIN_PAGE>"Log in to the staff workspace"</a></p>
            })
        }
        StaffError::Forbidden => {
            set_status(403);
            EitherOf3::B(view! {
                <PageMeta title="Not for your role" description=error.to_string() private=true />
                <h1>"This part of the workspace is not for your role"</h1>
                <p class="lead">{error.to_string()}" An admin can change your role if you need it."</p>
                <p><a href="/staff">"Back to the workspace"</a></p>
            })
        }
        StaffError::BadRequest | StaffError::Unavailable => EitherOf3::C(view! {
            <ErrorNotice error=crate::api::error::AppError::Unavailable />
        }),
    }
}

/// What a staff page shows once `load` has answered: `show` of its value, or the refusal.
fn loaded<T, V>(
    load: Resource<Result<T, StaffError>>,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {async_view(move || {
                let show = show.clone();
                Suspend::new(async move {
                    match load.await {
                        Ok(value) => Either::Left(show(value)),
                        Err(error) => Either::Right(view! { <Refused error /> }),
                    }
                })
            })}
        </Suspense>
    }
}

/// The frame of every staff page: its title, and the way back to the workspace's home.
#[component]
fn StaffFrame(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <PageMeta title=title description="The Shared Societies staff workspace." private=true />
        <article class="staff">
            <p class="post-kind"><a href="/staff">"Staff workspace"</a></p>
            {children()}
        </article>
    }
}

/// `/staff/login`.
#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let form = PostedForm::<StaffLogin, LoginError, LoginForm>::new("login", &[], ());
    let PostedForm { action, initial } = form;
    let password_set = use_query_map()
        .read_untracked()
        .get("password")
        .is_some_and(|value| value == "set");
    view! {
        <StaffFrame title="Log in">
            <h1>"Log in"</h1>
            {password_set.then(|| view! {
                <p class="notice" role="status">"Your password is set. Log in with it now."</p>
            })}
            <ActionForm action attr:class="staff-form" attr:novalidate=true>
                <ErrorSummary />
                <TextField
                    name="email"
                    label="Email address"
                    input_type="email"
                    autocomplete="username"
                    max=MAX_EMAIL
                    value=initial.email
                />
                <TextField
                    name="password"
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    max=MAX_PASSWORD
                    value=String::new()
                />
                <SubmitButton label="Log in" pending_label="Logging in…" />
            </ActionForm>
            <p class="more"><a href=FORGOT_PAGE>"Forgotten your password?"</a></p>
        </StaffFrame>
    }
}

/// `/staff/forgot`: an address, and a link to set a new password mailed to it if it has an
/// account. The answer never says whether it has.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let form = PostedForm::<ForgotStaffPassword, ForgotError, ForgotForm>::new("forgot", &[], ());
    let PostedForm { action, initial } = form;
    let sent = use_query_map()
        .read_untracked()
        .get("sent")
        .is_some_and(|value| value == "1");
    view! {
        <StaffFrame title="Forgotten password">
            <h1>"Forgotten your password?"</h1>
            {if sent {
                Either::Left(view! {
                    <p class="notice" role="status">
                        "If an account has this address, a link to set a new password is on its "
                        "way to it. The link works once, for an hour. Nothing came? Check the "
                        "spam folder, or ask an admin."
                    </p>
                    <p><a href=LOGIN_PAGE>"Back to the login"</a></p>
                })
            } else {
                Either::Right(view! {
                    <p class="lead">"We will mail a link to set a new password to your account's address."</p>
                    <ActionForm action attr:class="staff-form" attr:novalidate=true>
                        <ErrorSummary />
                        <TextField
                            name="email"
                            label="Email address"
                            input_type="email"
                            autocomplete="username"
                            max=MAX_EMAIL
                            value=initial.email
                        />
                        <SubmitButton label="Mail me a link" pending_label="Sending…" />
                    </ActionForm>
                })
            }}
        </StaffFrame>
    }
}

/// `/staff/set-password/{token}`: the page an invitation or reset link opens.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let token = param("token");
    let link = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        get_password_link,
    );
    view! {
        <StaffFrame title="Set your password">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {async_view(move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match link.await {
                            Ok(Some(email)) => EitherOf3::A(view! { <PasswordFormView email token /> }),
                            Ok(None) => {
                                set_status(404);
                                EitherOf3::B(view! {
                                    <h1>"This link does not work any more"</h1>
                                    <p class="lead">
                                        "A link sets a password once, and works for a week (an "
                                        "invitation) or an hour (a new password). Ask an admin for a new one."
                                    </p>
                                })
                            }
                            Err(error) => EitherOf3::C(view! { <Refused error /> }),
                        }
                    })
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn PasswordFormView(email: String, token: String) -> impl IntoView {
    let form = PostedForm::<SetStaffPassword, PasswordError, PasswordForm>::new(
        "password",
        &["token"],
        (),
    );
    let PostedForm { action, .. } = form;
    view! {
        <h1>"Set your password"</h1>
        <p class="lead">"For the account " <strong>{email.clone()}</strong> "."</p>
        <ActionForm action attr:class="staff-form" attr:novalidate=true>
            <ErrorSummary />
            // For password managers: the account the new password belongs to.
            <input type="hidden" name="username" autocomplete="username" value=email />
            <input type="hidden" name="form[token]" value=token />
            <TextField
                name="password"
                label="New password"
                hint="At least 12 characters. A few words together make a good one."
                input_type="password"
                autocomplete="new-password"
                max=MAX_PASSWORD
                value=String::new()
            />
            <TextField
                name="confirm"
                label="The same password again"
                input_type="password"
                autocomplete="new-password"
                max=MAX_PASSWORD
                value=String::new()
            />
            <SubmitButton label="Set password" pending_label="Setting…" />
        </ActionForm>
    }
}

/// `/staff`: who is logged in, and the parts of the workspace their role reaches.
#[component]
pub fn StaffHomePage() -> impl IntoView {
    let member = Resource::new(|| Right::Workspace, get_staff_member);
    view! {
        <StaffFrame title="Staff workspace">
            {loaded(member, |member| view! { <Home member /> })}
        </StaffFrame>
    }
}

#[component]
fn Home(member: StaffMember) -> impl IntoView {
    let charts = Resource::new(|| (), |()| get_charts());
    let logout = ServerAction::<StaffLogout>::new();
    let role = member.role;
    let parts = [
        (
            Right::Content,
            "/staff/posts",
            "Posts",
            "Write, edit and publish posts.",
        ),
        (
            Right::Content,
            "/staff/members",
            "Members",
            "Add, edit and delete the members posts name.",
        ),
        (
            Right::Supporters,
            "/staff/signatures",
            "Signatures",
            "Find supporters, download them as CSV, see or erase one supporter's data.",
        ),
        (
            Right::Supporters,
            "/staff/pledges",
            "Pledges",
            "Donation pledges: find them, record money received, cancel, download, totals.",
        ),
        (
            Right::Administration,
            "/staff/accounts",
            "Staff accounts",
            "Invite people, change roles, disable accounts, give password links.",
        ),
        (
            Right::Administration,
            "/staff/audit",
            "Audit trail",
            "Every staff action: who, what, when.",
        ),
    ];
    view! {
        <h1>"Staff workspace"</h1>
        <p class="lead">
            "Logged in as " <strong>{member.email}</strong> ", " {role.as_str()} "."
        </p>
        <ul class="staff-parts">
            {parts
                .into_iter()
                .filter(|(right, ..)| role.may(*right))
                .map(|(_, href, name, what)| view! {
                    <li><a href=href>{name}</a>" — "{what}</li>
                })
                .collect_view()}
        </ul>
        <ActionForm action=logout>
            <button type="submit" class="button">"Log out"</button>
        </ActionForm>
        {loaded(charts, |charts| view! {
            <div class="charts">
                {charts.into_iter().map(|chart| view! { <ChartFigure chart /> }).collect_view()}
            </div>
        })}
    }
}

/// `/staff/pledges`: the newest pledges, each pledged one with a button to mark it received.
#[component]
pub fn StaffPledgesPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let filter = PledgeFilter {
        text: query.get("text").unwrap_or_default(),
        status: query.get("status").unwrap_or_default(),
        frequency: query.get("frequency").unwrap_or_default(),
    };
    let pledges = Resource::new(
        {
            let filter = filter.clone();
            move || filter.clone()
        },
        get_staff_pledges,
    );
    view! {
        <StaffFrame title="Pledges">
            {loaded(pledges, move |found| view! { <PledgeList found filter=filter.clone() /> })}
        </StaffFrame>
    }
}

#[component]
fn PledgeList(found: PledgePage, filter: PledgeFilter) -> impl IntoView {
    let cancel = ServerAction::<CancelPledge>::new();
    let query = filter.query();
    let status = filter.status().unwrap_or_default();
    let frequency = filter.frequency().unwrap_or_default();
    let shown = found.pledges.len();
    let count = if i64::try_from(shown).unwrap_or(i64::MAX) < found.total {
        format!(
            "{} pledges found; the newest {shown} are listed. ",
            found.total
        )
    } else {
        format!("{} pledges found. ", found.total)
    };
    view! {
        <h1>"Pledges"</h1>
        <form method="get" action="/staff/pledges" class="staff-filter">
            <div class="filter-field">
                <label for="pledges-text">"Reference, donor's name or address"</label>
                <input id="pledges-text" type="search" name="text" value=filter.text.clone() />
            </div>
            <div class="filter-field">
                <label for="pledges-status">"Status"</label>
                <select id="pledges-status" name="status">
                    <option value="" selected=status.is_empty()>"Any"</option>
                    <option value="pledged" selected=status == "pledged">"Pledged"</option>
                    <option value="received" selected=status == "received">"Received"</option>
                    <option value="cancelled" selected=status == "cancelled">"Cancelled"</option>
                </select>
            </div>
            <div class="filter-field">
                <label for="pledges-frequency">"Frequency"</label>
                <select id="pledges-frequency" name="frequency">
                    <option value="" selected=frequency.is_empty()>"Any"</option>
                    <option value="once" selected=frequency == "once">"Once"</option>
                    <option value="monthly" selected=frequency == "monthly">"Monthly"</option>
                </select>
            </div>
            <button type="submit" class="button">"Find"</button>
        </form>
        <p>
            {count}
            <a href=format!("/staff/pledges.csv?{query}") download="pledges.csv">"Download them as CSV"</a>
        </p>
        {(!found.months.is_empty()).then(|| view! { <MonthTotals months=found.months /> })}
        {(shown > 0).then(|| view! {
            <ScrollTable id="pledges-caption" caption="The pledges found, the newest first" heads=&["Reference", "Amount", "Frequency", "Donor", "Pledged", "Status"]>
                {found.pledges.into_iter().map(|pledge| view! { <PledgeRow pledge cancel /> }).collect_view()}
            </ScrollTable>
        })}
    }
}

#[component]
fn PledgeRow(pledge: StaffPledge, cancel: ServerAction<CancelPledge>) -> impl IntoView {
    let status = match (&pledge.received_on, &pledge.received_via) {
        (Some(on), Some(via)) => {
            let via = RECEIPT_METHODS
                .iter()
                .find(|(value, _)| value == via)
                .map_or(via.as_str(), |(_, label)| label);
            format!("received {on} ({})", via.to_lowercase())
        }
        _ => pledge.status.clone(),
    };
    let actions = (pledge.status == "pledged").then(|| {
        let receive = format!("/staff/pledges/receive/{}", pledge.reference);
        let (whose, whose_too) = (
            format!(" {}", pledge.reference),
            format!(" {}", pledge.reference),
        );
        let cancelled = pledge.reference.clone();
        view! {
            <a href=receive class="button">
                "Record money received"<span class="visually-hidden">{whose}</span>
            </a>
            <ActionForm action=cancel attr:class="inline-form">
                <input type="hidden" name="reference" value=cancelled />
                <button type="submit" class="button">
                    "Cancel"<span class="visually-hidden">{whose_too}</span>
                </button>
            </ActionForm>
        }
    });
    view! {
        <tr>
            <th scope="row"><code>{pledge.reference}</code></th>
            <td>{pledge.amount}</td>
            <td>{pledge.frequency}</td>
            <td>{pledge.donor_name}<br />{pledge.donor_email}</td>
            <td><time datetime=pledge.pledged_at.clone()>{day(&pledge.pledged_at)}</time></td>
            <td>{status}{actions}</td>
        </tr>
    }
}

/// What the pledges found add up to, per month they were made and currency.
#[component]
fn MonthTotals(months: Vec<MonthTotal>) -> impl IntoView {
    view! {
        <ScrollTable id="months-caption" caption="Totals per month and currency, by the month pledged" heads=&["Month", "Currency", "Pledges", "Promised", "Received"] figures=3>
            {months.into_iter().map(|month| view! {
                <tr>
                    <th scope="row">{month.month}</th>
                    <td>{month.currency.clone()}</td>
                    <td class="number">{month.pledges}</td>
                    <td class="number">{display_minor(month.promised, &month.currency)}</td>
                    <td class="number">{display_minor(month.received, &month.currency)}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
    }
}

/// `/staff/pledges/receive/{reference}`: the day and the way a pledge's money arrived.
#[component]
pub fn ReceivePledgePage() -> impl IntoView {
    let reference = param("reference");
    let receipt = Resource::new(move || reference.clone(), get_pledge_receipt);
    view! {
        <StaffFrame title="Record money received">
            {loaded(receipt, |receipt| match receipt {
                Some(receipt) => Either::Left(view! { <ReceiptFormView receipt /> }),
                None => Either::Right(view! { <crate::components::status::NotFound /> }),
            })}
        </StaffFrame>
    }
}

#[component]
fn ReceiptFormView(receipt: ReceiptPage) -> impl IntoView {
    let form = PostedForm::<MarkPledgeReceived, ReceiptError, ReceiptForm>::new(
        "receipt",
        &["reference"],
        (),
    );
    let PostedForm { action, initial } = form;
    let pledge = receipt.pledge;
    if pledge.status != "pledged" {
        return Either::Left(view! {
            <h1>{format!("Pledge {}", pledge.reference)}</h1>
            <p class="lead">{format!("This pledge is {} already: nothing to record.", pledge.status)}</p>
            <p><a href="/staff/pledges">"Back to the pledges"</a></p>
        });
    }
    let sent_back = initial != ReceiptForm::default();
    let (received_on, via) = if sent_back {
        (initial.received_on, initial.via)
    } else {
        (receipt.today, "bank-transfer".to_owned())
    };
    let methods = RECEIPT_METHODS
        .iter()
        .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
        .collect();
    Either::Right(view! {
        <h1>{format!("Record money received for {}", pledge.reference)}</h1>
        <p class="lead">
            {format!(
                "{} {} from {} ({}), pledged on {}.",
                pledge.amount,
                pledge.frequency,
                pledge.donor_name,
                pledge.donor_email,
                day(&pledge.pledged_at)
            )}
        </p>
        <ActionForm action attr:class="staff-form" attr:novalidate=true>
            <ErrorSummary />
            <input type="hidden" name="form[reference]" value=pledge.reference />
            <TextField
                name="received_on"
                label="The day it arrived"
                hint="Year-month-day, e.g. 2026-12-04: not after today, nor before the pledge."
                input_type="date"
                autocomplete="off"
                max=10
                value=received_on
            />
            <SelectField name="via" label="How it arrived" options=methods selected=via />
            <SubmitButton label="Record it as received" pending_label="Recording…" />
        </ActionForm>
        <p><a href="/staff/pledges">"Back to the pledges"</a></p>
    })
}

/// `/staff/posts`: every post, drafts included, each with a link to edit it.
#[component]
pub fn StaffPostsPage() -> impl IntoView {
    let posts = Resource::new(|| (), |()| get_staff_posts());
    let deleted = use_query_map().read_untracked().get("deleted").is_some();
    view! {
        <StaffFrame title="Posts">
            {deleted.then(|| view! { <p class="notice" role="status">"The post is deleted."</p> })}
            {loaded(posts, |posts| view! { <PostTable posts /> })}
        </StaffFrame>
    }
}

#[component]
fn PostTable(posts: Vec<StaffPost>) -> impl IntoView {
    view! {
        <h1>"Posts"</h1>
        <p><a href="/staff/posts/new" class="button button-primary">"Write a new post"</a></p>
        <ScrollTable id="posts-caption" caption="Every post, the newest first" heads=&["Title", "Dated", "Status", "Kept by"]>
            {posts.into_iter().map(|post| view! {
                <tr>
                    <th scope="row">
                        <a href=format!("/staff/posts/edit/{}", post.slug)>
                            {post.title}
                            <span class="visually-hidden">" (edit)"</span>
                        </a>
                    </th>
                    <td>{post.published_on}</td>
                    <td>{post.status}</td>
                    <td>{if post.from_workspace { "the workspace" } else { "its file" }}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
    }
}

/// `/staff/members`: every member, each with a link to edit it.
#[component]
pub fn StaffMembersPage() -> impl IntoView {
    let members = Resource::new(|| (), |()| get_staff_members());
    let deleted = use_query_map().read_untracked().get("deleted").is_some();
    view! {
        <StaffFrame title="Members">
            {deleted.then(|| view! { <p class="notice" role="status">"The member is deleted."</p> })}
            {loaded(members, |members| view! { <MemberTable members /> })}
        </StaffFrame>
    }
}

#[component]
fn MemberTable(members: Vec<StaffMemberListing>) -> impl IntoView {
    view! {
        <h1>"Members"</h1>
        <p><a href="/staff/members/new" class="button button-primary">"Add a member"</a></p>
        <ScrollTable id="members-caption" caption="Every member, by name" heads=&["Name", "Known for", "Kept by"]>
            {members.into_iter().map(|member| view! {
                <tr>
                    <th scope="row">
                        <a href=format!("/staff/members/edit/{}", member.slug)>
                            {member.name}
                            <span class="visually-hidden">" (edit)"</span>
                        </a>
                    </th>
                    <td>{member.role}</td>
                    <td>{if member.from_workspace { "the workspace" } else { "its file" }}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
    }
}

/// `/staff/members/new`.
#[component]
pub fn NewMemberPage() -> impl IntoView {
    let member = Resource::new(|| Right::Content, get_staff_member);
    view! {
        <StaffFrame title="New member">
            {loaded(member, |_| view! { <MemberEditor saved=None /> })}
        </StaffFrame>
    }
}

/// `/staff/members/edit/{slug}`.
#[component]
pub fn EditMemberPage() -> impl IntoView {
    let slug = param("slug");
    let member = Resource::new(
        move || slug.clone(),
        |slug| async move {
            let member = get_member_form(slug.clone()).await?;
            let revisions = get_member_revisions(slug).await?;
            Ok::<_, StaffError>(member.map(|member| (member, revisions)))
        },
    );
    view! {
        <StaffFrame title="Edit a member">
            {loaded(member, |member| match member {
                Some((member, revisions)) => {
                    let delete = format!("/staff/members/delete/{}", member.editing);
                    let slug = member.editing.clone();
                    Either::Left(view! {
                        <MemberEditor saved=Some(member) />
                        <MemberRevisions slug revisions />
                        <h2>"Delete"</h2>
                        <p><a href=delete>"Delete this member"</a>" — you will be asked to confirm."</p>
                    })
                }
                None => Either::Right(view! { <crate::components::status::NotFound /> }),
            })}
        </StaffFrame>
    }
}

/// The earlier versions of a member, whole (they are short), each with a button that puts it
/// back.
#[component]
fn MemberRevisions(slug: String, revisions: Vec<MemberRevision>) -> impl IntoView {
    let restore = ServerAction::<RestoreMemberRevision>::new();
    if revisions.is_empty() {
        return Either::Left(view! {
            <h2>"Earlier versions"</h2>
            <p>"None yet: each save keeps the version it replaces."</p>
        });
    }
    Either::Right(view! {
        <h2>"Earlier versions"</h2>
        <ScrollTable id="member-revisions-caption" caption="Each save keeps the version it replaced, the newest first" heads=&["Replaced (UTC)", "By", "Name, known for", "About them", "Put back"]>
            {revisions.into_iter().map(|revision| {
                let when = minute(&revision.saved_at);
                let slug = slug.clone();
                view! {
                    <tr>
                        <td><time datetime=revision.saved_at.clone()>{when.clone()}</time></td>
                        <td>{revision.saved_by}</td>
                        <td>{revision.name}<br />{revision.role}</td>
                        <td class="revision-bio">{revision.bio}</td>
                        <td>
                            <ActionForm action=restore attr:class="inline-form">
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="revision" value=revision.id.to_string() />
                                <button type="submit" class="button">
                                    "Restore"
                                    <span class="visually-hidden">" the version replaced "{when}</span>
                                </button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </ScrollTable>
    })
}

#[component]
fn MemberEditor(saved: Option<MemberForm>) -> impl IntoView {
    let form =
        PostedForm::<SaveStaffMember, MemberError, MemberForm>::new("member", &["editing"], ());
    let PostedForm { action, initial } = form;
    let member = if initial == MemberForm::default() {
        saved.unwrap_or_default()
    } else {
        initial
    };
    let heading = if member.editing.is_empty() {
        "Add a member"
    } else {
        "Edit the member"
    };
    view! {
        <h1>{heading}</h1>
        <ActionForm action attr:class="staff-form" attr:novalidate=true>
            <ErrorSummary />
            <input type="hidden" name="form[editing]" value=member.editing.clone() />
            <TextField name="name" label="Name" autocomplete="off" max=MAX_MEMBER_NAME value=member.name />
            <TextField
                name="slug"
                label="Address"
                hint="The last part of the member's address, /members/…: lower-case letters, digits and hyphens."
                autocomplete="off"
                max=120
                value=member.slug
            />
            <TextField name="role" label="Known for" hint="One line under the name, e.g. Former Prime Minister of the Netherlands." autocomplete="off" max=MAX_MEMBER_ROLE value=member.role />
            <TextArea name="bio" label="About them" rows=8 max=MAX_MEMBER_BIO value=member.bio />
            <SubmitButton label="Save" pending_label="Saving…" />
        </ActionForm>
    }
}

/// `/staff/members/delete/{slug}`: the confirmation step before a member is deleted.
#[component]
pub fn DeleteMemberPage() -> impl IntoView {
    let slug = param("slug");
    let member = Resource::new(move || slug.clone(), get_member_form);
    view! {
        <StaffFrame title="Delete a member">
            {loaded(member, |member| match member {
                Some(member) => Either::Left(view! { <ConfirmMemberDelete member /> }),
                None => Either::Right(view! { <crate::components::status::NotFound /> }),
            })}
        </StaffFrame>
    }
}

#[component]
fn ConfirmMemberDelete(member: MemberForm) -> impl IntoView {
    let delete = ServerAction::<DeleteStaffMember>::new();
    let back = format!("/staff/members/edit/{}", member.editing);
    view! {
        <h1>{format!("Delete {}?", member.name)}</h1>
        <p class="lead">
            "Their page goes from the site at once, and the posts that name them no longer do. "
            "This cannot be undone. If they came from a content file, the import will not bring "
            "them back."
        </p>
        <ActionForm action=delete attr:class="inline-form">
            <input type="hidden" name="slug" value=member.editing />
            <button type="submit" class="button button-danger">"Delete the member"</button>
        </ActionForm>
        <p><a href=back>"Keep them: back to the editor"</a></p>
    }
}

/// `/staff/posts/new`.
#[component]
pub fn NewPostPage() -> impl IntoView {
    let member = Resource::new(|| Right::Content, get_staff_member);
    view! {
        <StaffFrame title="New post">
            {loaded(member, |_| view! { <PostEditor saved=None /> })}
        </StaffFrame>
    }
}

/// `/staff/posts/edit/{slug}`.
#[component]
pub fn EditPostPage() -> impl IntoView {
    let slug = param("slug");
    let post = Resource::new(move || slug.clone(), get_staff_post);
    view! {
        <StaffFrame title="Edit a post">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {async_view(move || Suspend::new(async move {
                    match post.await {
                        Ok(Some(post)) => {
                            let revisions = get_post_revisions(post.editing.clone()).await.unwrap_or_default();
                            let slug = post.editing.clone();
                            let delete = format!("/staff/posts/delete/{slug}");
                            let preview = format!("/staff/posts/preview/{slug}");
                            EitherOf3::A(view! {
                                <PostEditor saved=Some(post) />
                                <p><a href=preview>"Preview the saved post"</a>" as readers will see it."</p>
                                <Revisions slug revisions />
                                <h2>"Delete"</h2>
                                <p><a href=delete>"Delete this post"</a>" — you will be asked to confirm."</p>
                            })
                        }
                        Ok(None) => EitherOf3::B(view! { <crate::components::status::NotFound /> }),
                        Err(error) => EitherOf3::C(view! { <Refused error /> }),
                    }
                }))}
            </Suspense>
        </StaffFrame>
    }
}

/// `/staff/posts/preview/{slug}`: the stored post, draft or not, as readers will see it.
#[component]
pub fn PreviewPostPage() -> impl IntoView {
    let slug = param("slug");
    let post = Resource::new(move || slug.clone(), get_post_preview);
    view! {
        {loaded(post, |post| match post {
            Some(post) => {
                let back = format!("/staff/posts/edit/{}", post.slug.as_ref());
                Either::Left(view! {
                    <p class="notice preview-notice" role="status">
                        "Preview: this is how readers see the post once it is published. "
                        <a href=back>"Back to the editor"</a>
                    </p>
                    <PostArticle post preview=true />
                })
            }
            None => Either::Right(view! { <crate::components::status::NotFound /> }),
        })}
    }
}

/// `/staff/posts/delete/{slug}`: the confirmation step before a post is deleted.
#[component]
pub fn DeletePostPage() -> impl IntoView {
    let slug = param("slug");
    let post = Resource::new(
        move || slug.clone(),
        |slug| async move {
            let post = get_staff_post(slug.clone()).await?;
            let campaign = get_post_campaign(slug).await?;
            Ok::<_, StaffError>(post.map(|post| (post, campaign)))
        },
    );
    view! {
        <StaffFrame title="Delete a post">
            {loaded(post, |post| match post {
                Some((post, campaign)) => Either::Left(view! { <ConfirmDelete post campaign /> }),
                None => Either::Right(view! { <crate::components::status::NotFound /> }),
            })}
        </StaffFrame>
    }
}

#[component]
fn ConfirmDelete(post: PostForm, campaign: Option<String>) -> impl IntoView {
    let delete = ServerAction::<DeleteStaffPost>::new();
    let back = format!("/staff/posts/edit/{}", post.editing);
    if let Some(campaign) = campaign {
        return Either::Left(view! {
            <h1>{format!("“{}” cannot be deleted", post.title)}</h1>
            <p class="lead">
                {format!("It is the page of the campaign “{campaign}”, which links to it. ")}
                "To take it off the site, untick “Published” in the editor instead."
            </p>
            <p><a href=back>"Back to the editor"</a></p>
        });
    }
    Either::Right(view! {
        <h1>{format!("Delete “{}”?", post.title)}</h1>
        <p class="lead">
            "The post goes from the site at once, with its earlier versions. This cannot be "
            "undone. If the post came from a content file, the import will not bring it back."
        </p>
        <ActionForm action=delete attr:class="inline-form">
            <input type="hidden" name="slug" value=post.editing />
            <button type="submit" class="button button-danger">"Delete the post"</button>
        </ActionForm>
        <p><a href=back>"Keep it: back to the editor"</a></p>
    })
}

/// The editor's form: empty for a new post, or the stored post; after a failed save, what was
/// sent, with the messages.
#[component]
fn PostEditor(saved: Option<PostForm>) -> impl IntoView {
    let form = PostedForm::<SaveStaffPost, PostError, PostForm>::new("post", &["editing"], ());
    let PostedForm { action, initial } = form;
    let sent_back = initial != PostForm::default();
    let post = if sent_back {
        initial
    } else {
        saved.unwrap_or_default()
    };
    let heading = if post.editing.is_empty() {
        "Write a new post"
    } else {
        "Edit the post"
    };
    view! {
        <h1>{heading}</h1>
        <ActionForm action attr:class="staff-form post-editor" attr:novalidate=true>
            <ErrorSummary />
            <input type="hidden" name="form[editing]" value=post.editing.clone() />
            <TextField name="title" label="Title" autocomplete="off" max=MAX_POST_TITLE value=post.title />
            <TextField
                name="slug"
                label="Address"
                hint="The last part of the post's address, /news/…: lower-case letters, digits and hyphens."
                autocomplete="off"
                max=120
                value=post.slug
            />
            <TextField name="summary" label="Summary" hint="One or two sentences, shown in lists and link previews." autocomplete="off" max=MAX_POST_SUMMARY value=post.summary />
            <TextField name="date" label="Date" hint="Year-month-day, e.g. 2026-12-04." autocomplete="off" max=10 value=post.date />
            <TextArea name="body" label="Text (Markdown)" rows=18 max=MAX_POST_BODY value=post.body />
            <TextField name="tags" label="Tags" hint="Separated by commas, e.g. Migration, Cities." autocomplete="off" max=MAX_TAGS * (MAX_TAG + 2) value=post.tags required=false />
            <TextField name="members" label="Members named" hint="Their addresses, separated by commas, e.g. wim-kok: each gets a link under the post." autocomplete="off" max=600 value=post.members required=false />
            <TextField name="updated" label="Revised on" hint="Only if the text was changed after publication: year-month-day." autocomplete="off" max=10 value=post.updated required=false />
            <TextField name="image" label="Image" hint="A path of the site (/media/…) or an https:// address, for lists and link previews." autocomplete="off" max=MAX_IMAGE value=post.image required=false />
            <TextArea name="links" label="Links under the post" hint="One a line: the link's words | what it leads to | its address (leave the address out for a document not online yet)." rows=4 max=MAX_LINES_FIELD value=post.links />
            <TextArea name="media" label="Videos and maps" hint="One a line: youtube, vimeo or openstreetmap | the reference the host gives | what it shows." rows=3 max=MAX_LINES_FIELD value=post.media />
            <Checkbox name="publish" label="Published: shown on the site" checked=post.publish.is_some() />
            <SubmitButton label="Save" pending_label="Saving…" />
        </ActionForm>
    }
}

/// The earlier versions of a post, each with a button that puts it back.
#[component]
fn Revisions(slug: String, revisions: Vec<PostRevision>) -> impl IntoView {
    let restore = ServerAction::<RestorePostRevision>::new();
    if revisions.is_empty() {
        return Either::Left(view! {
            <h2>"Earlier versions"</h2>
            <p>"None yet: each save keeps the version it replaces."</p>
        });
    }
    Either::Right(view! {
        <h2 id="revisions-title">"Earlier versions"</h2>
        <ScrollTable id="revisions-caption" caption="Each save keeps the version it replaced, the newest first" heads=&["Replaced (UTC)", "By", "Title then", "Status then", "Put back"]>
            {revisions.into_iter().map(|revision| {
                let when = minute(&revision.saved_at);
                let slug = slug.clone();
                view! {
                    <tr>
                        <td><time datetime=revision.saved_at.clone()>{when.clone()}</time></td>
                        <td>{revision.saved_by}</td>
                        <td>
                            <a href=format!("/staff/posts/revision/{slug}/{}", revision.id)>
                                {revision.title}
                                <span class="visually-hidden">" (read this version)"</span>
                            </a>
                        </td>
                        <td>{revision.status}</td>
                        <td>
                            <ActionForm action=restore attr:class="inline-form">
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="revision" value=revision.id.to_string() />
                                <button type="submit" class="button">
                                    "Restore"
                                    <span class="visually-hidden">" the version replaced "{when}</span>
                                </button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </ScrollTable>
    })
}

/// `/staff/posts/revision/{slug}/{revision}`: an earlier version of a post, whole, with the
/// button that puts it back.
#[component]
pub fn RevisionPage() -> impl IntoView {
    let slug = param("slug");
    let revision = param("revision").parse::<i64>().unwrap_or(0);
    let found = Resource::new(
        move || (slug.clone(), revision),
        |(slug, revision)| get_post_revision(slug, revision),
    );
    view! {
        <StaffFrame title="An earlier version">
            {loaded(found, |found| match found {
                Some(found) => Either::Left(view! { <RevisionShown found /> }),
                None => Either::Right(view! { <crate::components::status::NotFound /> }),
            })}
        </StaffFrame>
    }
}

#[component]
fn RevisionShown(found: RevisionView) -> impl IntoView {
    let restore = ServerAction::<RestorePostRevision>::new();
    let RevisionView {
        revision,
        summary,
        published_on,
        body,
        body_html,
    } = found;
    let slug = param("slug");
    let back = format!("/staff/posts/edit/{slug}");
    let rendered = (!body_html.is_empty()).then(|| {
        view! {
            // Rendered and sanitised by the server's pipeline just now: never raw input.
            <div class="post-body revision-body" inner_html=body_html></div>
        }
    });
    view! {
        <h1>{format!("“{}”, as it was", revision.title)}</h1>
        <p class="lead">
            {format!(
                "Replaced on {} by {}. It was {}, dated {}.",
                minute(&revision.saved_at),
                revision.saved_by,
                revision.status,
                published_on
            )}
        </p>
        <p><strong>"Summary: "</strong>{summary}</p>
        {rendered}
        <details>
            <summary>"Its Markdown"</summary>
            <pre class="revision-markdown">{body}</pre>
        </details>
        <ActionForm action=restore attr:class="inline-form">
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="revision" value=revision.id.to_string() />
            <button type="submit" class="button">"Put this version back"</button>
        </ActionForm>
        <p><a href=back>"Back to the editor"</a></p>
    }
}

/// `/staff/accounts`: every staff account, an invitation form, and (`?link=`) the password
/// link just made, to send to its owner. For admins.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let accounts = Resource::new(|| (), |()| get_staff_accounts());
    let link = use_query_map()
        .read_untracked()
        .get("link")
        .and_then(|token| ConfirmationToken::parse(&token))
        .map(|token| use_public_url().join(&format!("/staff/set-password/{}", token.as_ref())));
    view! {
        <StaffFrame title="Staff accounts">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {async_view(move || {
                    let link = link.clone();
                    Suspend::new(async move {
                        let me = get_staff_member(Right::Administration).await;
                        match (accounts.await, me) {
                            (Ok(accounts), Ok(me)) => Either::Left(view! { <Accounts accounts me link /> }),
                            (Err(error), _) | (_, Err(error)) => Either::Right(view! { <Refused error /> }),
                        }
                    })
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn Accounts(accounts: Vec<StaffAccount>, me: StaffMember, link: Option<String>) -> impl IntoView {
    let form = PostedForm::<InviteStaff, InviteError, InviteForm>::new("invite", &[], ());
    let PostedForm { action, initial } = form;
    let change = ServerAction::<ChangeStaffAccount>::new();
    let new_link = ServerAction::<NewPasswordLink>::new();
    let roles = || {
        Role::ALL
            .into_iter()
            .map(|role| (role.as_str().to_owned(), role.as_str().to_owned()))
            .collect::<Vec<_>>()
    };
    view! {
        <h1>"Staff accounts"</h1>
        {link.map(|link| view! {
            <section class="notice" role="status" aria-labelledby="link-title">
                <h2 id="link-title">"Send this link to its owner"</h2>
                <p>"It sets their password, once: an invitation works for 7 days, a new password link for 1 hour."</p>
                <p class="share">
                    <label for="password-link">"Password link"</label>
                    <input id="password-link" type="url" readonly=true value=link />
                </p>
            </section>
        })}
        <h2>"Invite someone"</h2>
        <ActionForm action attr:class="staff-form" attr:novalidate=true>
            <ErrorSummary />
            <TextField name="email" label="Email address" input_type="email" autocomplete="off" max=MAX_EMAIL value=initial.email />
            <SelectField name="role" label="Role" options=roles() selected=initial.role placeholder="Choose a role" required=true />
            <SubmitButton label="Invite" pending_label="Inviting…" />
        </ActionForm>
        <h2 id="accounts-title">"Accounts"</h2>
        <ScrollTable id="accounts-caption" caption="Editors reach posts; fundraisers, pledges; admins, everything" heads=&["Address", "Role", "State", "Password"]>
            {accounts.into_iter().map(|account| {
                let mine = account.id == me.id;
                let state = match (account.disabled, account.invited) {
                    (true, _) => "disabled",
                    (false, true) => "invited",
                    (false, false) => "active",
                };
                let role_cell = if mine {
                    Either::Left(account.role.as_str())
                } else {
                    let select_id = format!("role-{}", account.id);
                    let current = account.role;
                    let (label, button) = (
                        format!("Role of {}", account.email),
                        format!(" of {}", account.email),
                    );
                    Either::Right(view! {
                        <ActionForm action=change attr:class="inline-form">
                            <input type="hidden" name="id" value=account.id.to_string() />
                            <label class="visually-hidden" for=select_id.clone()>{label}</label>
                            <select id=select_id name="change">
                                {Role::ALL.into_iter().map(|role| view! {
                                    <option value=role.as_str() selected=role == current>{role.as_str()}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit" class="button">
                                "Change role"<span class="visually-hidden">{button}</span>
                            </button>
                        </ActionForm>
                    })
                };
                let whom = format!(" {}", account.email);
                let switch = (!mine).then(|| {
                    let (value, label) = if account.disabled { ("enable", "Enable") } else { ("disable", "Disable") };
                    view! {
                        <ActionForm action=change attr:class="inline-form">
                            <input type="hidden" name="id" value=account.id.to_string() />
                            <input type="hidden" name="change" value=value />
                            <button type="submit" class="button">
                                {label}<span class="visually-hidden">{whom}</span>
                            </button>
                        </ActionForm>
                    }
                });
                let (address, for_whom) = (account.email.clone(), format!(" for {}", account.email));
                let link_cell = (!account.disabled).then(|| view! {
                    <ActionForm action=new_link attr:class="inline-form">
                        <input type="hidden" name="email" value=address />
                        <button type="submit" class="button">
                            "New password link"<span class="visually-hidden">{for_whom}</span>
                        </button>
                    </ActionForm>
                });
                view! {
                    <tr>
                        <th scope="row">{account.email}{mine.then_some(" (you)")}</th>
                        <td>{role_cell}</td>
                        <td>{state}{switch}</td>
                        <td>{link_cell}</td>
                    </tr>
                }
            }).collect_view()}
        </ScrollTable>
    }
}

/// `/staff/signatures?text=…&status=…&page=N`: the signatures of the call, found by words and
/// status, fifty a page, with the same rows as CSV; each leads to its supporter's data.
#[component]
pub fn SignaturesPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let filter = SignatureFilter {
        text: query.get("text").unwrap_or_default(),
        status: query.get("status").unwrap_or_default(),
    };
    let page = query
        .get("page")
        .and_then(|page| page.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let erased = query.get("erased").is_some();
    let signatures = Resource::new(
        {
            let filter = filter.clone();
            move || (filter.clone(), page)
        },
        |(filter, page)| get_signatures(filter, page),
    );
    view! {
        <StaffFrame title="Signatures">
            {loaded(signatures, move |found| view! { <SignatureList found filter=filter.clone() erased /> })}
        </StaffFrame>
    }
}

/// A stored language code as staff read it.
fn language_name(code: &str) -> &'static str {
    match code {
        "es" => "Spanish",
        _ => "English",
    }
}

#[component]
fn SignatureList(found: SignaturePage, filter: SignatureFilter, erased: bool) -> impl IntoView {
    let query = filter.query();
    let pages = (found.total + SIGNATURES_PER_PAGE - 1) / SIGNATURES_PER_PAGE;
    let previous =
        (found.page > 1).then(|| format!("/staff/signatures?{query}&page={}", found.page - 1));
    let next =
        (found.page < pages).then(|| format!("/staff/signatures?{query}&page={}", found.page + 1));
    let status = filter.status().unwrap_or_default();
    view! {
        <h1>"Signatures"</h1>
        {erased.then(|| view! { <p class="notice" role="status">"The supporter's data is erased."</p> })}
        <form method="get" action="/staff/signatures" class="staff-filter">
            <div class="filter-field">
                <label for="signatures-text">"Name, address or organisation"</label>
                <input id="signatures-text" type="search" name="text" value=filter.text.clone() />
            </div>
            <div class="filter-field">
                <label for="signatures-status">"Status"</label>
                <select id="signatures-status" name="status">
                    <option value="" selected=status.is_empty()>"Any"</option>
                    <option value="confirmed" selected=status == "confirmed">"Confirmed"</option>
                    <option value="pending" selected=status == "pending">"Pending"</option>
                </select>
            </div>
            <button type="submit" class="button">"Find"</button>
        </form>
        <p>
            {format!("{} signatures found. ", found.total)}
            <a href=format!("/staff/signatures.csv?{query}") download="signatures.csv">"Download them as CSV"</a>
        </p>
        <ScrollTable id="signatures-caption" caption=format!("Page {} of {}, the newest first", found.page, pages.max(1)) heads=&["Name", "Address", "As", "Country", "Language", "Status", "Signed"]>
            {found.signatures.into_iter().map(|signature| {
                let href = supporter_href(&signature.email);
                let kind = signature.organisation.clone().unwrap_or(signature.kind);
                view! {
                    <tr>
                        <th scope="row">{signature.full_name}</th>
                        <td><a href=href>{signature.email}</a></td>
                        <td>{kind}</td>
                        <td>{signature.country}</td>
                        // The language mail to them is written in.
                        <td>{language_name(&signature.lang)}</td>
                        <td>{signature.status}</td>
                        <td>{day(&signature.created_at)}</td>
                    </tr>
                }
            }).collect_view()}
        </ScrollTable>
        <nav class="pager" aria-label="Pages of signatures">
            {previous.map(|href| view! { <a href=href rel="prev">"Newer"</a> })}
            " "
            {next.map(|href| view! { <a href=href rel="next">"Older"</a> })}
        </nav>
    }
}

/// `/staff/supporter?email=…`: everything kept about one supporter, and the button that erases
/// it.
#[component]
pub fn SupporterPage() -> impl IntoView {
    let email = use_query_map()
        .read_untracked()
        .get("email")
        .unwrap_or_default();
    let data = Resource::new(move || email.clone(), get_supporter);
    view! {
        <StaffFrame title="A supporter's data">
            {loaded(data, |data| view! { <Supporter data /> })}
        </StaffFrame>
    }
}

#[component]
fn Supporter(data: SupporterData) -> impl IntoView {
    let erase_page = supporter_href(&data.email).replacen("/supporter?", "/supporter/erase?", 1);
    let nothing = data.signatures.is_empty() && data.pledges.is_empty() && data.queued_mail == 0;
    view! {
        <h1>{format!("What we keep about {}", data.email)}</h1>
        <h2>"Signatures"</h2>
        {if data.signatures.is_empty() {
            Either::Left(view! { <p>"None."</p> })
        } else {
            Either::Right(view! {
                <ul>
                    {data.signatures.into_iter().map(|signature| view! {
                        <li>
                            {format!(
                                "{}, {} ({}{}), {}, signed {}",
                                signature.full_name,
                                signature.email,
                                signature.kind,
                                signature.organisation.map(|name| format!(": {name}")).unwrap_or_default(),
                                signature.status,
                                day(&signature.created_at)
                            )}
                        </li>
                    }).collect_view()}
                </ul>
            })
        }}
        <h2>"Pledges"</h2>
        {if data.pledges.is_empty() {
            Either::Left(view! { <p>"None."</p> })
        } else {
            Either::Right(view! {
                <ul>
                    {data.pledges.into_iter().map(|pledge| view! {
                        <li>{format!("{}: {} {}, {}, by {}, {}", pledge.reference, pledge.amount, pledge.frequency, pledge.status, pledge.donor_name, day(&pledge.pledged_at))}</li>
                    }).collect_view()}
                </ul>
            })
        }}
        <h2>"Mail"</h2>
        <p>{format!("{} messages waiting to be sent.", data.queued_mail)}</p>
        {(!nothing).then(|| view! {
            <h2>"Erase"</h2>
            <p>
                "Erasing deletes the signatures and the mail waiting to be sent, and removes the "
                "name, address, message and tax id from the pledges (their amounts stay, so the "
                "totals stay true). You will be asked to confirm."
            </p>
            <p><a href=erase_page class="button button-danger">"Erase this supporter's data…"</a></p>
        })}
    }
}

/// `/staff/supporter/erase?email=…`: the confirmation step before a supporter's data is
/// erased, saying how much goes.
#[component]
pub fn EraseSupporterPage() -> impl IntoView {
    let email = use_query_map()
        .read_untracked()
        .get("email")
        .unwrap_or_default();
    let data = Resource::new(move || email.clone(), get_supporter);
    view! {
        <StaffFrame title="Erase a supporter's data">
            {loaded(data, |data| view! { <ConfirmErase data /> })}
        </StaffFrame>
    }
}

#[component]
fn ConfirmErase(data: SupporterData) -> impl IntoView {
    let erase = ServerAction::<EraseSupporter>::new();
    let back = supporter_href(&data.email);
    view! {
        <h1>{format!("Erase everything about {}?", data.email)}</h1>
        <p class="lead">
            {format!(
                "{} signatures and {} messages waiting to be sent are deleted; {} pledges lose \
                 the name, address, message and tax id (their amounts stay, so the totals stay \
                 true). This cannot be undone.",
                data.signatures.len(),
                data.queued_mail,
                data.pledges.len()
            )}
        </p>
        <ActionForm action=erase attr:class="inline-form">
            <input type="hidden" name="email" value=data.email.clone() />
            <button type="submit" class="button button-danger">
                {format!("Erase everything about {}", data.email)}
            </button>
        </ActionForm>
        <p><a href=back>"Keep it: back to their data"</a></p>
    }
}

/// The page of everything kept about the supporter at `email`.
fn supporter_href(email: &str) -> String {
    format!(
        "/staff/supporter?email={}",
        percent_encoding::utf8_percent_encode(email, percent_encoding::NON_ALPHANUMERIC)
    )
}

/// The actions the audit trail's filter offers.
const AUDIT_ACTIONS: [&str; 26] = [
    "login",
    "login.failed",
    "logout",
    "account.invite",
    "password.set",
    "password.link",
    "password.mail",
    "account.role",
    "account.disabled",
    "account.enabled",
    "pledge.received",
    "pledge.cancelled",
    "post.created",
    "post.edited",
    "post.restored",
    "post.deleted",
    "member.created",
    "member.edited",
    "member.deleted",
    "member.restored",
    "signatures.export",
    "pledges.export",
    "consents.export",
    "page-views.export",
    "content.export",
    "supporter.erased",
];

/// `/staff/audit?action=…`: the audit trail, for admins.
#[component]
pub fn AuditPage() -> impl IntoView {
    let action = use_query_map()
        .read_untracked()
        .get("action")
        .filter(|action| !action.is_empty());
    let trail = Resource::new(
        {
            let action = action.clone();
            move || action.clone()
        },
        get_audit_trail,
    );
    view! {
        <StaffFrame title="Audit trail">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {async_view(move || {
                    let action = action.clone();
                    Suspend::new(async move {
                        match trail.await {
                            Ok(entries) => Either::Left(view! { <AuditList entries action /> }),
                            Err(error) => Either::Right(view! { <Refused error /> }),
                        }
                    })
                })}
            </Suspense>
        </StaffFrame>
    }
}

#[component]
fn AuditList(entries: Vec<AuditEntry>, action: Option<String>) -> impl IntoView {
    let chosen = action.clone().unwrap_or_default();
    let caption = match action {
        Some(action) => format!("{} entries of “{action}”, the newest first", entries.len()),
        None => format!("The newest {} entries first", entries.len()),
    };
    view! {
        <h1>"Audit trail"</h1>
        <form method="get" action="/staff/audit" class="staff-filter">
            <div class="filter-field">
                <label for="audit-action">"Show"</label>
                <select id="audit-action" name="action">
                    <option value="" selected=chosen.is_empty()>"Every action"</option>
                    {AUDIT_ACTIONS.into_iter().map(|name| view! {
                        <option value=name selected=chosen == name>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Show"</button>
        </form>
        <ScrollTable id="audit-caption" caption=caption heads=&["When (UTC)", "Who", "What", "On", "Detail"]>
            {entries.into_iter().map(|entry| view! {
                <tr>
                    <td><time datetime=entry.at.clone()>{minute(&entry.at)}</time></td>
                    <td>{entry.actor}</td>
                    <td>{entry.action}</td>
                    <td>{entry.object}</td>
                    <td>{entry.detail}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
    }
}

/// The part `name` of the page's path (`/staff/posts/edit/{slug}`), empty if absent.
fn param(name: &str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

/// `2026-12-04` of an ISO time.
fn day(iso: &str) -> String {
    iso.chars().take(10).collect()
}

/// `2026-12-04 17:42` of an ISO time.
fn minute(iso: &str) -> String {
    iso.chars().take(16).collect::<String>().replace('T', " ")
}
