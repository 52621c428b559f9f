"""The input of recordConcernSignal: codes only, so no field can hold text about a person."""

import graphene

from schema.pathways.enums import AgeBandEnum


class RecordConcernSignalInput(graphene.InputObjectType):
    """A murmur: a concern about a need heard at your open place. No name, no note: every
    field is a code (docs/murmurs.md)."""

    need_tag = graphene.String(required=True, description="A NEED tag code, e.g. eating_alone.")
    area_code = graphene.String(
        required=True, description="Your organisation's area or an area inside it (JIS code)."
    )
    month = graphene.Date(
        description="Any day of this month (the default) or the previous one, Japan time; "
        "stored as the month's first day."
    )
    age_band = AgeBandEnum(required=True, description="The person's age band, or UNKNOWN.")
