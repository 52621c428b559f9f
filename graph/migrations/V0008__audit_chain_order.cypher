// A chain's events in order, found without scanning the log: the area verification and a
// subject's disclosure record read whole chains (graph/audit.py, graph/disclosures.py).
CREATE INDEX audit_event_chain_seq_order IF NOT EXISTS
FOR (e:AuditEvent) ON (e.chain, e.seq);
