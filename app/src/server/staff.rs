//! The SQL of the staff workspace: accounts, the single-use links that set a password, and the
//! audit trail every staff action is written to (in the transaction of the change itself).

use super::{
    db::{on_conn, on_db, Conn, Db},
    tokens::{hash, new_token},
};
use crate::domain::{
    signup::ConfirmationToken,
    staff::{AuditEntry, Role, StaffAccount, StaffMember, LOGIN_WINDOW_MINUTES},
    EmailAddress,
};

/// How long an invitation link works.
const INVITE_FOR: &str = "+7 days";
/// How long a reset link works.
const RESET_FOR: &str = "+1 hour";

/// Who the audit trail names for what is done from the server's command line.
pub const COMMAND_LINE: &str = "command line";

/// The most audit entries one page of the trail shows.
pub const AUDIT_PAGE: i64 = 200;

/// What adding an account did.
#[derive(Debug)]
pub enum Added {
    /// The account is new: its invitation link's token.
    Invited(ConfirmationToken),
    /// An account has this address already: nothing changed.
    Exists,
}

/// Adds a staff account with `role` and an invitation link to set its first password.
///
/// # Errors
/// The database's.
pub async fn add_account(
    db: &Db,
    email: &EmailAddress,
    role: Role,
    actor: &str,
) -> Result<Added, sqlx::Error> {
    let token = new_token()?;
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let id: Option<i64> = sqlx::query_scalar(&format!(
            "INSERT INTO staff_accounts (email, role, created_at, updated_at)
             VALUES ($1, $2, {NOW}, {NOW}) ON CONFLICT DO NOTHING RETURNING id"
        ))
        .bind(email.key())
        .bind(role.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Ok(Added::Exists);
        };
        sqlx::query(&format!(
            "INSERT INTO staff_links (token_hash, account_id, purpose, created_at, expires_at)
             VALUES ($1, $2, 'invite', {NOW}, {})",
            shifted(INVITE_FOR)
        ))
        .bind(hash(&token))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        record_in(Conn::from(&mut *tx), actor, "account.invite", &email.key(), role.as_str())
            .await?;
        tx.commit().await?;
        Ok(Added::Invited(token))
    })
}

/// A link to set a new password for the account at `email`, valid for an hour, if there is
/// such an account (a disabled one gets none); `actor` asked for it.
///
/// # Errors
/// The database's.
pub async fn reset_link(
    db: &Db,
    email: &EmailAddress,
    actor: &str,
) -> Result<Option<ConfirmationToken>, sqlx::Error> {
    let token = new_token()?;
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let linked = sqlx::query(&format!(
            "INSERT INTO staff_links (token_hash, account_id, purpose, created_at, expires_at)
             SELECT $1, id, 'reset', {NOW}, {} FROM staff_accounts
             WHERE email = $2 AND disabled = false",
            shifted(RESET_FOR)
        ))
        .bind(hash(&token))
        .bind(email.key())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if linked == 1 {
            record_in(Conn::from(&mut *tx), actor, "password.link", &email.key(), "reset")
                .await?;
        }
        tx.commit().await?;
        Ok((linked == 1).then_some(token))
    })
}

/// How many "forgot password" mails one account is sent in an hour: enough for a lost one,
/// too few to flood an inbox from the public form.
pub const PASSWORD_MAILS_PER_HOUR: i64 = 3;

/// Queues a mail with a new password link to the account at `email`, if there is a usable
/// one that has not had [`PASSWORD_MAILS_PER_HOUR`] already; the public "forgot password"
/// form answers the same either way. `true` when a mail was queued.
///
/// # Errors
/// The database's.
pub async fn queue_password_mail(db: &Db, email: &EmailAddress) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let queued = sqlx::query(&format!(
            "INSERT INTO outbox (kind, staff_id, created_at, next_attempt_at)
             SELECT 'staff-password', id, {NOW}, {NOW} FROM staff_accounts a
             WHERE email = $1 AND disabled = false
               AND (SELECT count(*) FROM outbox o
                    WHERE o.staff_id = a.id AND o.created_at > {}) < $2",
            shifted("-1 hour")
        ))
        .bind(email.key())
        .bind(PASSWORD_MAILS_PER_HOUR)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if queued {
            record_in(Conn::from(&mut *tx), &email.key(), "password.mail", &email.key(), "")
                .await?;
        }
        tx.commit().await?;
        Ok(queued)
    })
}

