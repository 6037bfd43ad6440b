-- Check-in schedules, rounds, answers, question rotation and the outbox.
-- Times are UTC Unix seconds; `*_local` columns are wall-clock
-- "YYYY-MM-DDTHH:MM" in the schedule's zone.

CREATE TABLE checkin_schedules (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id     BIGINT NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    status        TEXT    NOT NULL CHECK (status IN ('proposed', 'active', 'ended')),
    recurrence    TEXT    NOT NULL,
    time_zone     TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('shared', 'private')),
    deck          TEXT    NOT NULL,
    proposed_by   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    next_local    TEXT,
    next_fire_at  BIGINT,
    paused_until  BIGINT,
    skip_next     BIGINT NOT NULL DEFAULT 0,
    missed_count  BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    ended_at      BIGINT
);

-- The scheduler's only hot query: active schedules by due time.
CREATE INDEX checkin_schedules_due ON checkin_schedules (next_fire_at) WHERE status = 'active';
CREATE INDEX checkin_schedules_couple ON checkin_schedules (couple_id, status);

CREATE TABLE checkin_rounds (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id      BIGINT NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    schedule_id    BIGINT REFERENCES checkin_schedules (id) ON DELETE SET NULL,
    occurrence     TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('open', 'revealed', 'closed', 'missed')),
    kind           TEXT    NOT NULL CHECK (kind IN ('shared', 'private')),
    deck           TEXT    NOT NULL,
    question       TEXT    NOT NULL,
    opened_at      BIGINT NOT NULL,
    closes_at      BIGINT NOT NULL,
    nudge_at       BIGINT,
    finished_at    BIGINT,
    -- A schedule fires each local occurrence at most once.
    UNIQUE (schedule_id, occurrence)
);

CREATE INDEX checkin_rounds_open ON checkin_rounds (couple_id, status);
CREATE INDEX checkin_rounds_closing ON checkin_rounds (closes_at) WHERE status = 'open';
CREATE INDEX checkin_rounds_nudge ON checkin_rounds (nudge_at) WHERE status = 'open';

CREATE TABLE checkin_answers (
    round_id    BIGINT NOT NULL REFERENCES checkin_rounds (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating      BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 10),
    answer      TEXT,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, user_id)
);

-- One nudge per partner per round.
CREATE TABLE checkin_nudges (
    round_id  BIGINT NOT NULL REFERENCES checkin_rounds (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_at   BIGINT NOT NULL,
    PRIMARY KEY (round_id, user_id)
);

-- Questions already asked of a couple, so a deck is used up before repeating.
CREATE TABLE deck_usage (
    couple_id      BIGINT NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    deck           TEXT    NOT NULL,
    question_index BIGINT NOT NULL,
    PRIMARY KEY (couple_id, deck, question_index)
);

CREATE TABLE outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    couple_id        BIGINT REFERENCES couples (id) ON DELETE SET NULL,
    recipient_kind   TEXT    NOT NULL CHECK (recipient_kind IN ('user', 'space')),
    platform         TEXT    NOT NULL,
    recipient_id     TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_until    BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    finished_at      BIGINT
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';
