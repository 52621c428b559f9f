"""Setting the record keys of the cell-key method from a test: fixed, or drawn from a seed."""

import random

from graph import session

# In creation order, so a seed gives the same key to the same record of a test every run
# (ids are random).
_IDS = """
MATCH (n) WHERE n:Referral OR n:Subject
RETURN n.id AS id ORDER BY n.createdAt, n:Referral, n.id
"""
_SET = "UNWIND $keys AS k MATCH (n {id: k.id}) WHERE n:Referral OR n:Subject SET n.cellKey = k.key"


def fix(value: int = 0) -> None:
    """Every referral and subject gets the same key: figures a test can compute."""
    session.write(
        lambda tx: tx.run(
            "MATCH (n) WHERE n:Referral OR n:Subject SET n.cellKey = $v", v=value
        ).consume()
    )


def draw(seed: int) -> None:
    """Keys as creation would draw them, but from `seed`, so a run can be repeated."""
    rng = random.Random(seed)  # noqa: S311 - test data, not a secret
    ids = [row["id"] for row in session.read(lambda tx: tx.rows(_IDS))]
    keys = [{"id": i, "key": rng.randrange(256)} for i in ids]
    session.write(lambda tx: tx.run(_SET, keys=keys).consume())
