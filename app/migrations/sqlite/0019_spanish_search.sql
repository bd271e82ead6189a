-- Search in Spanish: the translations' words, as the posts' are searched in English. Spanish
-- is not stemmed by FTS5 (its `porter` is English), so the index folds accents only
-- ("migracion" finds "migración") and the query asks for Snowball's Spanish stem as a prefix
-- ("migrantes" finds "migrante"; see `server::search`). One table per language, its rowid
-- the post's id: a translation's language decides how its words are cut.
ALTER TABLE post_translations ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
-- The Markdown as written, so `server export content` writes the translation's file back
-- (the import fills it in for the rows from before).
ALTER TABLE post_translations ADD COLUMN body_markdown TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE posts_fts_es USING fts5 (
    title,
    summary,
    body_text,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Excerpts from the first 8,000 characters only, as for English (migration 0007 says why).
CREATE VIRTUAL TABLE posts_excerpt_es USING fts5 (
    head,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO posts_fts_es (rowid, title, summary, body_text)
    SELECT post_id, title, summary, body_text FROM post_translations WHERE lang = 'es';
INSERT INTO posts_excerpt_es (rowid, head)
    SELECT post_id, substr(body_text, 1, 8000) FROM post_translations WHERE lang = 'es';

CREATE TRIGGER posts_fts_es_insert AFTER INSERT ON post_translations WHEN new.lang = 'es' BEGIN
    INSERT INTO posts_fts_es (rowid, title, summary, body_text)
        VALUES (new.post_id, new.title, new.summary, new.body_text);
    INSERT INTO posts_excerpt_es (rowid, head) VALUES (new.post_id, substr(new.body_text, 1, 8000));
END;
CREATE TRIGGER posts_fts_es_delete AFTER DELETE ON post_translations WHEN old.lang = 'es' BEGIN
    DELETE FROM posts_fts_es WHERE rowid = old.post_id;
    DELETE FROM posts_excerpt_es WHERE rowid = old.post_id;
END;
CREATE TRIGGER posts_fts_es_update AFTER UPDATE ON post_translations WHEN new.lang = 'es' BEGIN
    UPDATE posts_fts_es SET title = new.title, summary = new.summary, body_text = new.body_text
        WHERE rowid = new.post_id;
    UPDATE posts_excerpt_es SET head = substr(new.body_text, 1, 8000) WHERE rowid = new.post_id;
END;
