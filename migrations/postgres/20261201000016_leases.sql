-- Work that one rapport process at a time should do when several share a
-- database (registering Discord's slash commands): the process holding a
-- lease until a moment does it; another may take it over once it ran out.
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  BIGINT NOT NULL
);
