-- "Forgot password" mails go through the outbox like every other mail: the row names the
-- account, and the single-use link is made when the mail is sent (only its hash is stored),
-- as confirmation links are.
ALTER TABLE outbox ADD COLUMN staff_id INTEGER REFERENCES staff_accounts (id) ON DELETE CASCADE;

CREATE INDEX outbox_by_staff ON outbox (staff_id) WHERE staff_id IS NOT NULL;
