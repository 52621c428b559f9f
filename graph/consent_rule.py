"""The consent rule in Cypher, in one place, for every statement that shares personal data.

`CONSENT_COVERS` is a predicate over a consent `c` and an organisation node `receiver`:
the consent is ACTIVE and current (in Japanese dates), covers $purpose and every one of
$categories, and names the receiver or the receiver's kind within the consent's area.
referral_hub/consent/policy.py states the same rule in Python.
"""

from typing import LiteralString

# A consent valid until 31 March is valid all of that day in Japan.
TODAY: LiteralString = "date({timezone: 'Asia/Tokyo'})"

CONSENT_COVERS: LiteralString = (
    """(c.state = 'ACTIVE'
  AND c.validFrom <= """
    + TODAY
    + " AND "
    + TODAY
    + """ <= c.validUntil
  AND $purpose IN c.purposes
  AND all(category IN $categories WHERE category IN c.categories)
  AND (EXISTS { MATCH (c)-[:PERMITS]->(receiver) }
       OR (receiver.kind IN c.organisationKinds AND receiver.areaCode IN c.kindAreaCodes)))"""
)
