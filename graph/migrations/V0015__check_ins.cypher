// Check-ins after a connection (issue 20, つながりフレイル):
// (:Referral)-[:HAS_CHECK_IN]->(:CheckIn {id, index, days, dueAt, escalateAt, state,
// answer, noteSealed, answeredAt, answeredBy, remindedAt, escalatedAt}), created in the
// transaction that completes the referral. The beat task looks them up by state and time.
CREATE CONSTRAINT check_in_id IF NOT EXISTS
FOR (c:CheckIn) REQUIRE c.id IS UNIQUE;

CREATE INDEX check_in_state_due IF NOT EXISTS
FOR (c:CheckIn) ON (c.state, c.dueAt);

CREATE INDEX check_in_state_escalate IF NOT EXISTS
FOR (c:CheckIn) ON (c.state, c.escalateAt);