/// What a "forgot password" mail says: where, and the link's token.
#[derive(Clone, Debug)]
pub struct PasswordMail {
    pub email: String,
    pub token: ConfirmationToken,
}

/// Makes the link of a queued "forgot password" mail to the account `account_id`, valid for
/// an hour from now (when it is sent), on the sender's connection; `None` once the account
/// is disabled.
///
/// # Errors
/// The database's.
pub async fn password_mail(
    conn: Conn<'_>,
    account_id: i64,
) -> Result<Option<PasswordMail>, sqlx::Error> {
    let token = new_token()?;
    let email: Option<String> = on_conn!(conn, conn => sqlx::query_scalar(&format!(
        "INSERT INTO staff_links (token_hash, account_id, purpose, created_at, expires_at)
         SELECT $1, id, 'reset', {NOW}, {} FROM staff_accounts
         WHERE id = $2 AND disabled = false
         RETURNING (SELECT email FROM staff_accounts WHERE id = $2)",
        shifted(RESET_FOR)
    ))
    .bind(hash(&token))
    .bind(account_id)
    .fetch_optional(conn)
    .await?);
    Ok(email.map(|email| PasswordMail { email, token }))
}

/// The address of the account a link sets the password of, while the link is usable
/// (neither used nor expired).
///
/// # Errors
/// The database's.
pub async fn link_email(db: &Db, token: &ConfirmationToken) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar(&format!(
            "SELECT a.email FROM staff_links l JOIN staff_accounts a ON a.id = l.account_id
             WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > {NOW}
               AND a.disabled = false"
        ))
        .bind(hash(token))
        .fetch_optional(pool)
        .await
    })
}

/// Sets the password (its Argon2id hash) of the account the link belongs to, and spends the
/// link and every other open link of that account. `None` when the link is not usable.
///
/// # Errors
/// The database's.
pub async fn set_password(
    db: &Db,
    token: &ConfirmationToken,
    password_hash: &str,
) -> Result<Option<StaffMember>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let account: Option<(i64, String, String)> = sqlx::query_as(&format!(
            "SELECT a.id, a.email, a.role FROM staff_links l
             JOIN staff_accounts a ON a.id = l.account_id
             WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > {NOW}
               AND a.disabled = false {FOR_UPDATE}"
        ))
        .bind(hash(token))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(member) = account.and_then(member_of) else {
            return Ok(None);
        };
        sqlx::query(&format!(
            "UPDATE staff_accounts SET password_hash = $1, updated_at = {NOW} WHERE id = $2"
        ))
        .bind(password_hash)
        .bind(member.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "UPDATE staff_links SET used_at = {NOW} WHERE account_id = $1 AND used_at IS NULL"
        ))
        .bind(member.id)
        .execute(&mut *tx)
        .await?;
        record_in(Conn::from(&mut *tx), &member.email, "password.set", &member.email, "")
            .await?;
        tx.commit().await?;
        Ok(Some(member))
    })
}

/// An account that may log in, with its password's hash.
pub struct Credentials {
    pub member: StaffMember,
    pub password_hash: String,
}

/// The account at `email` with its password's hash, if it has one and is not disabled.
///
/// # Errors
/// The database's.
pub async fn credentials(
    db: &Db,
    email: &EmailAddress,
) -> Result<Option<Credentials>, sqlx::Error> {
    let row: Option<(i64, String, String, String)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, email, role, password_hash FROM staff_accounts
             WHERE email = $1 AND disabled = false AND password_hash IS NOT NULL",
        )
        .bind(email.key())
        .fetch_optional(pool)
        .await?
    });
    Ok(row.and_then(|(id, email, role, password_hash)| {
        Some(Credentials {
            member: member_of((id, email, role))?,
            password_hash,
        })
    }))
}

/// The account with `id`, if it may still use the workspace (a session outlives nothing: a
/// disabled account or one whose password was never set is logged out at its next request).
///
/// # Errors
/// The database's.
pub async fn member(db: &Db, id: i64) -> Result<Option<StaffMember>, sqlx::Error> {
    let row: Option<(i64, String, String)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, email, role FROM staff_accounts
             WHERE id = $1 AND disabled = false AND password_hash IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
    });
    Ok(row.and_then(member_of))
}

