"""The consent rule in Cypher, in one place, for every statement that shares personal data.

`consent_covers` is a predicate over a consent `c` and an organisation node `receiver`:
the consent is ACTIVE and current (in Japanese dates), covers $purpose and every one of
$categories, and names the receiver or the receiver's kind within the consent's area.
referral_hub/consent/policy.py states the same rule in Python.
"""

from typing import LiteralString

# A consent valid until 31 March is valid all of that day in Japan.
TODAY: LiteralString = "date({timezone: 'Asia/Tokyo'})"


def consent_covers(categories: LiteralString = "$categories") -> LiteralString:
    """The predicate over `c` and `receiver`; `categories` is a Cypher list expression."""
    return (
        """(c.state = 'ACTIVE'
  AND c.validFrom <= """
        + TODAY
        + " AND "
        + TODAY
        + """ <= c.validUntil
  AND $purpose IN c.purposes
  AND all(category IN """
        + categories
        + """ WHERE category IN c.categories)
  AND (EXISTS { MATCH (c)-[:PERMITS]->(receiver) }
       OR (receiver.kind IN c.organisationKinds AND receiver.areaCode IN c.kindAreaCodes)))"""
    )


CONSENT_COVERS: LiteralString = consent_covers()

OPEN_STATES: LiteralString = "['DRAFT', 'SENT', 'RECEIVED', 'ACCEPTED', 'IN_PROGRESS']"


# Under which basis may organisation `reader` see subject `s` for $purpose and every one
# of $categories now? 'OWN_RECORD' (it registered the subject), 'CONSENT', the statutory
# basis of an open referral of the subject to one of the reader's services, or null (it
# may not). Every statement that returns subject data computes this for each subject and
# returns the data only where it is not null; the audit event records the basis.
def read_basis(categories: LiteralString = "$categories") -> LiteralString:
    return (
        """CASE
  WHEN EXISTS { MATCH (s)-[:REGISTERED_BY]->(reader) } THEN 'OWN_RECORD'
  WHEN EXISTS { MATCH (s)-[:GAVE]->(c:Consent) WITH c, reader AS receiver WHERE """
        + consent_covers(categories)
        + """ } THEN 'CONSENT'
  ELSE head(COLLECT {
    MATCH (s)<-[:FOR]-(statutory:Referral)-[:TO]->(:Service)<-[:PROVIDES]-(reader)
    WHERE statutory.legalBasis STARTS WITH 'STATUTORY_' AND statutory.state IN """
        + OPEN_STATES
        + """
    RETURN statutory.legalBasis ORDER BY statutory.legalBasis
  })
END"""
    )


READ_BASIS: LiteralString = read_basis()
