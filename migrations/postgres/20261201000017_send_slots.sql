-- A request budget all rapport processes on one database share (Discord
-- allows a bot 50 requests a second however many processes it runs): each
-- request takes the next free moment, in microseconds of the wall clock.
CREATE TABLE send_slots (
    budget  TEXT PRIMARY KEY,
    next_at BIGINT NOT NULL
);
