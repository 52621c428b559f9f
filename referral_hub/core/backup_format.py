"""Django's JSON Lines serialisation without its one loss: microseconds.

DjangoJSONEncoder cuts datetimes and times to milliseconds (ECMA-262's format), so a
dumpdata/loaddata round trip changes them — and a signed audit checkpoint signs its
created_at to the microsecond, so its signature would no longer verify after a restore.
This format is `jsonl` with ISO 8601 at full precision; loaddata reads it back unchanged
(the field's to_python parses microseconds).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import serializers
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder

NAME = "hubjsonl"  # also the extension loaddata needs to pick this format for a file


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        self.options["cls"] = ExactEncoder
        super()._init_options()  # type: ignore[misc]  # jsonl's own, untyped in the stubs


Deserializer = jsonl.Deserializer


def register() -> None:
    if NAME not in serializers.get_serializer_formats():
        serializers.register_serializer(NAME, __name__)
