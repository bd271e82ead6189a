-- A member's role and bio in another language than their own (English), from a content file
-- that names the member it translates (`translation_of`); the name is the original's.
CREATE TABLE member_translations (
    member_id bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    lang      text NOT NULL CHECK (lang IN ('es')),
    role      text NOT NULL,
    bio       text NOT NULL,
    PRIMARY KEY (member_id, lang)
);

CREATE TRIGGER member_translations_changed AFTER INSERT OR UPDATE OR DELETE ON member_translations
    FOR EACH STATEMENT EXECUTE FUNCTION content_changed();
