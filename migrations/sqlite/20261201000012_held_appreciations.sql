-- An appreciation that reads as blame is held back until its author
-- chooses to post it anyway (then 0) or drops it (then the row goes).
-- A held one is the author's alone: not in the recap, not in the
-- partner's export.
ALTER TABLE appreciations ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
