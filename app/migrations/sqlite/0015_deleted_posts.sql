-- Posts deleted in the staff workspace. The content import does not bring one back from its
-- file (the workspace wins, as it does for edits, and the import logs it); writing a post
-- with the same address in the workspace clears the mark.
CREATE TABLE deleted_posts (
    slug       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    deleted_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
