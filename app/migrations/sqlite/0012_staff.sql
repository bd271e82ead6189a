-- The staff workspace (/staff): who may use it and as what, the single-use links that set a
-- password, the sessions of those logged in, and the trail of what each of them did.

-- A staff member. Roles: editor (content), fundraiser (supporters, pledges, exports), admin
-- (everything, accounts, the audit trail). The password is a PHC string (Argon2id), NULL until
-- the invitation is taken; a disabled account keeps its place in the trail.
CREATE TABLE staff_accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    role          TEXT NOT NULL CHECK (role IN ('editor', 'fundraiser', 'admin')),
    password_hash TEXT CHECK (password_hash LIKE '$argon2id$%'),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- A link that sets a password once: an invitation (valid a week) or a reset (an hour). Only
-- the SHA-256 of the token in the link is kept, as for sign-up confirmations.
CREATE TABLE staff_links (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT, WITHOUT ROWID;

CREATE INDEX staff_links_by_account ON staff_links (account_id);

-- Logged-in sessions, in the shape tower-sessions' SQLite store reads and writes (its own
-- table name set to this one). Kept here, not made by the store, so both databases have it
-- from their migrations.
CREATE TABLE staff_sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);

-- Every staff action: who (the account's address at the time, or "command line"), what,
-- on which object, when. Written in the same transaction as the change it records; nothing in
-- the workspace changes or deletes a row, and the triggers refuse anyone who tries.
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 254),
    action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 40),
    object TEXT NOT NULL DEFAULT '' CHECK (length(object) <= 300),
    detail TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 1000)
) STRICT;

CREATE INDEX audit_log_by_action ON audit_log (action, id);

CREATE TRIGGER audit_log_is_kept_on_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

CREATE TRIGGER audit_log_is_kept_on_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;
