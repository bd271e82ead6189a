-- Proof of consent: a copy of each cookie choice a browser made, so the organisation can show
-- what was agreed to and when. Nothing that identifies the visitor: no IP address, no user
-- agent; the id is the random one kept in their browser. Deleted after three years.
CREATE TABLE consent_records (
    id             TEXT PRIMARY KEY CHECK (length(id) = 36),
    policy_version INTEGER NOT NULL CHECK (policy_version > 0),
    analytics      INTEGER NOT NULL CHECK (analytics IN (0, 1)),
    external_media INTEGER NOT NULL CHECK (external_media IN (0, 1)),
    -- As the browser's clock said; recorded_at is the server's.
    decided_at     TEXT NOT NULL CHECK (length(decided_at) = 24),
    recorded_at    TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX consent_records_by_time ON consent_records (recorded_at);

-- First-party analytics, counted only while a visitor allows it: one row per page and UTC
-- day, nothing about who read it. Deleted after 24 months.
CREATE TABLE page_views (
    day   TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    path  TEXT NOT NULL CHECK (length(path) BETWEEN 1 AND 200 AND substr(path, 1, 1) = '/'),
    views INTEGER NOT NULL CHECK (views > 0),
    PRIMARY KEY (day, path)
) STRICT, WITHOUT ROWID;

-- Videos and maps hosted elsewhere that a post shows (click-to-load until the visitor allows
-- external media). The reference's shape is checked per host when it is read.
CREATE TABLE post_media (
    post_id   INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    host      TEXT NOT NULL CHECK (host IN ('youtube', 'vimeo', 'openstreetmap')),
    reference TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 40),
    title     TEXT NOT NULL CHECK (length(trim(title)) > 0),
    PRIMARY KEY (post_id, position)
) STRICT, WITHOUT ROWID;
