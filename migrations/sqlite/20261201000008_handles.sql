-- The handle a platform shows beside a person's display name (Discord's
-- @username, a Matrix id): a display name anyone can choose, a handle they
-- cannot, so invites and notices name people by both.
ALTER TABLE users ADD COLUMN handle TEXT;
