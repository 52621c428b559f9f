// Subjects (pseudonymous), their wrapped data keys, and consents.
CREATE CONSTRAINT subject_id IF NOT EXISTS
FOR (s:Subject) REQUIRE s.id IS UNIQUE;

CREATE CONSTRAINT subject_key_subject IF NOT EXISTS
FOR (k:SubjectKey) REQUIRE k.subjectId IS UNIQUE;

CREATE CONSTRAINT consent_id IF NOT EXISTS
FOR (c:Consent) REQUIRE c.id IS UNIQUE;

// Duplicate warnings look subjects up by their keyed hash.
CREATE INDEX subject_duplicate_key IF NOT EXISTS
FOR (s:Subject) ON (s.dupKey);

CREATE INDEX consent_state_until IF NOT EXISTS
FOR (c:Consent) ON (c.state, c.validUntil);