/// Failed logins recorded for the account at `email`, or from `client`, within the last
/// [`LOGIN_WINDOW_MINUTES`]: the audit trail is the counter.
///
/// # Errors
/// The database's.
pub async fn recent_failed_logins(
    db: &Db,
    email: &EmailAddress,
    client: &str,
) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as(&format!(
            "SELECT count(*) FILTER (WHERE object = $1), count(*) FILTER (WHERE detail = $2)
             FROM audit_log WHERE action = 'login.failed' AND at > {}",
            shifted(&format!("-{LOGIN_WINDOW_MINUTES} minutes"))
        ))
        .bind(email.key())
        .bind(client)
        .fetch_one(pool)
        .await
    })
}

/// Writes one entry of the audit trail on its own.
///
/// # Errors
/// The database's.
pub async fn record(
    db: &Db,
    actor: &str,
    action: &str,
    object: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        let mut conn = pool.acquire().await?;
        record_in(Conn::from(&mut *conn), actor, action, object, detail).await
    })
}

/// Writes one entry of the audit trail inside the caller's transaction, so the entry and the
/// change it records are stored together or not at all.
///
/// # Errors
/// The database's.
pub async fn record_in(
    conn: Conn<'_>,
    actor: &str,
    action: &str,
    object: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    on_conn!(conn, conn => {
        sqlx::query(&format!(
            "INSERT INTO audit_log (at, actor, action, object, detail)
             VALUES ({NOW}, $1, $2, $3, $4)"
        ))
        .bind(cut(actor, 254))
        .bind(cut(action, 40))
        .bind(cut(object, 300))
        .bind(cut(detail, 1000))
        .execute(&mut *conn)
        .await
        .map(drop)
    })
}

/// The newest entries of the audit trail (of one kind of action, if `action` is given), the
/// newest first.
///
/// # Errors
/// The database's.
pub async fn audit_trail(db: &Db, action: Option<&str>) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, String)> = on_db!(db, pool => {
        sqlx::query_as(&format!(
            "SELECT {}, actor, action, object, detail FROM audit_log
             WHERE $1 IS NULL OR action = $1 ORDER BY id DESC LIMIT $2",
            iso("at")
        ))
        .bind(action)
        .bind(AUDIT_PAGE)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, object, detail)| AuditEntry {
            at,
            actor,
            action,
            object,
            detail,
        })
        .collect())
}

/// Every staff account, by address.
///
/// # Errors
/// The database's.
pub async fn accounts(db: &Db) -> Result<Vec<StaffAccount>, sqlx::Error> {
    let rows: Vec<(i64, String, String, bool, bool)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, email, role, password_hash IS NULL, disabled
             FROM staff_accounts ORDER BY email",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|(id, email, role, invited, disabled)| {
            Some(StaffAccount {
                id,
                email,
                role: Role::parse(&role)?,
                invited,
                disabled,
            })
        })
        .collect())
}

/// A change an admin makes to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountChange {
    Role(Role),
    Disabled(bool),
}

/// Changes the account `id` (never the actor's own: an admin cannot lock themselves out);
/// `false` when there is no such other account. Its sessions end at their next request, when
/// the role or the disabling is read again.
///
/// # Errors
/// The database's.
pub async fn change_account(
    db: &Db,
    id: i64,
    change: AccountChange,
    actor: &StaffMember,
) -> Result<bool, sqlx::Error> {
    if id == actor.id {
        return Ok(false);
    }
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let (set, action, detail) = match change {
            AccountChange::Role(role) => ("role = $2", "account.role", role.as_str()),
            AccountChange::Disabled(true) => ("disabled = true", "account.disabled", ""),
            AccountChange::Disabled(false) => ("disabled = false", "account.enabled", ""),
        };
        let sql = format!(
            "UPDATE staff_accounts SET {set}, updated_at = {NOW} WHERE id = $1 RETURNING email"
        );
        let mut query = sqlx::query_scalar(&sql).bind(id);
        if let AccountChange::Role(role) = change {
            query = query.bind(role.as_str());
        }
        let email: Option<String> = query.fetch_optional(&mut *tx).await?;
        let Some(email) = email else {
            return Ok(false);
        };
        record_in(Conn::from(&mut *tx), &actor.email, action, &email, detail).await?;
        tx.commit().await?;
        Ok(true)
    })
}

