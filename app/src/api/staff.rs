//! The staff workspace's server functions. Every one checks, on the server, that a session is
//! logged in and that its account's role reaches what is asked ([`require`]); the public
//! site's functions are unchanged.

use super::error::{FormError, StaffError};
use crate::domain::chart::Chart;
use crate::domain::staff::{
    AuditEntry, ForgotError, ForgotForm, InviteError, InviteForm, LoginError, LoginForm,
    MemberError, MemberForm, MemberRevision, PasswordError, PasswordForm, PledgeFilter, PledgePage,
    PostError, PostForm, PostRevision, ReceiptError, ReceiptForm, ReceiptPage, RevisionView, Right,
    SignatureFilter, SignaturePage, StaffAccount, StaffMember, StaffMemberListing, StaffPost,
    SupporterData,
};
use leptos::prelude::*;

/// Where the login form is.
pub const LOGIN_PAGE: &str = "/staff/login";
/// The workspace's home, where a login leads.
pub const HOME_PAGE: &str = "/staff";

/// Who is logged in, if their role reaches `right`.
///
/// # Errors
/// [`StaffError::NotLoggedIn`] (401) without a live session, [`StaffError::Forbidden`] (403)
/// for a role without `right`, [`StaffError::Unavailable`] when the database cannot answer.
#[server(endpoint = "staff/me")]
pub async fn get_staff_member(right: Right) -> Result<StaffMember, StaffError> {
    require(right).await
}

/// Logs in: the session gets a new id (one set before, by anyone, is not carried over) and
/// remembers the account. Failed attempts are recorded; past [`LOGIN_ATTEMPTS`] within
/// [`LOGIN_WINDOW_MINUTES`] for the account (or four times that from the client), no password
/// is checked until the window has passed.
///
/// [`LOGIN_ATTEMPTS`]: crate::domain::staff::LOGIN_ATTEMPTS
/// [`LOGIN_WINDOW_MINUTES`]: crate::domain::staff::LOGIN_WINDOW_MINUTES
///
/// # Errors
/// [`FormError::Invalid`] for a missing field or refused credentials (422 to a script, the
/// form again without JavaScript); [`FormError::Unavailable`] when nothing could be checked.
#[server(endpoint = "staff/login")]
pub async fn staff_login(form: LoginForm) -> Result<(), FormError<LoginError>> {
    use leptos::server_fn::ServerFn;
    let result = on_server::login(&form).await;
    super::form::answer(
        &result,
        <StaffLogin as ServerFn>::PATH,
        LOGIN_PAGE,
        || form.clone().for_echo(),
        |()| HOME_PAGE.to_owned(),
    );
    result
}

/// Ends the session, on the server too: its id is worth nothing afterwards.
///
/// # Errors
/// [`StaffError::Unavailable`] when the session store cannot be reached.
/// Mails a single-use link, valid for an hour, to set a new password to the account at the
/// address given, if there is one; the answer is the same whether or not there is.
///
/// # Errors
/// [`FormError::Invalid`] for an address that is not one; [`FormError::Unavailable`] when
/// the request could not be stored.
#[server(endpoint = "staff/forgot")]
pub async fn forgot_staff_password(form: ForgotForm) -> Result<(), FormError<ForgotError>> {
    use leptos::server_fn::ServerFn;
    let result = on_server::forgot(&form).await;
    super::form::answer(
        &result,
        <ForgotStaffPassword as ServerFn>::PATH,
        FORGOT_PAGE,
        || form.clone(),
        |()| format!("{FORGOT_PAGE}?sent=1"),
    );
    result
}

/// Where "forgot password" is asked.
pub const FORGOT_PAGE: &str = "/staff/forgot";

#[server(endpoint = "staff/logout")]
pub async fn staff_logout() -> Result<(), StaffError> {
    on_server::logout().await?;
    crate::server::http::redirect_plain_form_post(LOGIN_PAGE);
    Ok(())
}

/// Sets a password through a single-use link (an invitation or a reset).
///
/// # Errors
/// [`FormError::Invalid`] for a password too short or long, two copies that differ, or a link
/// used or expired; [`FormError::Unavailable`] when it could not be stored.
#[server(endpoint = "staff/password")]
pub async fn set_staff_password(form: PasswordForm) -> Result<(), FormError<PasswordError>> {
    use leptos::server_fn::ServerFn;
    let result = on_server::set_password(&form).await;
    let page = format!("/staff/set-password/{}", form.token);
    super::form::answer(
        &result,
        <SetStaffPassword as ServerFn>::PATH,
        &page,
        || form.clone().for_echo(),
        |()| format!("{LOGIN_PAGE}?password=set"),
    );
    result
}

