-- Secret keys the server signs with, e.g. the short-lived cookie that lets the browser which
-- made a pledge see its details on the thanks page. Kept here rather than in a setting or a
-- file, so that a key survives restarts and every app server on the same database signs and
-- checks with the same one, with nothing to configure. A key is drawn from the operating
-- system's randomness by the first server that needs it (`INSERT … ON CONFLICT DO NOTHING`,
-- so servers starting at once agree on one). Deleting a row rotates that key at the next
-- start: what was signed with the old one (cookies of at most an hour) stops being accepted.
CREATE TABLE site_keys (
    name       TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 40),
    secret     BLOB NOT NULL CHECK (length(secret) >= 32),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT, WITHOUT ROWID;