/// The Argon2id hash of `password` (PHC string), made on a blocking thread: it takes tens of
/// milliseconds of CPU on purpose, which must not stall the requests sharing the runtime.
///
/// # Errors
/// When the hashing thread could not run.
pub async fn hash_password(password: String) -> Result<String, sqlx::Error> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|error| sqlx::Error::Protocol(format!("hashing a password: {error}")))
}

/// Whether `password` matches `hash`. Without a hash (no such account) a stand-in is checked
/// all the same, so the answer takes as long whether or not the address has an account.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    static STAND_IN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| {
            STAND_IN
                .get_or_init(|| password_auth::generate_hash("not anyone's password"))
                .clone()
        });
        password_auth::verify_password(password, &hash).is_ok() && known
    })
    .await
    .unwrap_or(false)
}

fn member_of((id, email, role): (i64, String, String)) -> Option<StaffMember> {
    Some(StaffMember {
        id,
        email,
        role: Role::parse(&role)?,
    })
}

/// `text` cut to `max` characters, so an entry always fits its column.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::testing::on_both;

    fn address(text: &str) -> EmailAddress {
        EmailAddress::parse(text).expect("an address")
    }

    on_both! {
        async fn an_invitation_sets_a_password_once_and_is_audited(db: Db) {
            let email = address("Ana@Example.org");
            let Added::Invited(token) = add_account(&db, &email, Role::Editor, COMMAND_LINE)
                .await
                .expect("adds")
            else {
                panic!("a new account");
            };
            assert!(matches!(
                add_account(&db, &email, Role::Admin, COMMAND_LINE).await.expect("answers"),
                Added::Exists
            ));
            assert_eq!(
                link_email(&db, &token).await.expect("reads").as_deref(),
                Some("ana@example.org")
            );
            assert!(credentials(&db, &email).await.expect("reads").is_none(), "no password yet");

            let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
            let invited = set_password(&db, &token, hash).await.expect("sets").expect("usable");
            assert_eq!(invited.role, Role::Editor);
            assert!(set_password(&db, &token, hash).await.expect("answers").is_none(), "once");
            assert!(link_email(&db, &token).await.expect("reads").is_none());
            let found = credentials(&db, &email).await.expect("reads").expect("an account");
            assert_eq!(found.password_hash, hash);
            assert_eq!(member(&db, found.member.id).await.expect("reads"), Some(found.member));

            let trail = audit_trail(&db, None).await.expect("reads");
            let actions: Vec<&str> = trail.iter().map(|entry| entry.action.as_str()).collect();
            assert_eq!(actions, ["password.set", "account.invite"]);
            assert_eq!(trail[1].actor, COMMAND_LINE);
            assert_eq!(trail[1].detail, "editor");
        }
    }

    on_both! {
        async fn the_audit_trail_cannot_be_changed_and_counts_failed_logins(db: Db) {
            let email = address("ana@example.org");
            for _ in 0..3 {
                record(&db, "ana@example.org", "login.failed", &email.key(), "192.0.2.1")
                    .await
                    .expect("records");
            }
            record(&db, "bo@example.org", "login.failed", "bo@example.org", "192.0.2.9")
                .await
                .expect("records");
            assert_eq!(
                recent_failed_logins(&db, &email, "192.0.2.9").await.expect("counts"),
                (3, 1)
            );
            let changed = on_db!(&db, pool => {
                sqlx::query("UPDATE audit_log SET actor = 'someone else'").execute(pool).await.map(drop)
            });
            assert!(changed.is_err(), "an entry cannot be rewritten");
            let deleted = on_db!(&db, pool => {
                sqlx::query("DELETE FROM audit_log").execute(pool).await.map(drop)
            });
            assert!(deleted.is_err(), "nor deleted");
            assert_eq!(audit_trail(&db, Some("login.failed")).await.expect("reads").len(), 4);
        }
    }
}
