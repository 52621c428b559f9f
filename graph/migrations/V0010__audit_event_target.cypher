// The explorer's target filter (graph/audit_log.py _LIST_FOR_TARGET) finds the events that
// acted on a record through this index, not by reading the whole log.
CREATE INDEX audit_event_target IF NOT EXISTS
FOR (e:AuditEvent) ON (e.targetId);