/// Whether the link with `token` may still set a password, and for which address.
///
/// # Errors
/// [`StaffError::Unavailable`] when the database cannot answer.
#[server(endpoint = "staff/link")]
pub async fn get_password_link(token: String) -> Result<Option<String>, StaffError> {
    use crate::{domain::signup::ConfirmationToken, server::staff};
    let Some(token) = ConfirmationToken::parse(&token) else {
        return Ok(None);
    };
    let state = on_server::state()?;
    staff::link_email(&state.pool, &token)
        .await
        .map_err(on_server::unavailable("reading a password link"))
}

/// The charts of the workspace's home that `member`'s role reaches: signatures and pledges
/// for fundraisers, page views for editors, cookie choices for everyone.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Workspace`].
#[server(endpoint = "staff/charts")]
pub async fn get_charts() -> Result<Vec<Chart>, StaffError> {
    use crate::{
        domain::signup::CALL_TO_ACTION,
        server::{dashboard, db},
    };
    let member = require(Right::Workspace).await?;
    let state = on_server::state()?;
    let pool = &state.pool;
    let drawn = async {
        let today = db::today(pool).await?;
        let mut charts = Vec::new();
        if member.role.may(Right::Supporters) {
            charts.push(dashboard::signatures_per_day(pool, CALL_TO_ACTION, today).await?);
            charts.extend(dashboard::pledges_per_month(pool, today).await?);
        }
        if member.role.may(Right::Content) {
            charts.push(dashboard::views_per_day(pool, today).await?);
        }
        charts.push(dashboard::consent_per_week(pool).await?);
        Ok::<_, sqlx::Error>(charts)
    };
    drawn
        .await
        .map_err(on_server::unavailable("drawing the charts"))
}

/// The audit trail, newest first, for admins; `action` keeps one kind of entry.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Administration`].
#[server(endpoint = "staff/audit")]
pub async fn get_audit_trail(action: Option<String>) -> Result<Vec<AuditEntry>, StaffError> {
    use crate::server::staff;
    require(Right::Administration).await?;
    let state = on_server::state()?;
    let action = action.filter(|action| !action.is_empty());
    staff::audit_trail(&state.pool, action.as_deref())
        .await
        .map_err(on_server::unavailable("reading the audit trail"))
}

/// The pledges `filter` keeps, the newest first (at most [`PLEDGE_PAGE`]), and what all of
/// them add up to per month and currency, for fundraisers.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Supporters`].
#[server(endpoint = "staff/pledges")]
pub async fn get_staff_pledges(
    // A call without a filter (the list's first view) lists every pledge.
    #[server(default)] filter: PledgeFilter,
) -> Result<PledgePage, StaffError> {
    use crate::server::pledges;
    require(Right::Supporters).await?;
    let state = on_server::state()?;
    let unavailable = on_server::unavailable("listing pledges");
    let found = pledges::find(&state.pool, &filter, Some(PLEDGE_PAGE)).await;
    let months = pledges::month_totals(&state.pool, &filter).await;
    match (found, months) {
        (Ok((records, total)), Ok(months)) => Ok(PledgePage {
            pledges: records.into_iter().map(pledges::staff_pledge).collect(),
            total,
            months,
        }),
        (Err(error), _) | (_, Err(error)) => Err(unavailable(error)),
    }
}

/// The most pledges the list shows at once.
pub const PLEDGE_PAGE: i64 = 500;

/// The pledge `reference` and today's date, for the form that records its money arrived;
/// `None` for no such pledge.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Supporters`].
#[server(endpoint = "staff/pledge")]
pub async fn get_pledge_receipt(reference: String) -> Result<Option<ReceiptPage>, StaffError> {
    use crate::server::{db, pledges};
    require(Right::Supporters).await?;
    let state = on_server::state()?;
    let unavailable = on_server::unavailable("reading a pledge");
    let (found, today) = match (
        pledges::record_by_reference(&state.pool, &reference).await,
        db::today(&state.pool).await,
    ) {
        (Ok(found), Ok(today)) => (found, today),
        (Err(error), _) | (_, Err(error)) => return Err(unavailable(error)),
    };
    Ok(found.map(|pledge| ReceiptPage {
        pledge: pledges::staff_pledge(pledge),
        today: today.iso(),
    }))
}

/// Records that the money of a pledge has arrived, the day and how; the list shows it
/// received, and the public totals count it.
///
/// # Errors
/// [`FormError::Invalid`] for a day or a way that is wrong; [`FormError::BadRequest`] for a
/// pledge that is unknown or not `pledged` any more; as [`get_staff_member`] otherwise.
#[server(endpoint = "staff/pledges/received")]
pub async fn mark_pledge_received(form: ReceiptForm) -> Result<(), FormError<ReceiptError>> {
    use leptos::server_fn::ServerFn;
    let result = on_server::receive(&form).await;
    super::form::answer(
        &result,
        <MarkPledgeReceived as ServerFn>::PATH,
        &format!("/staff/pledges/receive/{}", form.reference),
        || form.clone(),
        |()| "/staff/pledges".to_owned(),
    );
    result
}

