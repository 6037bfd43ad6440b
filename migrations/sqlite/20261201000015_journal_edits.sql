-- The platform's id of the chat message that wrote a journal entry (Matrix
-- event ids), so an edit of that message can change the entry. Gone with
-- the entry.
ALTER TABLE journal_entries ADD COLUMN written_by TEXT;
CREATE INDEX journal_entries_by_message ON journal_entries (user_id, written_by);
