// The daily erasure task looks up subjects whose erasure is due
// (consents past their end are found through consent_state_until, V0004).
CREATE INDEX subject_erasure_due IF NOT EXISTS
FOR (s:Subject) ON (s.erasureDueAt);
