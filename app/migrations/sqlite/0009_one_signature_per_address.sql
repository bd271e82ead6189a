-- One person, one signature: `Ana@example.org` and `ana@example.org` reach the same inbox at
-- every mail provider people use, yet until now only the domain was lower-cased, so the two
-- signed twice and the count said two. `email` keeps what the signer typed (it is what their
-- mail is sent to); `email_key` is the address as compared, ASCII letters lower-cased
-- (domains were already lower-cased whole). ASCII only, because SQLite's lower() folds only
-- ASCII, and the app folds the same way (`EmailAddress::key`), so rows written before and
-- after this migration compare alike.
ALTER TABLE signups ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
UPDATE signups SET email_key = lower(email);

-- Addresses that signed more than once under different cases keep one signature: the first
-- confirmed one if any was confirmed (so the count loses exactly the duplicates), otherwise
-- the latest. The links sent for the others now confirm the one kept, and the mail still
-- queued for them goes.
CREATE TEMP TABLE signup_merges AS
SELECT s.id AS dropped,
       (SELECT k.id FROM signups k
        WHERE k.campaign = s.campaign AND k.email_key = s.email_key
        ORDER BY k.status = 'confirmed' DESC, k.confirmed_at, k.created_at DESC, k.id DESC
        LIMIT 1) AS kept
FROM signups s;
DELETE FROM signup_merges WHERE dropped = kept;

UPDATE signup_tokens
SET signup_id = (SELECT kept FROM signup_merges WHERE dropped = signup_id)
WHERE signup_id IN (SELECT dropped FROM signup_merges);
DELETE FROM outbox WHERE signup_id IN (SELECT dropped FROM signup_merges);
DELETE FROM signups WHERE id IN (SELECT dropped FROM signup_merges);
DROP TABLE signup_merges;

CREATE UNIQUE INDEX signups_one_per_address ON signups (campaign, email_key);
