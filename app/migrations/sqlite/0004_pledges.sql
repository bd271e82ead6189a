-- Donation pledges. A pledge is what a donor promised; it becomes `received` when the money
-- arrives, by whatever route (bank transfer today, a payment provider later), or `cancelled`.

CREATE TABLE pledges (
    id              INTEGER PRIMARY KEY,
    -- What the donor quotes with the transfer: 'SS-' and two groups of four characters.
    reference       TEXT NOT NULL UNIQUE
                    CHECK (length(reference) = 12 AND reference GLOB 'SS-[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]-[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]'),
    -- Made when the form was shown: sending the same form again returns this pledge.
    idempotency_key TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) = 36),
    -- SHA-256 of what the form said (address, amount, currency, frequency): a key sent again
    -- with other content is a stale or shared page, never someone else's pledge.
    fingerprint     BLOB NOT NULL CHECK (length(fingerprint) = 32),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
    frequency       TEXT NOT NULL CHECK (frequency IN ('once', 'monthly')),
    donor_name      TEXT NOT NULL CHECK (length(donor_name) BETWEEN 1 AND 100),
    donor_email     TEXT NOT NULL CHECK (length(donor_email) BETWEEN 3 AND 254),
    message         TEXT CHECK (length(message) BETWEEN 1 AND 1000),
    -- NIF/NIE, only when a tax certificate was asked for.
    tax_id          TEXT CHECK (length(tax_id) = 9),
    status          TEXT NOT NULL DEFAULT 'pledged'
                    CHECK (status IN ('pledged', 'received', 'cancelled')),
    -- How the money arrived ('bank-transfer', later a provider's name).
    received_via    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    received_at     TEXT,
    cancelled_at    TEXT,
    CHECK ((status = 'received') = (received_at IS NOT NULL AND received_via IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
) STRICT;

CREATE INDEX pledges_received ON pledges (status, currency);

ALTER TABLE outbox ADD COLUMN pledge_id INTEGER REFERENCES pledges (id) ON DELETE CASCADE;
CREATE INDEX outbox_by_pledge ON outbox (pledge_id);
