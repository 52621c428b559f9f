"""Directory rows → HSDS 3.0 tables (pure).

The directory maps one-to-one onto HSDS tables: Organisation → organization, Service →
service (+ schedule, language), Location → location (+ address), service–location links →
service_at_location, Tag → taxonomy_term of a taxonomy per tag kind, and tags on services →
attribute. What HSDS has no column for travels as attributes of the hub's own taxonomies
(terms.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from referral_hub.directory.hsds import terms
from referral_hub.directory.hsds.package import EXPORTED
from referral_hub.directory.hsds.terms import EXTENSION_TERMS, make_id, tag_term_id
from referral_hub.directory.rules import prefecture_code_of

Row = dict[str, Any]


def to_hsds(
    snapshot: Mapping[str, list[dict[str, Any]]], *, area_names: Mapping[str, str] | None = None
) -> dict[str, list[Row]]:
    """Directory rows (graph/snapshot_repo.py) → HSDS tables, every table sorted by id.
    `area_names` (JIS code → name) fill each address's city and state_province."""
    export = _Export(area_names or {})
    for tag in snapshot["tags"]:
        export.tag(tag)
    for org in snapshot["organisations"]:
        export.organisation(org)
    for partnership in snapshot["partnerships"]:
        export.partnership(partnership)
    for loc in snapshot["locations"]:
        export.location(loc)
    for svc in snapshot["services"]:
        export.service(svc)
    return export.sorted_tables()