/// Records that the pledge `reference` will not be paid; it stays in the list as cancelled.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Supporters`]; [`StaffError::BadRequest`] for a
/// pledge that is unknown or not `pledged` any more.
#[server(endpoint = "staff/pledges/cancel")]
pub async fn cancel_pledge(reference: String) -> Result<(), StaffError> {
    use crate::server::{
        http,
        pledges::{self, Transition},
    };
    let member = require(Right::Supporters).await?;
    let state = on_server::state()?;
    let done = pledges::cancel(&state.pool, &reference, &member.email)
        .await
        .map_err(on_server::unavailable("cancelling a pledge"))?;
    if done != Transition::Done {
        return Err(on_server::bad_request());
    }
    http::redirect_plain_form_post("/staff/pledges");
    Ok(())
}

/// Every post, drafts included, for editors.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/posts")]
pub async fn get_staff_posts() -> Result<Vec<StaffPost>, StaffError> {
    use crate::server::posts;
    require(Right::Content).await?;
    let state = on_server::state()?;
    posts::staff_posts(&state.pool)
        .await
        .map_err(on_server::unavailable("listing posts"))
}

/// The post `slug` as the editor's form shows it; `None` when there is no such post.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/post")]
pub async fn get_staff_post(slug: String) -> Result<Option<PostForm>, StaffError> {
    use crate::server::posts;
    require(Right::Content).await?;
    let state = on_server::state()?;
    posts::post_form(&state.pool, &slug)
        .await
        .map_err(on_server::unavailable("reading a post"))
}

/// Saves a post written or edited in the workspace: rendered and sanitised as the content
/// import does, the previous version kept, on the site (when published) at once.
///
/// # Errors
/// [`FormError::Invalid`] for wrong fields, a slug another post has, or a body the site
/// refuses; [`FormError::NotLoggedIn`] / [`FormError::Forbidden`] without an editor's session;
/// [`FormError::Unavailable`] when it could not be stored.
#[server(endpoint = "staff/posts/save")]
pub async fn save_staff_post(form: PostForm) -> Result<(), FormError<PostError>> {
    use leptos::server_fn::ServerFn;
    let result = on_server::save_post(&form).await;
    let page = if form.editing.is_empty() {
        "/staff/posts/new".to_owned()
    } else {
        format!("/staff/posts/edit/{}", form.editing)
    };
    super::form::answer(
        &result,
        <SaveStaffPost as ServerFn>::PATH,
        &page,
        || form.clone(),
        |()| "/staff/posts".to_owned(),
    );
    result
}

/// The post `slug` as readers would see it once published, drafts included: the editor's
/// preview, rendered by the server from what is stored.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/post/preview")]
pub async fn get_post_preview(slug: String) -> Result<Option<crate::domain::Post>, StaffError> {
    use crate::server::content;
    require(Right::Content).await?;
    let state = on_server::state()?;
    content::preview(&state.pool, &slug)
        .await
        .map_err(on_server::unavailable("previewing a post"))
}

/// Revision `revision` of the post `slug`, whole, its text rendered by the server; `None`
/// for no such revision.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/post/revision")]
pub async fn get_post_revision(
    slug: String,
    revision: i64,
) -> Result<Option<RevisionView>, StaffError> {
    use crate::server::posts;
    require(Right::Content).await?;
    let state = on_server::state()?;
    let found = posts::revision(&state.pool, &slug, revision)
        .await
        .map_err(on_server::unavailable("reading a revision"))?;
    Ok(found.map(|view| {
        // A version the pipeline now refuses is shown as its Markdown only.
        let body_html = (state.markdown.render)(&view.body)
            .map(|body| body.html)
            .unwrap_or_default();
        RevisionView { body_html, ..view }
    }))
}

/// Every member, for editors.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/members")]
pub async fn get_staff_members() -> Result<Vec<StaffMemberListing>, StaffError> {
    use crate::server::members;
    require(Right::Content).await?;
    let state = on_server::state()?;
    members::staff_members(&state.pool)
        .await
        .map_err(on_server::unavailable("listing members"))
}

/// The member `slug` as the editor's form shows it; `None` for no such member.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/member")]
pub async fn get_member_form(slug: String) -> Result<Option<MemberForm>, StaffError> {
    use crate::server::members;
    require(Right::Content).await?;
    let state = on_server::state()?;
    members::member_form(&state.pool, &slug)
        .await
        .map_err(on_server::unavailable("reading a member"))
}

