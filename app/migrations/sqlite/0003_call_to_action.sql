-- The call to action: its text, its signatures, and the mail that confirms them.
-- Times are UTC text, 'YYYY-MM-DDTHH:MM:SS.SSSZ', so they compare as strings.

CREATE TABLE campaigns (
    slug       TEXT PRIMARY KEY CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
    title      TEXT NOT NULL CHECK (title <> ''),
    summary    TEXT NOT NULL CHECK (summary <> ''),
    -- Why it matters, as plain-text paragraphs separated by a blank line.
    why        TEXT NOT NULL CHECK (why <> ''),
    -- The first goal; the page moves on to the next milestone once it is reached.
    first_goal INTEGER NOT NULL CHECK (first_goal > 0),
    -- The news post that tells the story of the call, shared from the thank-you step.
    post_slug  TEXT REFERENCES posts (slug)
) STRICT;

CREATE TABLE campaign_principles (
    campaign TEXT NOT NULL REFERENCES campaigns (slug) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL CHECK (name <> ''),
    PRIMARY KEY (campaign, position)
) STRICT;

CREATE TABLE signups (
    id              INTEGER PRIMARY KEY,
    campaign        TEXT NOT NULL REFERENCES campaigns (slug),
    -- Normalised by the app (trimmed, NFC, domain lower-cased): one signature per address.
    email           TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    full_name       TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
    kind            TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    organisation    TEXT CHECK (length(organisation) BETWEEN 1 AND 150),
    role            TEXT CHECK (length(role) BETWEEN 1 AND 100),
    country         TEXT NOT NULL CHECK (length(country) = 2 AND country NOT GLOB '*[^A-Z]*'),
    show_name       INTEGER NOT NULL CHECK (show_name IN (0, 1)),
    keep_informed   INTEGER NOT NULL CHECK (keep_informed IN (0, 1)),
    consent_version INTEGER NOT NULL CHECK (consent_version > 0),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed')),
    source          TEXT CHECK (length(source) BETWEEN 1 AND 64),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- Pending signatures are deleted after this; confirmed ones never expire.
    expires_at      TEXT,
    confirmed_at    TEXT,
    UNIQUE (campaign, email),
    CHECK ((kind = 'person') = (organisation IS NULL AND role IS NULL)),
    CHECK ((status = 'pending') = (expires_at IS NOT NULL AND confirmed_at IS NULL))
) STRICT;

-- The tokens of the confirmation links sent for a signature: SHA-256 only, the token itself is
-- never stored. Every link sent stays valid until the signature expires, so a reminder (or
-- a retried mail) never breaks the link of an earlier message.
CREATE TABLE signup_tokens (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    signup_id  INTEGER NOT NULL REFERENCES signups (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX signup_tokens_by_signup ON signup_tokens (signup_id);

CREATE INDEX signups_confirmed ON signups (campaign, status, confirmed_at DESC);
CREATE INDEX signups_expiring ON signups (expires_at) WHERE status = 'pending';

-- Mail to send. A row is written in the same transaction as what it is about, and sent after
-- the commit, so a mail server that is down delays a confirmation but never loses a signature.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind <> ''),
    signup_id       INTEGER REFERENCES signups (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- When to try next; pushed forward while a sender holds the row, so a crash mid-send
    -- only delays it.
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    last_error      TEXT
) STRICT;

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_by_signup ON outbox (signup_id);

INSERT INTO campaigns (slug, title, summary, why, first_goal, post_slug) VALUES (
    'call-to-action-for-leadership',
    'Call to Action for Leadership to build Shared Societies',
    'Wim Kok called on stakeholders and global cities to build shared societies at all levels. Read the call, its principles, and sign it.',
    'His intervention stressed the essential role that political leadership must play to build more cohesive societies.

Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.',
    100,
    'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference'
) ON CONFLICT DO NOTHING;

INSERT INTO campaign_principles (campaign, position, name) VALUES
    ('call-to-action-for-leadership', 1, 'Respect'),
    ('call-to-action-for-leadership', 2, 'Equality of opportunity'),
    ('call-to-action-for-leadership', 3, 'Absence of discrimination'),
    ('call-to-action-for-leadership', 4, 'Democratic participation')
ON CONFLICT DO NOTHING;
