// A subject's own choices (issue 19): one node per version, ids unique; the active one
// is found from its subject (HAS_PREFERENCE), so only the id needs a constraint.
CREATE CONSTRAINT subject_preference_id IF NOT EXISTS
FOR (p:SubjectPreference) REQUIRE p.id IS UNIQUE;
