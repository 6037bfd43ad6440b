-- People, couples, memberships and pairing invites.
-- Times are UTC Unix seconds.

CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    platform     TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    time_zone    TEXT,
    quiet_start  INTEGER,  -- minutes after local midnight
    quiet_end    INTEGER,
    created_at   INTEGER NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE couples (
    id             INTEGER PRIMARY KEY,
    space_platform TEXT,
    space_id       TEXT,
    time_zone      TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    ended_at       INTEGER
);

-- A space serves at most one active couple.
CREATE UNIQUE INDEX couples_active_space
    ON couples (space_platform, space_id)
    WHERE ended_at IS NULL AND space_id IS NOT NULL;

CREATE TABLE memberships (
    couple_id INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    left_at   INTEGER,
    PRIMARY KEY (couple_id, user_id)
);

-- A person is in at most one active couple.
CREATE UNIQUE INDEX memberships_one_active
    ON memberships (user_id)
    WHERE left_at IS NULL;

CREATE TABLE invites (
    id                 INTEGER PRIMARY KEY,
    code               TEXT    NOT NULL UNIQUE,
    inviter_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_platform    TEXT,
    target_external_id TEXT,
    space_platform     TEXT,
    space_id           TEXT,
    status             TEXT    NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    answered_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    answered_at        INTEGER
);

CREATE INDEX invites_target ON invites (target_platform, target_external_id, status);
CREATE INDEX invites_inviter ON invites (inviter_id, status);
