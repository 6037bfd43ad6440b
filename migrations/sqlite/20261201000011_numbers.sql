-- The numbers people see belong to their couple (goals, agreements) or to
-- themselves (journal entries), from 1, instead of the table-wide ids that
-- told one person how many entries others had written. Existing rows are
-- numbered in the order they were made; an agreement's edits keep the
-- number of the agreement they edit. An agreement can now be retired.

ALTER TABLE goals ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE goals SET number = (SELECT COUNT(*) FROM goals AS earlier
                           WHERE earlier.couple_id = goals.couple_id AND earlier.id <= goals.id);
CREATE UNIQUE INDEX goals_number ON goals (couple_id, number);

ALTER TABLE journal_entries ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE journal_entries SET number = (SELECT COUNT(*) FROM journal_entries AS earlier
                                     WHERE earlier.user_id = journal_entries.user_id
                                       AND earlier.id <= journal_entries.id);
CREATE UNIQUE INDEX journal_entries_number ON journal_entries (user_id, number);

-- Rebuilt for the new status; the edit link points at the new table so
-- dropping the old one cannot touch it.
CREATE TABLE agreements_next (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    status       TEXT    NOT NULL
                 CHECK (status IN ('proposed', 'active', 'declined', 'replaced', 'retired')),
    -- An edit (or a retirement) is a proposal about this agreement.
    replaces_id  INTEGER REFERENCES agreements_next (id) ON DELETE SET NULL,
    -- 1: the proposal retires the agreement instead of rewording it; its
    -- own text stays empty (the words are the original proposer's).
    retires      INTEGER NOT NULL DEFAULT 0,
    proposed_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER
);

INSERT INTO agreements_next (id, couple_id, number, text, status, replaces_id, proposed_by,
                             created_at, decided_at)
WITH RECURSIVE chain (id, root) AS (
    SELECT id, id FROM agreements WHERE replaces_id IS NULL
    UNION ALL
    SELECT agreements.id, chain.root FROM agreements JOIN chain ON agreements.replaces_id = chain.id
)
SELECT agreements.id, agreements.couple_id,
       (SELECT COUNT(*) FROM agreements AS root
        WHERE root.couple_id = agreements.couple_id AND root.replaces_id IS NULL
          AND root.id <= chain.root),
       agreements.text, agreements.status, agreements.replaces_id, agreements.proposed_by,
       agreements.created_at, agreements.decided_at
FROM agreements JOIN chain ON chain.id = agreements.id;

DROP TABLE agreements;
ALTER TABLE agreements_next RENAME TO agreements;
CREATE INDEX agreements_couple ON agreements (couple_id, status);
CREATE INDEX agreements_number ON agreements (couple_id, number);

-- Set for whoever had numbered things before: the next answer that shows
-- them says the numbers changed.
ALTER TABLE users ADD COLUMN renumbered INTEGER NOT NULL DEFAULT 0;
UPDATE users SET renumbered = 1
WHERE id IN (SELECT user_id FROM journal_entries)
   OR id IN (SELECT memberships.user_id FROM memberships
             WHERE memberships.couple_id IN (SELECT couple_id FROM goals)
                OR memberships.couple_id IN (SELECT couple_id FROM agreements));
