-- A member's role and bio in another language than their own (English), from a content file
-- that names the member it translates (`translation_of`); the name is the original's.
CREATE TABLE member_translations (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    lang      TEXT NOT NULL CHECK (lang IN ('es')),
    role      TEXT NOT NULL,
    bio       TEXT NOT NULL,
    PRIMARY KEY (member_id, lang)
) STRICT;

-- Kept pages and the content snapshot follow them as they follow the members.
CREATE TRIGGER member_translations_changed_insert AFTER INSERT ON member_translations BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER member_translations_changed_update AFTER UPDATE ON member_translations BEGIN
    UPDATE content_version SET version = version + 1;
END;
CREATE TRIGGER member_translations_changed_delete AFTER DELETE ON member_translations BEGIN
    UPDATE content_version SET version = version + 1;
END;
