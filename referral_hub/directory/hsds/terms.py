"""The hub's own taxonomies: what HSDS has no column for travels as `attribute` rows
pointing at terms of `tsunagari:*` taxonomies, which is how HSDS expects extensions.

Every id is a UUID5 of what it names, so exporting the same directory twice gives the same
file, and importing it again changes nothing.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from referral_hub.directory.rules import CapacityStatus, OrganisationKind, ServiceMode, TagKind

_NS = uuid.UUID("0c7d0f4e-8d43-4c52-9a55-3b0f9c8d2e61")

# Enumerated extensions have a term per value; the others a single term whose attribute
# carries a value.
ENUMS: dict[str, type[StrEnum]] = {
    "organisation_kind": OrganisationKind,
    "service_mode": ServiceMode,
    "capacity_status": CapacityStatus,
}
VALUES = (
    "area_code",
    "accepts_referrals",
    "response_target_hours",
    "partner",
    "label_en",
    "description_en",
    "stigma_sensitive",
    "active",
    # An address HSDS cannot hold (it requires every part): what the hub knows of it.
    "address_1",
    "postal_code",
    # Read from exports made before the hub wrote HSDS's schedule and language tables.
    "schedule",
    "languages",
)
TAG_TAXONOMY = "tsunagari:tag:"


def make_id(*parts: object) -> str:
    return str(uuid.uuid5(_NS, ":".join(str(p) for p in parts)))


def taxonomy_row(name: str, description: str) -> dict[str, Any]:
    return {"id": make_id("taxonomy", name), "name": name, "description": description}


def _term(code: str) -> dict[str, Any]:
    taxonomy = "tsunagari:" + code.split(":")[0]
    return {
        "id": make_id("term", code),
        "code": f"tsunagari:{code}",
        "name": code,
        "description": f"Tsunagari Referral Hub private attribute: {code}",
        "taxonomy": taxonomy,
        "taxonomy_id": make_id("taxonomy", taxonomy),
        "language": "en",
    }


EXTENSION_TERMS: dict[str, dict[str, Any]] = {
    **{
        f"{name}:{member.value}": _term(f"{name}:{member.value}")
        for name, enum in ENUMS.items()
        for member in enum
    },
    **{name: _term(name) for name in VALUES},
}
EXTENSION_BY_ID = {term["id"]: code for code, term in EXTENSION_TERMS.items()}


def tag_term_id(code: str) -> str:
    return make_id("tag", code)


def tag_taxonomy(kind: str) -> str:
    return TAG_TAXONOMY + kind


_TAG_KINDS = {
    TagKind.NEED.value: "needs a service meets (ニーズ)",
    TagKind.INTEREST.value: "interests a place or activity starts from (興味・関心)",
    TagKind.POPULATION.value: "who a service is for (対象)",
}


def taxonomy_description(taxonomy: str) -> str:
    """What each of the hub's taxonomies holds (HSDS requires a description)."""
    kind = taxonomy.removeprefix(TAG_TAXONOMY)
    if taxonomy.startswith(TAG_TAXONOMY) and kind in _TAG_KINDS:
        return f"Tsunagari Referral Hub tags: {_TAG_KINDS[kind]}"
    return f"Tsunagari Referral Hub private attributes: {taxonomy.removeprefix('tsunagari:')}"
