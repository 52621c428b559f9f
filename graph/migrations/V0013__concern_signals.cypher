// Murmurs (issue 19): (:ConcernSignal {id, month, ageBand, recordedAt}) linked ABOUT a
// need tag, IN an area and HEARD_AT an organisation. graph/concern_signal_rule.py names
// the only properties a signal may hold. Coverage reads them by month.
CREATE CONSTRAINT concern_signal_id IF NOT EXISTS
FOR (c:ConcernSignal) REQUIRE c.id IS UNIQUE;

CREATE INDEX concern_signal_month IF NOT EXISTS
FOR (c:ConcernSignal) ON (c.month);
