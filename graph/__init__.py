"""Everything that speaks Cypher: driver lifecycle, migrations and one repository per aggregate.

Nothing here knows about GraphQL or HTTP; callers pass plain values and get plain
dicts or domain errors back.
"""