/// The earlier versions of the member `slug`, the newest first.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/member/revisions")]
pub async fn get_member_revisions(slug: String) -> Result<Vec<MemberRevision>, StaffError> {
    use crate::server::members;
    require(Right::Content).await?;
    let state = on_server::state()?;
    members::revisions(&state.pool, &slug)
        .await
        .map_err(on_server::unavailable("reading a member's revisions"))
}

/// Puts an earlier version of the member `slug` back (the current one is kept in turn).
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`]; [`StaffError::BadRequest`] for a
/// revision this member does not have.
#[server(endpoint = "staff/member/restore")]
pub async fn restore_member_revision(slug: String, revision: i64) -> Result<(), StaffError> {
    use crate::server::{http, members};
    let member = require(Right::Content).await?;
    let state = on_server::state()?;
    let restored = members::restore_revision(&state.pool, &slug, revision, &member.email)
        .await
        .map_err(on_server::unavailable("restoring a member's revision"))?;
    if !restored {
        return Err(on_server::bad_request());
    }
    state.content.invalidate();
    http::redirect_plain_form_post(&format!("/staff/members/edit/{slug}"));
    Ok(())
}

/// Saves a member written or edited in the workspace; on the site at once.
///
/// # Errors
/// [`FormError::Invalid`] for wrong fields or an address another member has; as
/// [`save_staff_post`] otherwise.
#[server(endpoint = "staff/members/save")]
pub async fn save_staff_member(form: MemberForm) -> Result<(), FormError<MemberError>> {
    use leptos::server_fn::ServerFn;
    let result = on_server::save_member(&form).await;
    let page = if form.editing.is_empty() {
        "/staff/members/new".to_owned()
    } else {
        format!("/staff/members/edit/{}", form.editing)
    };
    super::form::answer(
        &result,
        <SaveStaffMember as ServerFn>::PATH,
        &page,
        || form.clone(),
        |()| "/staff/members".to_owned(),
    );
    result
}

/// Deletes the member `slug` (after the confirmation page); the posts naming it no longer
/// do, and the content import does not bring it back from its file.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`]; [`StaffError::BadRequest`] for a member
/// that does not exist.
#[server(endpoint = "staff/member/delete")]
pub async fn delete_staff_member(slug: String) -> Result<(), StaffError> {
    use crate::server::{http, members};
    let member = require(Right::Content).await?;
    let state = on_server::state()?;
    let deleted = members::delete_member(&state.pool, &slug, &member.email)
        .await
        .map_err(on_server::unavailable("deleting a member"))?;
    if !deleted {
        return Err(on_server::bad_request());
    }
    state.content.invalidate();
    http::redirect_plain_form_post("/staff/members?deleted=1");
    Ok(())
}

/// The earlier versions of the post `slug`, the newest first.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/post/revisions")]
pub async fn get_post_revisions(slug: String) -> Result<Vec<PostRevision>, StaffError> {
    use crate::server::posts;
    require(Right::Content).await?;
    let state = on_server::state()?;
    posts::revisions(&state.pool, &slug)
        .await
        .map_err(on_server::unavailable("listing a post's revisions"))
}

/// The title of the campaign whose page the post `slug` is, if one is: such a post cannot be
/// deleted.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`].
#[server(endpoint = "staff/post/campaign")]
pub async fn get_post_campaign(slug: String) -> Result<Option<String>, StaffError> {
    use crate::server::posts;
    require(Right::Content).await?;
    let state = on_server::state()?;
    posts::campaign_of(&state.pool, &slug)
        .await
        .map_err(on_server::unavailable("reading a post's campaign"))
}

/// Deletes the post `slug` (after the confirmation page), with its earlier versions; the
/// content import does not bring it back from its file.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`]; [`StaffError::BadRequest`] for a post
/// that does not exist.
#[server(endpoint = "staff/post/delete")]
pub async fn delete_staff_post(slug: String) -> Result<(), StaffError> {
    use crate::server::{http, posts};
    let member = require(Right::Content).await?;
    let state = on_server::state()?;
    let deleted = posts::delete_post(&state.pool, &slug, &member.email)
        .await
        .map_err(on_server::unavailable("deleting a post"))?;
    if deleted != posts::Deleted::Done {
        // The confirmation page offers no button for a post a campaign shows.
        return Err(on_server::bad_request());
    }
    state.content.invalidate();
    http::redirect_plain_form_post("/staff/posts?deleted=1");
    Ok(())
}

