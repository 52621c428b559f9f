// Referrals and their handoff events.
CREATE CONSTRAINT referral_id IF NOT EXISTS
FOR (r:Referral) REQUIRE r.id IS UNIQUE;

CREATE CONSTRAINT handoff_event_id IF NOT EXISTS
FOR (e:HandoffEvent) REQUIRE e.id IS UNIQUE;

CREATE INDEX referral_state_deadline IF NOT EXISTS
FOR (r:Referral) ON (r.state, r.deadline);
