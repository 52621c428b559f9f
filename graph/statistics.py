"""Per-service responsiveness over a recent window, written onto each Service node.

Computed nightly for every service in batches of its own transactions, so the directory
reads the figures as plain properties in the statement that finds the services.
"""

from __future__ import annotations

from typing import LiteralString

from graph import session

_RESPONSIVENESS: LiteralString = """
MATCH (svc:Service)
CALL (svc) {
  OPTIONAL MATCH (svc)<-[:TO]-(r:Referral)
  WHERE r.state <> 'DRAFT'
    AND coalesce(r.sentAt, r.createdAt) >= datetime() - duration({days: $days})
  WITH svc, count(r) AS referrals,
       percentileDisc(CASE WHEN r.acknowledgedAt IS NOT NULL
         THEN duration.inSeconds(coalesce(r.sentAt, r.createdAt), r.acknowledgedAt).seconds
              / 3600.0 END, 0.5) AS ack_hours,
       count(r.acceptedAt) AS accepted,
       count(CASE WHEN r.state = 'DECLINED' THEN 1 END) AS declined,
       count(CASE WHEN r.state = 'COMPLETED' THEN 1 END) AS completed
  WITH svc, referrals, referrals >= $minimum AS enough, ack_hours, accepted, declined,
       completed
  SET svc.statsReferrals = referrals,
      svc.statsMedianAckHours = CASE WHEN enough THEN ack_hours END,
      svc.statsAcceptanceRate = CASE WHEN enough AND accepted + declined > 0
                                     THEN toFloat(accepted) / (accepted + declined) END,
      svc.statsCompletionRate = CASE WHEN enough AND accepted > 0
                                     THEN toFloat(completed) / accepted END,
      svc.statsComputedAt = datetime()
} IN TRANSACTIONS OF 1000 ROWS
RETURN count(svc) AS services
"""


def responsiveness_refresh(*, days: int, minimum: int) -> int:
    """Recompute every service's figures; those with fewer than `minimum` referrals in
    the window keep only their count. Returns how many services were updated."""
    rows = session.autocommit(_RESPONSIVENESS, days=days, minimum=minimum)
    return int(rows[0]["services"]) if rows else 0
