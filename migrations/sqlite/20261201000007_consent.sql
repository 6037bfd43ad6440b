-- Nothing shared starts on one partner's word: a weekly recap schedule and
-- a check-in outside the agreed schedule wait here for the partner's yes.
CREATE TABLE recap_proposals (
    couple_id    INTEGER PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    recurrence   TEXT    NOT NULL,
    time_zone    TEXT    NOT NULL,
    proposed_by  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL
);

CREATE TABLE checkin_now_requests (
    couple_id     INTEGER PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    requested_by  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    requested_at  INTEGER NOT NULL
);