/// Puts an earlier version of the post `slug` back; what it was until now becomes a revision
/// in turn, so a restore is undone the same way.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Content`]; [`StaffError::BadRequest`] for a revision
/// that is not one of this post's.
#[server(endpoint = "staff/post/restore")]
pub async fn restore_post_revision(slug: String, revision: i64) -> Result<(), StaffError> {
    use crate::server::{
        http,
        posts::{self, Restored},
    };
    let member = require(Right::Content).await?;
    let state = on_server::state()?;
    let refused = on_server::bad_request;
    let markdown = posts::revision_body(&state.pool, &slug, revision)
        .await
        .map_err(on_server::unavailable("reading a revision"))?
        .ok_or_else(refused)?;
    let body = (state.markdown.render)(&markdown).map_err(|why| {
        tracing::error!(%why, "a stored revision no longer renders");
        refused()
    })?;
    let restored = posts::restore_revision(&state.pool, &slug, revision, &body, &member.email)
        .await
        .map_err(on_server::unavailable("restoring a revision"))?;
    if restored == Restored::Unknown {
        return Err(refused());
    }
    state.content.invalidate();
    http::redirect_plain_form_post(&format!("/staff/posts/edit/{slug}"));
    Ok(())
}

/// Every staff account, for admins.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Administration`].
#[server(endpoint = "staff/accounts")]
pub async fn get_staff_accounts() -> Result<Vec<StaffAccount>, StaffError> {
    use crate::server::staff;
    require(Right::Administration).await?;
    let state = on_server::state()?;
    staff::accounts(&state.pool)
        .await
        .map_err(on_server::unavailable("listing staff accounts"))
}

/// Where the accounts page shows a password link just made, to send to its owner.
pub const ACCOUNTS_PAGE: &str = "/staff/accounts";

/// Invites a new staff member: the account, and the link (shown to the admin, to send) that
/// sets its password.
///
/// # Errors
/// [`FormError::Invalid`] for a wrong address or role, or an address with an account;
/// [`FormError::NotLoggedIn`] / [`FormError::Forbidden`] without an admin's session.
#[server(endpoint = "staff/accounts/invite")]
pub async fn invite_staff(form: InviteForm) -> Result<String, FormError<InviteError>> {
    use leptos::server_fn::ServerFn;
    let result = on_server::invite(&form).await;
    super::form::answer(
        &result,
        <InviteStaff as ServerFn>::PATH,
        ACCOUNTS_PAGE,
        || form.clone(),
        |token| format!("{ACCOUNTS_PAGE}?link={token}"),
    );
    result
}

/// Changes another staff member's account: `change` is a role (`editor`, `fundraiser`,
/// `admin`), `disable` or `enable`.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Administration`]; [`StaffError::BadRequest`] for an
/// unknown change, an unknown account, or the admin's own.
#[server(endpoint = "staff/accounts/change")]
pub async fn change_staff_account(id: i64, change: String) -> Result<(), StaffError> {
    use crate::server::{
        http,
        staff::{self, AccountChange},
    };
    let admin = require(Right::Administration).await?;
    let change = match change.as_str() {
        "disable" => Some(AccountChange::Disabled(true)),
        "enable" => Some(AccountChange::Disabled(false)),
        role => crate::domain::staff::Role::parse(role).map(AccountChange::Role),
    };
    let state = on_server::state()?;
    let changed = match change {
        Some(change) => staff::change_account(&state.pool, id, change, &admin)
            .await
            .map_err(on_server::unavailable("changing a staff account"))?,
        None => false,
    };
    if !changed {
        return Err(on_server::bad_request());
    }
    http::redirect_plain_form_post(ACCOUNTS_PAGE);
    Ok(())
}

/// A link (valid 1 hour) that sets a new password for the account `email`, shown to the admin
/// to send.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Administration`]; [`StaffError::BadRequest`] for an
/// unknown or disabled account.
#[server(endpoint = "staff/accounts/link")]
pub async fn new_password_link(email: String) -> Result<String, StaffError> {
    use crate::{domain::EmailAddress, server::http, server::staff};
    let admin = require(Right::Administration).await?;
    let state = on_server::state()?;
    let refused = on_server::bad_request;
    let email = EmailAddress::parse(&email).map_err(|_| refused())?;
    let token = staff::reset_link(&state.pool, &email, &admin.email)
        .await
        .map_err(on_server::unavailable("making a password link"))?
        .ok_or_else(refused)?;
    http::redirect_plain_form_post(&format!("{ACCOUNTS_PAGE}?link={}", token.as_ref()));
    Ok(token.as_ref().to_owned())
}

