// Writer chains (issue 17): an event about subjects links one (:AuditMention) per subject,
// the index a subject's whole history is read by (graph/disclosure_repo.py). Events written
// before on a subject's own chain get theirs from graph/migrate.py's backfill.
CREATE INDEX audit_mention_subject IF NOT EXISTS
FOR (m:AuditMention) ON (m.subject);
