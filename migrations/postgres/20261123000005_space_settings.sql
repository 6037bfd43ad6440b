-- What the moderators of a server or room allow in one shared space (a
-- Discord channel, a Matrix room), whichever couple uses it. No row means
-- the defaults. Who changed it is not kept.
CREATE TABLE space_settings (
    platform        TEXT    NOT NULL,
    space_id        TEXT    NOT NULL,
    -- Whether the coach may read messages here for couples' opt-in nudges.
    nudges_allowed  BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    PRIMARY KEY (platform, space_id)
);
