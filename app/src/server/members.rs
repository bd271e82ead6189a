//! The SQL of members written, edited and deleted in the staff workspace. As for posts, a
//! save or a deletion marks the member as the workspace's (the content import leaves it
//! alone from then on), is recorded in the audit trail in the same transaction, and every
//! server sees it through the content version's triggers.

use super::{
    db::{on_conn, on_db, Conn, Db},
    posts::{claim_slug, Saved},
    staff::record_in,
};
use crate::domain::staff::{MemberDraft, MemberForm, MemberRevision, StaffMemberListing};

/// Every member, by name, for editors.
///
/// # Errors
/// The database's.
pub async fn staff_members(db: &Db) -> Result<Vec<StaffMemberListing>, sqlx::Error> {
    let rows: Vec<(String, String, String, bool)> = on_db!(db, pool => sqlx::query_as(
        "SELECT slug, name, role, edited_in_workspace_at IS NOT NULL FROM members
         ORDER BY name, slug",
    )
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(slug, name, role, from_workspace)| StaffMemberListing {
            slug,
            name,
            role,
            from_workspace,
        })
        .collect())
}

/// The editor's form of the member `slug`.
///
/// # Errors
/// The database's.
pub async fn member_form(db: &Db, slug: &str) -> Result<Option<MemberForm>, sqlx::Error> {
    let row: Option<(String, String, String, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT slug, name, role, bio FROM members WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?);
    Ok(row.map(|(slug, name, role, bio)| MemberForm {
        editing: slug.clone(),
        slug,
        name,
        role,
        bio,
    }))
}

/// Creates the member `draft` or changes the one it edits (a new address moves the
/// member's page; the posts naming it follow); `actor` is recorded in the audit trail.
///
/// # Errors
/// The database's.
pub async fn save_member(db: &Db, draft: &MemberDraft, actor: &str) -> Result<Saved, sqlx::Error> {
    let slug = draft.slug.as_ref();
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let editing = draft.editing.as_ref().map(AsRef::as_ref);
        let current = match claim_slug(Conn::from(&mut *tx), "members", editing, slug).await? {
            Ok(current) => current,
            Err(refused) => return Ok(refused),
        };
        let saved = match current {
            Some(id) => {
                keep_revision(Conn::from(&mut *tx), id, actor).await?;
                sqlx::query(&format!(
                    "UPDATE members SET slug = $2, name = $3, role = $4, bio = $5,
                         edited_in_workspace_at = {NOW}
                     WHERE id = $1"
                ))
                .bind(id)
                .bind(slug)
                .bind(&draft.name)
                .bind(&draft.role)
                .bind(&draft.bio)
                .execute(&mut *tx)
                .await?;
                Saved::Edited
            }
            None => {
                sqlx::query("DELETE FROM deleted_members WHERE slug = $1")
                    .bind(slug)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(&format!(
                    "INSERT INTO members (slug, name, role, bio, edited_in_workspace_at)
                     VALUES ($1, $2, $3, $4, {NOW})"
                ))
                .bind(slug)
                .bind(&draft.name)
                .bind(&draft.role)
                .bind(&draft.bio)
                .execute(&mut *tx)
                .await?;
                Saved::Created
            }
        };
        let action = if saved == Saved::Created {
            "member.created"
        } else {
            "member.edited"
        };
        record_in(Conn::from(&mut *tx), actor, action, slug, &draft.name).await?;
        tx.commit().await?;
        Ok(saved)
    })
}

/// Deletes the member `slug` (the posts naming it no longer do), and marks its address so
/// the content import does not bring it back; `false` when there is no such member.
///
/// # Errors
/// The database's.
pub async fn delete_member(db: &Db, slug: &str, actor: &str) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let name: Option<String> = sqlx::query_scalar(&format!(
            "SELECT name FROM members WHERE slug = $1 {FOR_UPDATE}"
        ))
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(name) = name else {
            return Ok(false);
        };
        sqlx::query(&format!(
            "INSERT INTO deleted_members (slug, name, deleted_at, deleted_by)
             VALUES ($1, $2, {NOW}, $3)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name,
                 deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by"
        ))
        .bind(slug)
        .bind(&name)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM members WHERE slug = $1")
            .bind(slug)
            .execute(&mut *tx)
            .await?;
        record_in(Conn::from(&mut *tx), actor, "member.deleted", slug, &name).await?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Keeps what the member `id` is now as a revision, saved by `actor`.
async fn keep_revision(conn: Conn<'_>, id: i64, actor: &str) -> Result<(), sqlx::Error> {
    on_conn!(conn, tx => sqlx::query(&format!(
        "INSERT INTO member_revisions (member_id, saved_at, saved_by, name, role, bio)
         SELECT id, {NOW}, $2, name, role, bio FROM members WHERE id = $1"
    ))
    .bind(id)
    .bind(actor)
    .execute(&mut *tx)
    .await
    .map(drop))
}

/// The earlier versions of the member `slug`, the newest first.
///
/// # Errors
/// The database's.
pub async fn revisions(db: &Db, slug: &str) -> Result<Vec<MemberRevision>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String, String)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT r.id, {}, r.saved_by, r.name, r.role, r.bio
         FROM member_revisions r JOIN members m ON m.id = r.member_id
         WHERE m.slug = $1 ORDER BY r.id DESC",
        iso("r.saved_at")
    ))
    .bind(slug)
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(id, saved_at, saved_by, name, role, bio)| MemberRevision {
            id,
            saved_at,
            saved_by,
            name,
            role,
            bio,
        })
        .collect())
}

/// Puts revision `revision` back as the member `slug`, keeping what the member was until now
/// as a revision of its own (a restore can be undone the same way); `false` when the member
/// has no such revision.
///
/// # Errors
/// The database's.
pub async fn restore_revision(
    db: &Db,
    slug: &str,
    revision: i64,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_with(BEGIN_WRITE).await?;
        let member: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT m.id FROM members m JOIN member_revisions r ON r.member_id = m.id
             WHERE m.slug = $1 AND r.id = $2 {FOR_UPDATE}"
        ))
        .bind(slug)
        .bind(revision)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(member) = member else {
            return Ok(false);
        };
        keep_revision(Conn::from(&mut *tx), member, actor).await?;
        sqlx::query(&format!(
            "UPDATE members SET (name, role, bio) =
                 (SELECT name, role, bio FROM member_revisions WHERE id = $2),
                 edited_in_workspace_at = {NOW}
             WHERE id = $1"
        ))
        .bind(member)
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        record_in(
            Conn::from(&mut *tx),
            actor,
            "member.restored",
            slug,
            &format!("revision {revision}"),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    })
}
