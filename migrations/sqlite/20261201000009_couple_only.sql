-- Private content (a reveal, a shared journal entry, a recap, a milestone)
-- is posted to a space only while the couple alone can read it there; the
-- delivery worker checks at the moment of sending and otherwise sends it to
-- each partner privately.
ALTER TABLE outbox ADD COLUMN couple_only INTEGER NOT NULL DEFAULT 0;
