-- Search in Spanish: the translations' words, weighted and accent-folded as the posts' are
-- in English (0001), with PostgreSQL's Spanish stemmer ("migrantes" finds "migrante").
CREATE TEXT SEARCH CONFIGURATION site_spanish (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION site_spanish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;

ALTER TABLE post_translations ADD COLUMN body_text text NOT NULL DEFAULT '';
-- The Markdown as written, so `server export content` writes the translation's file back.
ALTER TABLE post_translations ADD COLUMN body_markdown text NOT NULL DEFAULT '';
ALTER TABLE post_translations ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('site_spanish', title), 'A')
    || setweight(to_tsvector('site_spanish', summary), 'B')
    || setweight(to_tsvector('site_spanish', left(body_text, 200000)), 'C')
) STORED;
CREATE INDEX post_translations_search ON post_translations USING gin (search);
