-- Nothing shared starts on one partner's word: a weekly recap schedule and
-- a check-in outside the agreed schedule wait here for the partner's yes.
CREATE TABLE recap_proposals (
    couple_id    BIGINT PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    recurrence   TEXT    NOT NULL,
    time_zone    TEXT    NOT NULL,
    proposed_by  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL
);

CREATE TABLE checkin_now_requests (
    couple_id     BIGINT PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    requested_by  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    requested_at  BIGINT NOT NULL
);
