// Hash-chained audit log: one chain head per chain key, events ordered by seq in a chain.
CREATE CONSTRAINT audit_chain_key IF NOT EXISTS
FOR (c:AuditChain) REQUIRE c.key IS UNIQUE;

CREATE CONSTRAINT audit_event_id IF NOT EXISTS
FOR (e:AuditEvent) REQUIRE e.id IS UNIQUE;

CREATE CONSTRAINT audit_event_chain_seq IF NOT EXISTS
FOR (e:AuditEvent) REQUIRE e.chainSeq IS UNIQUE;

CREATE INDEX audit_event_area_at IF NOT EXISTS
FOR (e:AuditEvent) ON (e.areaCode, e.at);

CREATE INDEX audit_event_at IF NOT EXISTS
FOR (e:AuditEvent) ON (e.at);
