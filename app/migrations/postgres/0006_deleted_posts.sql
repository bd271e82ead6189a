-- Posts deleted in the staff workspace. The content import does not bring one back from its
-- file (the workspace wins, as it does for edits, and the import logs it); writing a post
-- with the same address in the workspace clears the mark.
CREATE TABLE deleted_posts (
    slug       text PRIMARY KEY,
    title      text NOT NULL,
    deleted_at timestamptz NOT NULL,
    deleted_by text NOT NULL
);
