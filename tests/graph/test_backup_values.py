"""The backup codec alone (no server): every Neo4j property type through JSON and back."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import pytz
from neo4j import spatial
from neo4j.time import Date, DateTime, Duration, Time

from graph.backup_values import UnknownValue, decode, encode

VALUES = [
    None,
    True,
    -(2**63),
    0.1,
    "つながり",
    b"\x00\xff",
    Date(2026, 2, 28),
    DateTime(2026, 12, 1, 23, 59, 59, 999999999),
    pytz.timezone("Asia/Tokyo").localize(DateTime(2026, 12, 1, 9, 0, 0, 1)),
    DateTime(2026, 12, 1, 9, 0, 0, 5).replace(tzinfo=pytz.FixedOffset(-210)),
    Time(12, 34, 56, 789, tzinfo=pytz.FixedOffset(540)),
    Time(7, 8, 9, 100000000),
    Duration(months=14, days=3, seconds=14706, nanoseconds=7),
    spatial.CartesianPoint((1.5, -2.25)),
    spatial.CartesianPoint((1.0, 2.0, 3.0)),
    spatial.WGS84Point((139.697, 35.531)),
    spatial.WGS84Point((139.0, 35.0, 12.5)),
    [Date(2026, 1, 1), Date(2026, 1, 2)],
    [],
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_value_comes_back_as_it_went(value):
    back = decode(json.loads(json.dumps(encode(value))))
    assert back == value
    assert type(back) is type(value) or isinstance(value, list)
    assert encode(back) == encode(value)  # zone, offset and nanoseconds included


def test_a_named_zone_stays_a_zone_not_todays_offset():
    winter = pytz.timezone("Europe/Berlin").localize(DateTime(2026, 1, 15, 12, 0, 0, 0))
    assert encode(winter)["tz"] == {"z": "Europe/Berlin"}
    assert decode(encode(winter)).utcoffset() == dt.timedelta(hours=1)


def test_an_unknown_type_or_tag_is_refused():
    with pytest.raises(UnknownValue, match="a property of type dict cannot be backed up"):
        encode({"a": 1})
    with pytest.raises(UnknownValue, match="unknown value tag 'vector'"):
        decode({"$t": "vector", "v": [1]})