class _Export:
    """to_hsds's tables as they fill, one method per kind of directory row. A row holds
    only what the hub knows: an unknown field is left out, never null (HSDS types them)."""

    def __init__(self, area_names: Mapping[str, str]) -> None:
        self.tables: dict[str, list[Row]] = {name: [] for name in EXPORTED}
        self.used_terms: dict[str, Row] = {}
        self.area_names = area_names

    def add(self, table: str, values: Mapping[str, Any]) -> None:
        self.tables[table].append({k: v for k, v in values.items() if v is not None})

    def attribute(
        self, entity: str, link_id: str, term: str | Row, value: str | None = None
    ) -> None:
        term_row = EXTENSION_TERMS[term] if isinstance(term, str) else term
        self.used_terms[term_row["id"]] = term_row
        self.add(
            "attribute",
            {
                "id": make_id("attribute", entity, link_id, term_row["id"], value),
                "link_id": link_id,
                "link_entity": entity,
                "taxonomy_term_id": term_row["id"],
                "value": value,
            },
        )

    def tag(self, tag: Mapping[str, Any]) -> None:
        taxonomy = terms.tag_taxonomy(tag["kind"])
        term = {
            "id": tag_term_id(tag["code"]),
            "code": tag["code"],
            "name": tag["label_ja"],
            # In the term's language; HSDS requires one, so a tag without a Japanese
            # description is described by its labels.
            "description": tag.get("description_ja") or f"{tag['label_ja']} ({tag['label_en']})",
            "taxonomy": taxonomy,
            "taxonomy_id": make_id("taxonomy", taxonomy),
            "language": "ja",
        }
        self.used_terms[term["id"]] = term
        self.attribute("taxonomy_term", term["id"], "label_en", tag["label_en"])
        if tag["description"]:
            self.attribute("taxonomy_term", term["id"], "description_en", tag["description"])
        self.attribute(
            "taxonomy_term", term["id"], "stigma_sensitive", _flag(tag["stigma_sensitive"])
        )

    def organisation(self, org: Mapping[str, Any]) -> None:
        self.add(
            "organization",
            {
                "id": org["id"],
                "name": org["name"],
                # Required by HSDS: an organisation without one is described by its name
                # (and read back as none, see plan.py).
                "description": org["description"] or org["name"],
                "email": org["email"],
                "website": org["website"],
            },
        )
        self.attribute("organization", org["id"], f"organisation_kind:{org['kind']}")
        if org["area_code"]:
            self.attribute("organization", org["id"], "area_code", org["area_code"])
        if not org["active"]:
            self.attribute("organization", org["id"], "active", "false")
        if org["phone"]:
            self.add(
                "phone",
                {
                    "id": make_id("phone", org["id"]),
                    "organization_id": org["id"],
                    "number": org["phone"],
                    "type": "voice",
                },
            )

    def partnership(self, partnership: Mapping[str, Any]) -> None:
        self.attribute(
            "organization",
            partnership["a"],
            "partner",
            json.dumps(
                {
                    "partner": partnership["b"],
                    "since": partnership["since"],
                    "sharesData": partnership["shares_data"],
                },
                sort_keys=True,
            ),
        )

    def location(self, loc: Mapping[str, Any]) -> None:
        self.add(
            "location",
            {
                "id": loc["id"],
                "location_type": "physical",
                "organization_id": loc["organisation_id"],
                "name": loc["name"],
                "latitude": loc["latitude"],
                "longitude": loc["longitude"],
            },
        )
        self.address(loc)
        self.attribute("location", loc["id"], "area_code", loc["area_code"])
        if not loc["active"]:
            self.attribute("location", loc["id"], "active", "false")

    def address(self, loc: Mapping[str, Any]) -> None:
        city = self.area_names.get(loc["area_code"])
        prefecture = self.area_names.get(prefecture_code_of(loc["area_code"]))
        if loc["address"] and loc["postal_code"] and city and prefecture:
            self.add(
                "address",
                {
                    "id": make_id("address", loc["id"]),
                    "location_id": loc["id"],
                    "address_1": loc["address"],
                    "city": city,
                    "state_province": prefecture,
                    "postal_code": loc["postal_code"],
                    "country": "JP",
                    "address_type": "physical",
                },
            )
            return
        # HSDS requires every part of an address; what the hub knows of an incomplete one
        # travels privately, so a round trip keeps it.
        for part, value in (("address_1", loc["address"]), ("postal_code", loc["postal_code"])):
            if value:
                self.attribute("location", loc["id"], part, value)

    def service(self, svc: Mapping[str, Any]) -> None:
        self.add(
            "service",
            {
                "id": svc["id"],
                "organization_id": svc["organisation_id"],
                "name": svc["name"],
                "description": svc["description"],
                "status": "active" if svc["active"] else "inactive",
                "minimum_age": svc["age_min"],
                "maximum_age": svc["age_max"],
            },
        )
        self.service_attributes(svc)
        if svc["schedule"]:
            # The hub keeps opening times as the organisation wrote them (月・水 15:00-18:00).
            schedule = {"service_id": svc["id"], "description": svc["schedule"]}
            self.add("schedule", {"id": make_id("schedule", svc["id"]), **schedule})
        for code in svc["languages"] or []:
            language = {"service_id": svc["id"], "code": code}
            self.add("language", {"id": make_id("language", svc["id"], code), **language})
        for location_id in svc["location_ids"]:
            self.add(
                "service_at_location",
                {
                    "id": make_id("service_at_location", svc["id"], location_id),
                    "service_id": svc["id"],
                    "location_id": location_id,
                },
            )

    def service_attributes(self, svc: Mapping[str, Any]) -> None:
        svc_id = svc["id"]
        self.attribute("service", svc_id, f"service_mode:{svc['mode']}")
        self.attribute("service", svc_id, f"capacity_status:{svc['capacity_status']}")
        self.attribute("service", svc_id, "accepts_referrals", _flag(svc["accepts_referrals"]))
        self.attribute(
            "service", svc_id, "response_target_hours", str(svc["response_target_hours"])
        )
        for code in svc["tags"]:
            self.attribute("service", svc_id, self.used_terms[tag_term_id(code)])

    def sorted_tables(self) -> dict[str, list[Row]]:
        self.tables["taxonomy_term"] = list(self.used_terms.values())
        taxonomies = {term["taxonomy"] for term in self.used_terms.values()}
        self.tables["taxonomy"] = [
            terms.taxonomy_row(name, terms.taxonomy_description(name)) for name in taxonomies
        ]
        return {name: sorted(rows, key=lambda row: row["id"]) for name, rows in self.tables.items()}


def _flag(value: bool) -> str:
    return "true" if value else "false"
