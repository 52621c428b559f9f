"""recordConcernSignal: a murmur heard at an open place (issue 19)."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.validation import enum_value
from referral_hub.pathways import murmurs
from schema.core.permissions import require_actor
from schema.pathways.inputs import RecordConcernSignalInput
from schema.pathways.mutations.base import PathwayMutation
from schema.pathways.types import ConcernSignal


class ConcernSignalRecord(PathwayMutation):
    """Record that staff heard a concern about a need — in ten seconds, naming no one.
    Counted in coverage's concerns; the member's organisation must run an open
    exchange-type place."""

    class Arguments:
        input = RecordConcernSignalInput(required=True, description="What was heard.")

    concern_signal = graphene.Field(ConcernSignal, description="What was stored.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        stored = murmurs.concern_signal_record(
            actor=require_actor(info),
            need_tag=input["need_tag"],
            area_code=input["area_code"],
            age_band=enum_value(input["age_band"]),
            month=input.get("month"),
        )
        return {"concern_signal": ConcernSignal(**stored)}
