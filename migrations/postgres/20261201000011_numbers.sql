-- The numbers people see belong to their couple (goals, agreements) or to
-- themselves (journal entries), from 1, instead of the table-wide ids that
-- told one person how many entries others had written. Existing rows are
-- numbered in the order they were made; an agreement's edits keep the
-- number of the agreement they edit. An agreement can now be retired.

ALTER TABLE goals ADD COLUMN number BIGINT NOT NULL DEFAULT 0;
UPDATE goals SET number = (SELECT COUNT(*) FROM goals AS earlier
                           WHERE earlier.couple_id = goals.couple_id AND earlier.id <= goals.id);
CREATE UNIQUE INDEX goals_number ON goals (couple_id, number);

ALTER TABLE journal_entries ADD COLUMN number BIGINT NOT NULL DEFAULT 0;
UPDATE journal_entries SET number = (SELECT COUNT(*) FROM journal_entries AS earlier
                                     WHERE earlier.user_id = journal_entries.user_id
                                       AND earlier.id <= journal_entries.id);
CREATE UNIQUE INDEX journal_entries_number ON journal_entries (user_id, number);

ALTER TABLE agreements ADD COLUMN number BIGINT NOT NULL DEFAULT 0;
-- 1: the proposal retires the agreement instead of rewording it; its own
-- text stays empty (the words are the original proposer's).
ALTER TABLE agreements ADD COLUMN retires BIGINT NOT NULL DEFAULT 0;
ALTER TABLE agreements DROP CONSTRAINT agreements_status_check;
ALTER TABLE agreements ADD CONSTRAINT agreements_status_check
    CHECK (status IN ('proposed', 'active', 'declined', 'replaced', 'retired'));
WITH RECURSIVE chain (id, root) AS (
    SELECT id, id FROM agreements WHERE replaces_id IS NULL
    UNION ALL
    SELECT agreements.id, chain.root FROM agreements JOIN chain ON agreements.replaces_id = chain.id
)
UPDATE agreements SET number = (
    SELECT COUNT(*) FROM agreements AS root
    WHERE root.couple_id = agreements.couple_id AND root.replaces_id IS NULL
      AND root.id <= (SELECT chain.root FROM chain WHERE chain.id = agreements.id));
CREATE INDEX agreements_number ON agreements (couple_id, number);

-- Set for whoever had numbered things before: the next answer that shows
-- them says the numbers changed.
ALTER TABLE users ADD COLUMN renumbered BIGINT NOT NULL DEFAULT 0;
UPDATE users SET renumbered = 1
WHERE id IN (SELECT user_id FROM journal_entries)
   OR id IN (SELECT memberships.user_id FROM memberships
             WHERE memberships.couple_id IN (SELECT couple_id FROM goals)
                OR memberships.couple_id IN (SELECT couple_id FROM agreements));
