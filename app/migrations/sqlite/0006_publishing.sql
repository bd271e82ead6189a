-- Publishing: full-text search over posts, and a counter that any change to published
-- content moves, so the server's in-memory copy of the content knows when it is stale
-- whoever made the change (the server's own import, `server import` from another process,
-- or staff with sqlite3).

-- The day a post's words were revised after publication, when its file says so.
ALTER TABLE posts ADD COLUMN updated_on TEXT CHECK (date(updated_on) IS updated_on);

-- What search reads of a post's body: its words without the Markdown or HTML around them.
-- The import fills it; until then (posts stored by the migrations) the Markdown stands in.
ALTER TABLE posts ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
UPDATE posts SET body_text = body_markdown;

-- An external-content index: the words live in `posts`, the index only points at them, and
-- the triggers below keep the two in step on every write.
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    title,
    summary,
    body_text,
    content = 'posts',
    content_rowid = 'id',
    -- "Migration" finds "migrations" and "émigré" finds "emigre".
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');

CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, title, summary, body_text)
    VALUES (new.id, new.title, new.summary, new.body_text);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, summary, body_text)
    VALUES ('delete', old.id, old.title, old.summary, old.body_text);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, summary, body_text ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, summary, body_text)
    VALUES ('delete', old.id, old.title, old.summary, old.body_text);
    INSERT INTO posts_fts (rowid, title, summary, body_text)
    VALUES (new.id, new.title, new.summary, new.body_text);
END;

CREATE TABLE content_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO content_version (id, version) VALUES (1, 1);

CREATE TRIGGER posts_changed_insert AFTER INSERT ON posts BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER posts_changed_update AFTER UPDATE ON posts BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER posts_changed_delete AFTER DELETE ON posts BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER tags_changed_insert AFTER INSERT ON tags BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER tags_changed_update AFTER UPDATE ON tags BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER tags_changed_delete AFTER DELETE ON tags BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_tags_changed_insert AFTER INSERT ON post_tags BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_tags_changed_update AFTER UPDATE ON post_tags BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_tags_changed_delete AFTER DELETE ON post_tags BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER members_changed_insert AFTER INSERT ON members BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER members_changed_update AFTER UPDATE ON members BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER members_changed_delete AFTER DELETE ON members BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_members_changed_insert AFTER INSERT ON post_members BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_members_changed_update AFTER UPDATE ON post_members BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_members_changed_delete AFTER DELETE ON post_members BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER resources_changed_insert AFTER INSERT ON resources BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER resources_changed_update AFTER UPDATE ON resources BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER resources_changed_delete AFTER DELETE ON resources BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_media_changed_insert AFTER INSERT ON post_media BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_media_changed_update AFTER UPDATE ON post_media BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER post_media_changed_delete AFTER DELETE ON post_media BEGIN
    UPDATE content_version SET version = version + 1;
END;
