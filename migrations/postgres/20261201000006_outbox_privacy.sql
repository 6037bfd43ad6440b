-- The outbox keeps a message's words only while it waits: once it is sent,
-- has failed or was cancelled, only its key, state, times and where the
-- platform shows it (`posted`, so rapport can take it down later) remain.
-- Each message records whose words it carries (`outbox_authors`) and the
-- journal entry it quotes, so deleting them finds every copy.
ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check
    CHECK (state IN ('pending', 'sent', 'failed', 'cancelled', 'retract', 'retracted'));
ALTER TABLE outbox ADD COLUMN journal_entry_id BIGINT;
ALTER TABLE outbox ADD COLUMN posted TEXT;
UPDATE outbox SET payload = NULL WHERE state <> 'pending';
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state IN ('pending', 'retract');

CREATE TABLE outbox_authors (
    outbox_id BIGINT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (outbox_id, user_id)
);
CREATE INDEX outbox_authors_user ON outbox_authors (user_id);

-- One-off work for the next start, such as scrubbing freed pages.
CREATE TABLE maintenance (
    task TEXT PRIMARY KEY
);
INSERT INTO maintenance (task) VALUES ('vacuum');
