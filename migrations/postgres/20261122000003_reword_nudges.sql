-- Opt-in reword nudges: each partner's consent, and how many nudges the
-- couple received. Nothing of the messages themselves is stored.
ALTER TABLE memberships ADD COLUMN reword_nudges BIGINT NOT NULL DEFAULT 0;
ALTER TABLE couples ADD COLUMN reword_nudge_count BIGINT NOT NULL DEFAULT 0;
