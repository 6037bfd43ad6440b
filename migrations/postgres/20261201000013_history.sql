-- When a couple ends, its history (goals and kept days, agreements,
-- check-in rounds and answers, thank-yous) is kept for 30 days, so two
-- people who pair again may both choose to bring it back; after that it is
-- erased, and the erasure is recorded here.
ALTER TABLE couples ADD COLUMN history_erased_at BIGINT;

-- An offer to bring an earlier couple's history into a new one; it comes
-- back only once both partners say yes.
CREATE TABLE history_restores (
    couple_id     BIGINT PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    old_couple_id BIGINT NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    -- The partner who said yes first; NULL until one does.
    yes_by        BIGINT REFERENCES users (id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL
);
