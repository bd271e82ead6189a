-- Published content: posts, their tags, links (resources) and the members they name.
-- Slugs are checked here too, so nothing that cannot be a URL segment is ever stored.

CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE
                  CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
    title         TEXT NOT NULL CHECK (title <> ''),
    summary       TEXT NOT NULL,
    -- The Markdown as written, and the sanitised HTML rendered from it once, when stored.
    body_markdown TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    published_on  TEXT NOT NULL CHECK (date(published_on) IS published_on),
    status        TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    image         TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE INDEX posts_by_date ON posts (status, published_on DESC, id DESC);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
    name TEXT NOT NULL CHECK (name <> '')
) STRICT;

CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX post_tags_by_tag ON post_tags (tag_id, post_id);

CREATE TABLE members (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
    name TEXT NOT NULL CHECK (name <> ''),
    -- What the member is known for, as a list shows it under the name.
    role TEXT NOT NULL,
    bio  TEXT NOT NULL
) STRICT;

CREATE TABLE post_members (
    post_id   INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, member_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX post_members_by_member ON post_members (member_id, post_id);

-- Links and documents listed under a post. A NULL url means the document is not online yet;
-- its slug then names an honest page that says so (/resources/{slug}).
CREATE TABLE resources (
    id       INTEGER PRIMARY KEY,
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    slug     TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
    -- The words of the link ("Read Wim Kok’s intervention") and the name of what it leads to.
    label    TEXT NOT NULL CHECK (label <> ''),
    title    TEXT NOT NULL CHECK (title <> ''),
    url      TEXT CHECK (url IS NULL OR url GLOB 'https://*' OR url GLOB 'http://*' OR url GLOB '/*'),
    position INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX resources_by_post ON resources (post_id, position);