/// One page of the signatures `filter` keeps, the newest first (`page` from 1).
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Supporters`].
#[server(endpoint = "staff/signatures")]
pub async fn get_signatures(
    filter: SignatureFilter,
    page: i64,
) -> Result<SignaturePage, StaffError> {
    use crate::{
        domain::{signup::CALL_TO_ACTION, staff::SIGNATURES_PER_PAGE},
        server::supporters,
    };
    require(Right::Supporters).await?;
    let state = on_server::state()?;
    let page = page.clamp(1, i64::from(u32::MAX));
    let (signatures, total) = supporters::find_signatures(
        &state.pool,
        CALL_TO_ACTION,
        &filter,
        Some((SIGNATURES_PER_PAGE, (page - 1) * SIGNATURES_PER_PAGE)),
    )
    .await
    .map_err(on_server::unavailable("finding signatures"))?;
    Ok(SignaturePage {
        signatures,
        total,
        page,
    })
}

/// Everything kept about the supporter at `email`.
///
/// # Errors
/// As [`get_staff_member`], for [`Right::Supporters`]; [`StaffError::BadRequest`] for what is
/// not an address.
#[server(endpoint = "staff/supporter")]
pub async fn get_supporter(email: String) -> Result<SupporterData, StaffError> {
    use crate::{domain::EmailAddress, server::supporters};
    require(Right::Supporters).await?;
    let email = EmailAddress::parse(&email).map_err(|_| {
        crate::server::http::set_status(StaffError::BadRequest.status());
        StaffError::BadRequest
    })?;
    let state = on_server::state()?;
    supporters::supporter(&state.pool, &email)
        .await
        .map_err(on_server::unavailable("reading a supporter"))
}

/// Erases the supporter at `email`: signatures and unsent mail deleted, pledges kept for the
/// totals without name, address, message or tax id.
///
/// # Errors
/// As [`get_supporter`].
#[server(endpoint = "staff/supporter/erase")]
pub async fn erase_supporter(email: String) -> Result<(), StaffError> {
    use crate::{
        domain::EmailAddress,
        server::{http, supporters},
    };
    let member = require(Right::Supporters).await?;
    let email = EmailAddress::parse(&email).map_err(|_| on_server::bad_request())?;
    let state = on_server::state()?;
    let erased = supporters::erase(&state.pool, &email, &member.email)
        .await
        .map_err(on_server::unavailable("erasing a supporter"))?;
    tracing::info!(?erased, "a supporter was erased");
    state.figures.changed();
    http::redirect_plain_form_post("/staff/signatures?erased=1");
    Ok(())
}

#[cfg(feature = "ssr")]
pub use on_server::{member_of, require};

#[cfg(feature = "ssr")]
mod on_server {
    use crate::{
        api::error::{FormError, StaffError},
        domain::{
            signup::ConfirmationToken,
            staff::{
                ForgotError, ForgotForm, InviteError, InviteForm, LoginError, LoginForm,
                MemberError, MemberForm, PasswordError, PasswordForm, PostError, PostForm,
                ReceiptError, ReceiptForm, Right, StaffMember, LOGIN_ATTEMPTS,
            },
        },
        server::{
            db::Db,
            http,
            posts::{self, Saved},
            staff,
            state::AppState,
        },
    };
    use leptos::prelude::use_context;
    use serde::{Deserialize, Serialize};
    use tower_sessions::Session;

    /// What the session keeps: who logged in, and when (seconds since the epoch).
    #[derive(Serialize, Deserialize)]
    struct LoggedIn {
        id: i64,
        since: u64,
    }

    const SESSION_KEY: &str = "staff";
    /// However active, a session ends this long after its login (idle ones end sooner, by
    /// the session layer's expiry).
    const LONGEST_SESSION_SECONDS: u64 = 12 * 60 * 60;

    pub fn state() -> Result<AppState, StaffError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState is missing from the Leptos context");
            StaffError::Unavailable
        })
    }

    pub fn unavailable<E: std::fmt::Display>(
        context: &'static str,
    ) -> impl FnOnce(E) -> StaffError {
        move |error| {
            tracing::error!(error = %error, "{context}");
            http::set_error_status(StaffError::Unavailable.status());
            StaffError::Unavailable
        }
    }

    /// A request the staff function refuses (an unknown row, a change that no longer
    /// applies), its answer's status set to 400.
    pub fn bad_request() -> StaffError {
        http::set_error_status(StaffError::BadRequest.status());
        StaffError::BadRequest
    }

    async fn session() -> Result<Session, StaffError> {
        leptos_axum::extract::<Session>().await.map_err(|error| {
            tracing::error!(%error, "the session layer is missing");
            StaffError::Unavailable
        })
    }

    fn now() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    }

    /// The staff member of this request's session, if their role reaches `right`; the status
    /// of the answer is set to the error's.
    ///
    /// # Errors
    /// See [`StaffError`].
    pub async fn require(right: Right) -> Result<StaffMember, StaffError> {
        let checked = async {
            let state = state()?;
            let session = session().await?;
            member_of(&session, &state.pool, right).await
        }
        .await;
        if let Err(error) = checked {
            http::set_status(error.status());
        }
        checked
    }

    /// The staff member of `session`, if their role reaches `right`: [`require`] for a
    /// handler outside Leptos (a download), which sets its own status.
    ///
    /// # Errors
    /// See [`StaffError`].
    pub async fn member_of(
        session: &Session,
        db: &Db,
        right: Right,
    ) -> Result<StaffMember, StaffError> {
        let logged_in: Option<LoggedIn> = session
            .get(SESSION_KEY)
            .await
            .map_err(unavailable("reading a session"))?;
        let Some(logged_in) = logged_in else {
            return Err(StaffError::NotLoggedIn);
        };
        let member = if now().saturating_sub(logged_in.since) > LONGEST_SESSION_SECONDS {
            None
        } else {
            staff::member(db, logged_in.id)
                .await
                .map_err(unavailable("reading a staff account"))?
        };
        let Some(member) = member else {
            // Too old, or the account was disabled since: the session ends here.
            session
                .flush()
                .await
                .map_err(unavailable("ending a session"))?;
            return Err(StaffError::NotLoggedIn);
        };
        if member.role.may(right) {
            Ok(member)
        } else {
            Err(StaffError::Forbidden)
        }
    }

    pub async fn login(form: &LoginForm) -> Result<(), FormError<LoginError>> {
        let refused = |error| FormError::Invalid {
            errors: vec![error],
        };
        let login = form
            .parse()
            .map_err(|errors| FormError::Invalid { errors })?;
        let state = state().map_err(|_| FormError::Unavailable)?;
        let pool = &state.pool;
        let failed = |error: sqlx::Error| {
            tracing::error!(%error, "logging in");
            FormError::Unavailable
        };
        let client = http::client_address().unwrap_or_default();
        let (by_account, by_client) = staff::recent_failed_logins(pool, &login.email, &client)
            .await
            .map_err(failed)?;
        if by_account >= LOGIN_ATTEMPTS || by_client >= 4 * LOGIN_ATTEMPTS {
            return Err(refused(LoginError::TooManyAttempts));
        }
        let credentials = staff::credentials(pool, &login.email)
            .await
            .map_err(failed)?;
        let hash = credentials
            .as_ref()
            .map(|found| found.password_hash.clone());
        let matches = staff::verify_password(login.password, hash).await;
        let email = login.email.key();
        let member = match credentials {
            Some(found) if matches => found.member,
            _ => {
                staff::record(pool, &email, "login.failed", &email, &client)
                    .await
                    .map_err(failed)?;
                return Err(refused(LoginError::Refused));
            }
        };
        let session = session().await.map_err(|_| FormError::Unavailable)?;
        let started = async {
            // A new id: whatever id the browser had before (perhaps planted) is not the one
            // that is now logged in.
            session.cycle_id().await?;
            session
                .insert(
                    SESSION_KEY,
                    LoggedIn {
                        id: member.id,
                        since: now(),
                    },
                )
                .await
        }
        .await;
        started.map_err(|error| {
            tracing::error!(%error, "starting a session");
            FormError::Unavailable
        })?;
        staff::record(pool, &member.email, "login", &member.email, &client)
            .await
            .map_err(failed)?;
        Ok(())
    }

    pub async fn logout() -> Result<(), StaffError> {
        let session = session().await?;
        let logged_in: Option<LoggedIn> = session
            .get(SESSION_KEY)
            .await
            .map_err(unavailable("reading a session"))?;
        session
            .flush()
            .await
            .map_err(unavailable("ending a session"))?;
        if let Some(logged_in) = logged_in {
            let state = state()?;
            let member = staff::member(&state.pool, logged_in.id)
                .await
                .map_err(unavailable("reading a staff account"))?;
            if let Some(member) = member {
                staff::record(&state.pool, &member.email, "logout", &member.email, "")
                    .await
                    .map_err(unavailable("recording a logout"))?;
            }
        }
        Ok(())
    }

    pub async fn invite(form: &InviteForm) -> Result<String, FormError<InviteError>> {
        let admin = require(Right::Administration)
            .await
            .map_err(as_form_error)?;
        let (email, role) = form
            .parse()
            .map_err(|errors| FormError::Invalid { errors })?;
        let state = state().map_err(|_| FormError::Unavailable)?;
        let added = staff::add_account(&state.pool, &email, role, &admin.email)
            .await
            .map_err(|error| {
                tracing::error!(%error, "inviting a staff member");
                FormError::Unavailable
            })?;
        match added {
            staff::Added::Invited(token) => Ok(token.as_ref().to_owned()),
            staff::Added::Exists => Err(FormError::Invalid {
                errors: vec![InviteError::Exists],
            }),
        }
    }

    /// A staff function's refusal, as a staff form's.
    fn as_form_error<C>(error: StaffError) -> FormError<C> {
        match error {
            StaffError::NotLoggedIn => FormError::NotLoggedIn,
            StaffError::Forbidden => FormError::Forbidden,
            StaffError::BadRequest => FormError::BadRequest,
            StaffError::Unavailable => FormError::Unavailable,
        }
    }

    pub async fn save_post(form: &PostForm) -> Result<(), FormError<PostError>> {
        let member = require(Right::Content).await.map_err(as_form_error)?;
        let invalid = |error| FormError::Invalid {
            errors: vec![error],
        };
        let draft = form
            .parse()
            .map_err(|errors| FormError::Invalid { errors })?;
        let state = state().map_err(|_| FormError::Unavailable)?;
        let body = (state.markdown.render)(&draft.body).map_err(|why| {
            tracing::info!(%why, "a post's text was refused");
            invalid(PostError::BodyRefused)
        })?;
        let saved = posts::save_post(&state.pool, &draft, &body, &member.email)
            .await
            .map_err(|error| {
                tracing::error!(%error, "saving a post");
                FormError::Unavailable
            })?;
        match saved {
            Saved::Created | Saved::Edited => {
                // This server's pages at once; the others see the content version move.
                state.content.invalidate();
                Ok(())
            }
            Saved::SlugTaken => Err(invalid(PostError::SlugTaken)),
            Saved::UnknownMember => Err(invalid(PostError::Members)),
            Saved::LinkTaken => Err(invalid(PostError::LinkTaken)),
            Saved::Missing => Err(FormError::BadRequest),
        }
    }

    pub async fn forgot(form: &ForgotForm) -> Result<(), FormError<ForgotError>> {
        let email = form
            .parse()
            .map_err(|errors| FormError::Invalid { errors })?;
        let state = state().map_err(|_| FormError::Unavailable)?;
        let queued = staff::queue_password_mail(&state.pool, &email)
            .await
            .map_err(|error| {
                tracing::error!(%error, "queueing a password mail");
                FormError::Unavailable
            })?;
        if queued {
            state.mail_queued.notify_one();
        }
        Ok(())
    }

    pub async fn receive(form: &ReceiptForm) -> Result<(), FormError<ReceiptError>> {
        use crate::server::{
            db,
            pledges::{self, Transition},
        };
        let member = require(Right::Supporters).await.map_err(as_form_error)?;
        let state = state().map_err(|_| FormError::Unavailable)?;
        let failed = |error: sqlx::Error| {
            tracing::error!(%error, "marking a pledge received");
            FormError::Unavailable
        };
        let today = db::today(&state.pool).await.map_err(failed)?;
        let receipt = form
            .parse(today)
            .map_err(|errors| FormError::Invalid { errors })?;
        let done = pledges::mark_received(
            &state.pool,
            &form.reference,
            receipt.via,
            Some(receipt.received_on),
            &member.email,
        )
        .await
        .map_err(failed)?;
        match done {
            Transition::Done => {
                // The totals on this server's pages at once; other servers see the stored
                // version.
                state.figures.changed();
                Ok(())
            }
            Transition::TooEarly => Err(FormError::Invalid {
                errors: vec![ReceiptError::DateBefore],
            }),
            Transition::Unknown | Transition::AlreadyIs(_) => Err(FormError::BadRequest),
        }
    }

    pub async fn save_member(form: &MemberForm) -> Result<(), FormError<MemberError>> {
        use crate::server::{members, posts::Saved};
        let member = require(Right::Content).await.map_err(as_form_error)?;
        let draft = form
            .parse()
            .map_err(|errors| FormError::Invalid { errors })?;
        let state = state().map_err(|_| FormError::Unavailable)?;
        let saved = members::save_member(&state.pool, &draft, &member.email)
            .await
            .map_err(|error| {
                tracing::error!(%error, "saving a member");
                FormError::Unavailable
            })?;
        match saved {
            Saved::Created | Saved::Edited => {
                state.content.invalidate();
                Ok(())
            }
            Saved::SlugTaken => Err(FormError::Invalid {
                errors: vec![MemberError::SlugTaken],
            }),
            Saved::Missing | Saved::UnknownMember | Saved::LinkTaken => Err(FormError::BadRequest),
        }
    }

    pub async fn set_password(form: &PasswordForm) -> Result<(), FormError<PasswordError>> {
        let unusable = || FormError::Invalid {
            errors: vec![PasswordError::LinkUnusable],
        };
        let token = ConfirmationToken::parse(&form.token).ok_or_else(unusable)?;
        let password = form
            .parse()
            .map_err(|errors| FormError::Invalid { errors })?;
        let state = state().map_err(|_| FormError::Unavailable)?;
        let failed = |error: sqlx::Error| {
            tracing::error!(%error, "setting a password");
            FormError::Unavailable
        };
        let hash = staff::hash_password(password).await.map_err(failed)?;
        staff::set_password(&state.pool, &token, &hash)
            .await
            .map_err(failed)?
            .map(drop)
            .ok_or_else(unusable)
    }
}
