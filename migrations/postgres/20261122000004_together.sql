-- Goals and promises, agreements, the private journal, appreciations and
-- the weekly recap. Times are UTC Unix seconds; dates are local
-- "YYYY-MM-DD" in the couple's zone.
--
-- Deleting a person (`mydata delete`) removes what they wrote (CASCADE) and
-- keeps what their partner wrote (SET NULL on the links to them).

CREATE TABLE goals (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id    BIGINT NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('shared', 'promise')),
    -- Who makes the promise; NULL for a shared goal.
    owner_id     BIGINT REFERENCES users (id) ON DELETE CASCADE,
    proposed_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title        TEXT    NOT NULL,
    per_week     BIGINT,
    due_date     TEXT,
    status       TEXT    NOT NULL
                 CHECK (status IN ('proposed', 'active', 'declined', 'done', 'dropped')),
    remind_at    BIGINT,
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT
);

CREATE INDEX goals_couple ON goals (couple_id, status);
CREATE INDEX goals_remind ON goals (remind_at) WHERE status = 'active';

CREATE TABLE goal_logs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    goal_id      BIGINT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    local_date   TEXT    NOT NULL,
    note         TEXT,
    -- A promise's log waits for the partner; a shared goal's counts at once.
    status       TEXT    NOT NULL CHECK (status IN ('waiting', 'kept', 'not_kept')),
    confirmed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    logged_at    BIGINT NOT NULL,
    confirmed_at BIGINT,
    UNIQUE (goal_id, user_id, local_date)
);

CREATE INDEX goal_logs_goal ON goal_logs (goal_id, status);

CREATE TABLE agreements (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id    BIGINT NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    text         TEXT    NOT NULL,
    status       TEXT    NOT NULL
                 CHECK (status IN ('proposed', 'active', 'declined', 'replaced')),
    -- An edit is a proposal that replaces this agreement once accepted.
    replaces_id  BIGINT REFERENCES agreements (id) ON DELETE SET NULL,
    proposed_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT
);

CREATE INDEX agreements_couple ON agreements (couple_id, status);

CREATE TABLE journal_entries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text            TEXT    NOT NULL,
    created_at      BIGINT NOT NULL,
    -- Set when the author shares the entry into the couple's next round.
    share_couple_id BIGINT REFERENCES couples (id) ON DELETE SET NULL,
    shared_round_id BIGINT REFERENCES checkin_rounds (id) ON DELETE SET NULL
);

CREATE INDEX journal_entries_user ON journal_entries (user_id);
CREATE INDEX journal_entries_share ON journal_entries (share_couple_id);

CREATE TABLE appreciations (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  BIGINT NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    from_user  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    to_user    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    text       TEXT    NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX appreciations_couple ON appreciations (couple_id, created_at);

CREATE TABLE recap_schedules (
    couple_id    BIGINT PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    recurrence   TEXT    NOT NULL,
    time_zone    TEXT    NOT NULL,
    next_local   TEXT,
    next_fire_at BIGINT,
    set_by       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL
);

CREATE INDEX recap_schedules_due ON recap_schedules (next_fire_at);
