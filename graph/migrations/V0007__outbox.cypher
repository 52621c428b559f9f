// The transactional outbox (graph/outbox.py): one entry per notification a write causes,
// written in the write's own transaction. The key makes a second entry for the same
// event impossible; the relay finds what is still due through the :Due label.
CREATE CONSTRAINT outbox_entry_key IF NOT EXISTS
FOR (o:OutboxEntry) REQUIRE o.key IS UNIQUE;

CREATE INDEX outbox_entry_relayed IF NOT EXISTS
FOR (o:OutboxEntry) ON (o.relayedAt);
