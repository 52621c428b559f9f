"""Per-service responsiveness over a recent window, kept on each Service node as bands.

The nightly task reads every service's raw figures in one statement, turns them into
bands in Python (referral_hub/referrals/responsiveness.py, pure) and writes the bands
back in batches; the raw figures are never stored, so no query can return them.
"""

from __future__ import annotations

from typing import Any, LiteralString

import neo4j

from graph import session

_FIGURES: LiteralString = """
MATCH (svc:Service)
OPTIONAL MATCH (svc)<-[:TO]-(r:Referral)
WHERE r.state <> 'DRAFT'
  AND coalesce(r.sentAt, r.createdAt) >= datetime() - duration({days: $days})
RETURN svc.id AS id, count(r) AS referrals,
       percentileDisc(CASE WHEN r.acknowledgedAt IS NOT NULL
         THEN duration.inSeconds(coalesce(r.sentAt, r.createdAt), r.acknowledgedAt).seconds
              / 3600.0 END, 0.5) AS ack_hours,
       count(r.acceptedAt) AS accepted,
       count(CASE WHEN r.state = 'DECLINED' THEN 1 END) AS declined,
       count(CASE WHEN r.state = 'COMPLETED' THEN 1 END) AS completed,
       // Still connected at 90 days (issue 20): answered 90-day check-ins, any time.
       COUNT { MATCH (svc)<-[:TO]-(:Referral)-[:HAS_CHECK_IN]->(c:CheckIn)
               WHERE c.days = $still_days AND c.state = 'ANSWERED' } AS answered_90,
       COUNT { MATCH (svc)<-[:TO]-(:Referral)-[:HAS_CHECK_IN]->(c:CheckIn)
               WHERE c.days = $still_days AND c.answer = 'STILL_ATTENDING' } AS still_attending_90
"""

# Exact figures of earlier releases are removed as the bands are written.
_WRITE: LiteralString = """
UNWIND $rows AS row
MATCH (svc:Service {id: row.id})
SET svc.statsReplyBand = row.reply_band, svc.statsAcceptanceBand = row.acceptance_band,
    svc.statsCompletionBand = row.completion_band,
    svc.statsStillConnectedBand = row.still_connected_band, svc.statsComputedAt = datetime()
REMOVE svc.statsReferrals, svc.statsMedianAckHours, svc.statsAcceptanceRate,
       svc.statsCompletionRate
"""


def responsiveness_figures(*, days: int, still_days: int = 90) -> list[dict[str, Any]]:
    """Every service's raw figures over the last `days` days (for the bands only), and its
    answered `still_days`-day check-ins."""
    return session.read(lambda tx: tx.rows(_FIGURES, days=days, still_days=still_days), bulk=True)


def responsiveness_write(rows: list[dict[str, Any]], *, batch: int = 1000) -> int:
    """Write each service's bands, `batch` services per transaction."""
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]

        def write_chunk(tx: session.Tx, c: list[dict[str, Any]] = chunk) -> neo4j.ResultSummary:
            return tx.run(_WRITE, rows=c).consume()

        session.write(write_chunk)
    return len(rows)
