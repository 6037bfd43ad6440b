-- The couple's space changes only when both agree: a proposal waits here
-- for the partner's yes. `target` is 'here' (an existing room or channel,
-- space_id set), 'thread' (a private thread rapport opens under the
-- channel space_id) or 'private' (no shared space: private messages only).
CREATE TABLE space_proposals (
    couple_id    INTEGER PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    proposed_by  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target       TEXT    NOT NULL,
    platform     TEXT,
    space_id     TEXT,
    created_at   INTEGER NOT NULL
);

-- A room or thread rapport opens for a couple itself, so that it holds only
-- the two of them: asked for by the engine, done by the delivery worker
-- through the platform's adapter. `parent_id` is the channel a thread opens
-- under; state is 'pending', 'done' or 'failed'.
CREATE TABLE space_openings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id        INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    platform         TEXT    NOT NULL,
    parent_id        TEXT,
    state            TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX space_openings_due ON space_openings (state, next_attempt_at);

-- The rooms and threads rapport opened: it alone moderates them, so it may
-- take down a private line typed there.
ALTER TABLE couples ADD COLUMN space_opened INTEGER NOT NULL DEFAULT 0;
