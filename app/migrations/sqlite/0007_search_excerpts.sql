-- Search excerpts are cut from the first 8,000 characters of a post's words, through an index
-- of their own. FTS5's snippet() weighs every match in a text against every other, so its
-- time grows with the square of the matches: with a 1 MB post of "lorem ipsum" stored,
-- /search?q=lorem took 20 s. The whole body is still searched and ranked through `posts_fts`.
-- A copy rather than an external-content index: the column it indexes is not one of `posts`.
CREATE VIRTUAL TABLE posts_excerpt USING fts5 (
    head,
    -- As `posts_fts`, so the excerpt marks the words the search matched.
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO posts_excerpt (rowid, head) SELECT id, substr(body_text, 1, 8000) FROM posts;

CREATE TRIGGER posts_excerpt_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_excerpt (rowid, head) VALUES (new.id, substr(new.body_text, 1, 8000));
END;
CREATE TRIGGER posts_excerpt_delete AFTER DELETE ON posts BEGIN
    DELETE FROM posts_excerpt WHERE rowid = old.id;
END;
CREATE TRIGGER posts_excerpt_update AFTER UPDATE OF body_text ON posts BEGIN
    UPDATE posts_excerpt SET head = substr(new.body_text, 1, 8000) WHERE rowid = new.id;
END;
