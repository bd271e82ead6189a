-- Members written, edited or deleted in the staff workspace are the workspace's, as posts
-- are: the content import neither overwrites an edited member nor brings a deleted one back
-- from its file, and logs each it leaves.
ALTER TABLE members ADD COLUMN edited_in_workspace_at timestamptz;

CREATE TABLE deleted_members (
    slug       text PRIMARY KEY,
    name       text NOT NULL,
    deleted_at timestamptz NOT NULL,
    deleted_by text NOT NULL
);
