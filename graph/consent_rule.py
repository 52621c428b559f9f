"""The consent rule in Cypher, in one place, for every statement that shares personal data.

`consent_covers` is a predicate over a consent `c`, its subject `s` and an organisation
node `receiver`; `read_basis` decides under which basis (if any) organisation `reader`
may see subject `s`. docs/referrals.md, "The consent rule", states each clause in one line;
referral_hub/consent/policy.py states the consent clause in Python for the unit tests,
and tests/referrals/test_consent_properties.py checks the graph against its own oracle
and kills named mutants of this file (tests/referrals/consent_mutants.py).
"""

from typing import LiteralString

# The clock every date comparison asks: Neo4j's, unless a test froze it (graph/clock.py).
NOW: LiteralString = "coalesce(datetime($clock_now), datetime())"
# A consent valid until 31 March is valid all of that day in Japan.
TODAY: LiteralString = "date(coalesce(datetime($clock_now), datetime({timezone: 'Asia/Tokyo'})))"

# From 1 January of the year a subject turns 18 (only the birth year is known) a
# guardian's consent no longer speaks for them; they consent themselves
# (referral_hub/consent/policy.py ADULT_AGE says the same in Python).
ADULT_AGE: LiteralString = "18"

# Only these purposes ever return identified data; STATISTICS never does.
IDENTIFIED_PURPOSES: LiteralString = "['REFERRAL', 'CASE_COORDINATION', 'SERVICE_DELIVERY']"
# A statutory basis shares data to hand a case over and to serve the person, nothing else.
STATUTORY_PURPOSES: LiteralString = "['REFERRAL', 'SERVICE_DELIVERY']"


def consent_covers(
    categories: LiteralString = "$categories", receiver: LiteralString = "receiver"
) -> LiteralString:
    """The predicate over `c`, `s` and the organisation named by `receiver`; `categories`
    is a Cypher list expression."""
    return (
        """(c.state = 'ACTIVE'
  AND c.validFrom <= """
        + TODAY
        + " AND "
        + TODAY
        + """ <= c.validUntil
  AND $purpose IN c.purposes
  AND $purpose IN """
        + IDENTIFIED_PURPOSES
        + """
  AND all(category IN """
        + categories
        + """ WHERE category IN c.categories)
  AND NOT (c.givenBy = 'GUARDIAN' AND """
        + TODAY
        + """.year >= s.birthYear + """
        + ADULT_AGE
        + """)
  AND coalesce("""
        + receiver
        + """.active, true)
  AND (EXISTS { MATCH (c)-[:PERMITS]->("""
        + receiver
        + """) }
       OR ("""
        + receiver
        + ".kind IN c.organisationKinds AND "
        + receiver
        + """.areaCode IN c.kindAreaCodes)))"""
    )


CONSENT_COVERS: LiteralString = consent_covers()


def basis_consent(categories: LiteralString = "$categories") -> LiteralString:
    """For the audit, the consent a 'CONSENT' basis of `reader` rests on: of those that
    cover it now, the one that lasts longest (then by id, so the answer is stable)."""
    return (
        "head(COLLECT { MATCH (s)-[:GAVE]->(c:Consent) WHERE "
        + consent_covers(categories, "reader")
        + " RETURN c.id ORDER BY c.validUntil DESC, c.id })"
    )


# The handoff states that are open, and those open and sent (a draft has shared nothing
# yet: sight, statutory or in an inbox, starts when it is sent). Parameters: the domain
# gives their values (referral_hub/referrals/handoff.py, through session.give).
OPEN_STATES: LiteralString = "$open_states"
SENT_OPEN_STATES: LiteralString = "$sent_open_states"


def statutory_stands(referral: LiteralString = "statutory") -> LiteralString:
    """The predicate over a statutory referral: no auditor found it INAPPROPRIATE, and it
    is a draft (sight starts when it is sent) or not past its `sightUntil` (set when it
    is sent, HUB_STATUTORY_SIGHT_DAYS later). Every forward handoff step needs it."""
    return (
        "(coalesce("
        + referral
        + ".reviewState, 'PENDING') <> 'INAPPROPRIATE' AND ("
        + referral
        + ".state = 'DRAFT' OR "
        + NOW
        + " <= "
        + referral
        + ".sightUntil))"
    )


def statutory_sight(categories: LiteralString = "$categories") -> LiteralString:
    """The predicate over a referral `statutory`: it lets its receiver see its subject now
    for $purpose and `categories`. Sent and still open, for the categories it shares only,
    for REFERRAL or SERVICE_DELIVERY only, and still standing (`statutory_stands`)."""
    return (
        """(statutory.legalBasis STARTS WITH 'STATUTORY_'
  AND statutory.state IN """
        + SENT_OPEN_STATES
        + """
  AND $purpose IN """
        + STATUTORY_PURPOSES
        + """
  AND all(category IN """
        + categories
        + """ WHERE category IN statutory.categories)
  AND """
        + statutory_stands()
        + ")"
    )


# Under which basis may organisation `reader` see subject `s` for $purpose and every one
# of $categories now? 'OWN_RECORD' (it registered the subject), 'CONSENT', the statutory
# basis of a referral of the subject to one of the reader's services, or null (it may
# not). An inactive organisation and the STATISTICS purpose never see anything. Every
# statement that returns subject data computes this for each subject and returns the data
# only where it is not null; the audit event records the basis.
def read_basis(categories: LiteralString = "$categories") -> LiteralString:
    return (
        """CASE
  WHEN NOT coalesce(reader.active, true) OR NOT $purpose IN """
        + IDENTIFIED_PURPOSES
        + """ THEN null
  WHEN EXISTS { MATCH (s)-[:REGISTERED_BY]->(reader) } THEN 'OWN_RECORD'
  WHEN EXISTS { MATCH (s)-[:GAVE]->(c:Consent) WHERE """
        + consent_covers(categories, "reader")
        + """ } THEN 'CONSENT'
  ELSE head(COLLECT {
    MATCH (s)<-[:FOR]-(statutory:Referral)-[:TO]->(:Service)<-[:PROVIDES]-(reader)
    WHERE """
        + statutory_sight(categories)
        + """
    RETURN statutory.legalBasis ORDER BY statutory.legalBasis
  })
END"""
    )


READ_BASIS: LiteralString = read_basis()
