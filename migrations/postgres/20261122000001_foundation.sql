-- People, couples, memberships and pairing invites.
-- Times are UTC Unix seconds.

CREATE TABLE users (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform     TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    time_zone    TEXT,
    quiet_start  BIGINT,  -- minutes after local midnight
    quiet_end    BIGINT,
    created_at   BIGINT NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE couples (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    space_platform TEXT,
    space_id       TEXT,
    time_zone      TEXT    NOT NULL,
    created_at     BIGINT NOT NULL,
    ended_at       BIGINT
);

-- A space serves at most one active couple.
CREATE UNIQUE INDEX couples_active_space
    ON couples (space_platform, space_id)
    WHERE ended_at IS NULL AND space_id IS NOT NULL;

CREATE TABLE memberships (
    couple_id BIGINT NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at BIGINT NOT NULL,
    left_at   BIGINT,
    PRIMARY KEY (couple_id, user_id)
);

-- A person is in at most one active couple.
CREATE UNIQUE INDEX memberships_one_active
    ON memberships (user_id)
    WHERE left_at IS NULL;

CREATE TABLE invites (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code               TEXT    NOT NULL UNIQUE,
    inviter_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_platform    TEXT,
    target_external_id TEXT,
    space_platform     TEXT,
    space_id           TEXT,
    status             TEXT    NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    answered_by        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    answered_at        BIGINT
);

CREATE INDEX invites_target ON invites (target_platform, target_external_id, status);
CREATE INDEX invites_inviter ON invites (inviter_id, status);
