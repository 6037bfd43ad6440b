-- The choices rapport offered where people pick one by typing its number
-- or reacting with its keycap (Matrix), so a pick still works after a
-- restart. A row holds what the choice is about (a round, an invite, a
-- goal day) as the command it runs, never a person's words: a choice that
-- repeats them (the reword feeling menu) is kept in memory only, and its
-- row has no command, so picking it after a restart says it expired.
-- Rows are forgotten a week after the offer.
CREATE TABLE choice_offers (
    id         BIGSERIAL PRIMARY KEY,
    platform   TEXT NOT NULL,
    place      TEXT NOT NULL,
    message    TEXT NOT NULL,
    position   BIGINT NOT NULL,
    command    TEXT,
    note       TEXT,
    offered_at BIGINT NOT NULL,
    UNIQUE (platform, message, position)
);
CREATE INDEX choice_offers_by_place ON choice_offers (platform, place, id);
CREATE INDEX choice_offers_by_age ON choice_offers (offered_at);
