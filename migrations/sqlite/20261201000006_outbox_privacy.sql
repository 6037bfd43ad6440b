-- The outbox keeps a message's words only while it waits: once it is sent,
-- has failed or was cancelled, only its key, state, times and where the
-- platform shows it (`posted`, so rapport can take it down later) remain.
-- Each message records whose words it carries (`outbox_authors`) and the
-- journal entry it quotes, so deleting them finds every copy.
CREATE TABLE outbox_next (
    id               INTEGER PRIMARY KEY,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    couple_id        INTEGER REFERENCES couples (id) ON DELETE SET NULL,
    recipient_kind   TEXT    NOT NULL CHECK (recipient_kind IN ('user', 'space')),
    platform         TEXT    NOT NULL,
    recipient_id     TEXT    NOT NULL,
    -- The message as JSON while pending; NULL from its final state on.
    payload          TEXT,
    -- 'retract': posted, but carries words someone deleted; the worker
    -- removes the post, then the row is 'retracted'.
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'cancelled', 'retract', 'retracted')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    journal_entry_id INTEGER,
    -- Where the platform shows the message (JSON: place and message ids).
    posted           TEXT
);

INSERT INTO outbox_next (id, idempotency_key, couple_id, recipient_kind, platform, recipient_id,
                         payload, state, attempts, next_attempt_at, claimed_until, last_error,
                         created_at, finished_at)
SELECT id, idempotency_key, couple_id, recipient_kind, platform, recipient_id,
       CASE WHEN state = 'pending' THEN payload END, state, attempts, next_attempt_at,
       claimed_until, last_error, created_at, finished_at
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state IN ('pending', 'retract');

CREATE TABLE outbox_authors (
    outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (outbox_id, user_id)
);
CREATE INDEX outbox_authors_user ON outbox_authors (user_id);

-- One-off work for the next start, such as scrubbing freed pages.
CREATE TABLE maintenance (
    task TEXT PRIMARY KEY
);
INSERT INTO maintenance (task) VALUES ('vacuum');
