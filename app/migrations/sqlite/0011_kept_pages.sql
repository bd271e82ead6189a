-- Public pages become the same bytes for every visitor, kept until what they show changes.
--
-- So a pledge form carries no key of the server's making (the browser's script makes one): a
-- form sent without JavaScript is told as a repeat by its content within minutes, which this
-- index finds without reading the table.
CREATE INDEX pledges_by_fingerprint ON pledges (fingerprint, created_at);

-- The figures public pages show (confirmed signatures and the names on them, gifts received)
-- move this version, so every server drops its kept copies of those pages when one changes,
-- whoever changed it (a confirmation, the staff command, another server).
CREATE TABLE figures_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO figures_version (id, version) VALUES (1, 1);

CREATE TRIGGER figures_signature_added AFTER INSERT ON signups
WHEN new.status = 'confirmed' BEGIN
    UPDATE figures_version SET version = version + 1;
END;
CREATE TRIGGER figures_signature_changed AFTER UPDATE ON signups
WHEN old.status = 'confirmed' OR new.status = 'confirmed' BEGIN
    UPDATE figures_version SET version = version + 1;
END;
CREATE TRIGGER figures_signature_removed AFTER DELETE ON signups
WHEN old.status = 'confirmed' BEGIN
    UPDATE figures_version SET version = version + 1;
END;
CREATE TRIGGER figures_pledge_changed AFTER UPDATE OF status ON pledges BEGIN
    UPDATE figures_version SET version = version + 1;
END;
