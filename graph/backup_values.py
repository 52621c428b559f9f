"""Neo4j property values as JSON and back, exactly: the codec of a backup file.

JSON has strings, numbers, booleans and lists; a property may also be a date, a time, a
datetime with an offset or a named zone, a duration, a point or bytes. Those become
`{"$t": tag, "v": ...}` (a property can never be a map, so no real value looks like one)
holding every component, nanoseconds included, so a restore writes the same value back
rather than one parsed from text at the precision of Python's datetime.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytz
from neo4j import spatial
from neo4j.time import Date, DateTime, Duration, Time

_POINTS = {
    7203: spatial.CartesianPoint,
    9157: spatial.CartesianPoint,
    4326: spatial.WGS84Point,
    4979: spatial.WGS84Point,
}


class UnknownValue(ValueError):
    """A value of a type this codec does not know: refused rather than written lossily."""


def _zone(tzinfo: dt.tzinfo | None, value: Any) -> dict[str, Any] | None:
    if tzinfo is None:
        return None
    name = getattr(tzinfo, "zone", None)  # pytz zones, as the driver returns named zones
    if name is not None:
        return {"z": name}
    offset = value.utcoffset()
    return {"o": int(offset.total_seconds())}


def encode(value: Any) -> Any:
    """A property value as JSON-ready data."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, spatial.Point):
        return {"$t": "point", "srid": value.srid, "v": list(value)}
    if isinstance(value, bytes | bytearray):
        return {"$t": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, DateTime):
        parts = [value.year, value.month, value.day, value.hour, value.minute, value.second]
        return {"$t": "datetime", "v": [*parts, value.nanosecond], "tz": _zone(value.tzinfo, value)}
    if isinstance(value, Date):
        return {"$t": "date", "v": [value.year, value.month, value.day]}
    if isinstance(value, Time):
        parts = [value.hour, value.minute, value.second, value.nanosecond]
        return {"$t": "time", "v": parts, "tz": _zone(value.tzinfo, value)}
    if isinstance(value, Duration):
        return {
            "$t": "duration",
            "v": [value.months, value.days, value.seconds, value.nanoseconds],
        }
    if isinstance(value, list | tuple):  # last: points and durations are tuples too
        return [encode(item) for item in value]
    raise UnknownValue(f"a property of type {type(value).__name__} cannot be backed up")


def _tz(spec: dict[str, Any]) -> dt.tzinfo:
    if "z" in spec:
        return pytz.timezone(spec["z"])
    seconds = spec["o"]
    if seconds % 60 == 0:  # as the driver gives offsets: its dehydration of a time needs one
        return pytz.FixedOffset(seconds // 60)
    return dt.timezone(dt.timedelta(seconds=seconds))


def _datetime(data: dict[str, Any]) -> DateTime:
    value = DateTime(*data["v"])
    spec = data.get("tz")
    if spec is None:
        return value
    if "z" in spec:  # a named zone is localised, so its offset at that instant is its own
        return pytz.timezone(spec["z"]).localize(value)
    return value.replace(tzinfo=_tz(spec))


def _time(data: dict[str, Any]) -> Time:
    spec = data.get("tz")
    hour, minute, second, nanosecond = data["v"]
    return Time(hour, minute, second, nanosecond, tzinfo=None if spec is None else _tz(spec))


def decode(data: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    tag = data.get("$t")
    if tag == "datetime":
        return _datetime(data)
    if tag == "date":
        return Date(*data["v"])
    if tag == "time":
        return _time(data)
    if tag == "duration":
        months, days, seconds, nanoseconds = data["v"]
        return Duration(months=months, days=days, seconds=seconds, nanoseconds=nanoseconds)
    if tag == "point":
        return _POINTS[data["srid"]](data["v"])
    if tag == "bytes":
        return base64.b64decode(data["v"])
    raise UnknownValue(f"unknown value tag {tag!r} in a backup file")


def encode_properties(properties: dict[str, Any]) -> dict[str, Any]:
    return {key: encode(properties[key]) for key in sorted(properties)}


def decode_properties(properties: dict[str, Any]) -> dict[str, Any]:
    return {key: decode(value) for key, value in properties.items()}
