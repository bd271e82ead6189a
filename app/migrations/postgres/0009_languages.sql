-- English and Spanish. A supporter's language is kept with what they sent, so their mail
-- goes out in it and staff see it; a consent record keeps the language of the text agreed to.
-- Rows from before were all made on the English site.
ALTER TABLE signups ADD COLUMN lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'es'));
ALTER TABLE pledges ADD COLUMN lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'es'));
ALTER TABLE consent_records ADD COLUMN lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'es'));

-- The call in another language than its own (English): a row per language, and one per
-- principle, whose position is the original's.
CREATE TABLE campaign_translations (
    campaign text NOT NULL REFERENCES campaigns (slug) ON DELETE CASCADE,
    lang     text NOT NULL CHECK (lang IN ('es')),
    title    text NOT NULL CHECK (title <> ''),
    summary  text NOT NULL CHECK (summary <> ''),
    why      text NOT NULL CHECK (why <> ''),
    PRIMARY KEY (campaign, lang)
);

CREATE TABLE campaign_principle_translations (
    campaign text NOT NULL,
    position bigint NOT NULL,
    lang     text NOT NULL CHECK (lang IN ('es')),
    name     text NOT NULL CHECK (name <> ''),
    sentence text NOT NULL,
    PRIMARY KEY (campaign, position, lang),
    FOREIGN KEY (campaign, position) REFERENCES campaign_principles (campaign, position)
        ON DELETE CASCADE
);

-- A post's version in another language, from a content file that names the post it
-- translates (`translation_of`); the post's date, tags, members and links are the original's.
CREATE TABLE post_translations (
    post_id   bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    lang      text NOT NULL CHECK (lang IN ('es')),
    title     text NOT NULL CHECK (title <> ''),
    summary   text NOT NULL,
    body_html text NOT NULL,
    PRIMARY KEY (post_id, lang)
);

INSERT INTO campaign_translations (campaign, lang, title, summary, why) VALUES (
    'call-to-action-for-leadership',
    'es',
    'Llamamiento a la acción para un liderazgo que construya sociedades compartidas',
    'Wim Kok hizo un llamamiento a los actores sociales y a las ciudades globales para construir sociedades compartidas en todos los niveles. Lea el llamamiento y sus principios, y fírmelo.',
    'En la conferencia Cities of Migration de octubre de 2010, Wim Kok, primer ministro de los Países Bajos entre 1994 y 2002, subrayó el papel esencial que debe desempeñar el liderazgo político para construir sociedades más cohesionadas.

Advirtió del auge de movimientos populistas en toda Europa que siembran la sospecha hacia las personas migrantes, y cerró su intervención con un llamamiento a los actores sociales y a las ciudades globales para construir sociedades compartidas en todos los niveles, basadas en una mayor tolerancia hacia las diferencias y en la buena ciudadanía.'
) ON CONFLICT DO NOTHING;

INSERT INTO campaign_principle_translations (campaign, position, lang, name, sentence) VALUES
    ('call-to-action-for-leadership', 1, 'es', 'Respeto',
     'Cada persona y cada comunidad recibe un trato digno, sea cual sea su origen, sus creencias o su lengua.'),
    ('call-to-action-for-leadership', 2, 'es', 'Igualdad de oportunidades',
     'Todas las personas tienen una oportunidad justa de aprender, trabajar y participar en la vida de su ciudad.'),
    ('call-to-action-for-leadership', 3, 'es', 'Ausencia de discriminación',
     'Nadie queda excluido ni es visto con recelo por ser diferente, tampoco quien acaba de llegar.'),
    ('call-to-action-for-leadership', 4, 'es', 'Participación democrática',
     'Las personas tienen voz en las decisiones que afectan a sus vidas, con su voto, su palabra y sus organizaciones locales.')
ON CONFLICT DO NOTHING;

-- Kept pages and the content snapshot follow the translations as they follow the posts.
CREATE TRIGGER post_translations_changed AFTER INSERT OR UPDATE OR DELETE ON post_translations
    FOR EACH STATEMENT EXECUTE FUNCTION content_changed();
