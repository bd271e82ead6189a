-- Each save of a member in the staff workspace keeps what the member was before, as posts'
-- saves do, so an edit can be read and put back.
CREATE TABLE member_revisions (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    saved_at  TEXT NOT NULL,
    saved_by  TEXT NOT NULL,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL,
    bio       TEXT NOT NULL
) STRICT;

CREATE INDEX member_revisions_by_member ON member_revisions (member_id, id);
