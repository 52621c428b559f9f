"""The pathways domain's enums, as the API names them; every value described."""

from referral_hub.pathways.signals import AgeBand
from schema.core.described import described_enum

AgeBandEnum = described_enum(
    AgeBand,
    "A coarse age band of the person a murmur was about (never an age or a birth date).",
    {
        AgeBand.UNDER_6: "Under 6 (pre-school).",
        AgeBand.AGE_6_12: "6 to 12 (primary school age).",
        AgeBand.AGE_13_15: "13 to 15 (lower secondary age).",
        AgeBand.AGE_16_18: "16 to 18 (upper secondary age).",
        AgeBand.AGE_19_39: "19 to 39.",
        AgeBand.AGE_40_64: "40 to 64.",
        AgeBand.AGE_65_PLUS: "65 and over.",
        AgeBand.UNKNOWN: "Not known.",
    },
    name="AgeBand",
)
