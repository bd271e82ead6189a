-- Members written, edited or deleted in the staff workspace are the workspace's, as posts
-- are: the content import neither overwrites an edited member nor brings a deleted one back
-- from its file, and logs each it leaves.
ALTER TABLE members ADD COLUMN edited_in_workspace_at TEXT;

CREATE TABLE deleted_members (
    slug       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    deleted_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
