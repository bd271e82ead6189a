-- Posts written or edited in the staff workspace. Such a post is the workspace's from then on:
-- the content folder's import at start leaves it as it is (and says so in the log) rather than
-- overwrite an edit with the file, and does not retire it for having no file.
ALTER TABLE posts ADD COLUMN edited_in_workspace_at TEXT;

-- What a post was before each save in the workspace, to read again and put back.
CREATE TABLE post_revisions (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    saved_at      TEXT NOT NULL,
    saved_by      TEXT NOT NULL,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    published_on  TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    status        TEXT NOT NULL
) STRICT;

CREATE INDEX post_revisions_by_post ON post_revisions (post_id, id);
