"""HSDS tables → the directory's upsert rows (pure): every record validated, every record
the hub cannot take reported with its own reason, and what it does not read named."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from referral_hub.directory.hsds import package
from referral_hub.directory.hsds.areas import NEAREST_OFFICE_KM, AreaFinder
from referral_hub.directory.hsds.checks import (
    location_rules,
    organisation_rules,
    phone_rule,
    service_rules,
    tag_rules,
)
from referral_hub.directory.hsds.files import Tables
from referral_hub.directory.hsds.ids import is_id
from referral_hub.directory.hsds.terms import EXTENSION_BY_ID, TAG_TAXONOMY
from referral_hub.directory.rules import (
    CapacityStatus,
    OrganisationKind,
    ServiceMode,
    TagKind,
    is_tag_code,
    is_valid_area_code,
)

# The hub reads the tables it writes; HSDS's others (program, contact, funding, …) are
# named in the report as not read.
READ = frozenset(package.EXPORTED)
_LINKED = ("organization", "service", "location", "taxonomy_term")


@dataclass(frozen=True)
class Problem:
    table: str
    record_id: str | None
    row: int  # 0: about the whole table or file
    message: str

    def __str__(self) -> str:
        if not self.row:
            return f"{self.table}: {self.message}"
        return f"{self.table} row {self.row} (id {self.record_id or '?'}): {self.message}"


@dataclass
class Extension:
    """What a record's attributes say in our own taxonomies."""

    # A file's attribute value is whatever it holds: usually text, but JSON may give any
    # value (or none), which the checks below refuse.
    values: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    partners: list[Any] = field(default_factory=list)


@dataclass
class ImportPlan:
    tags: list[dict[str, Any]] = field(default_factory=list)
    organisations: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    partnerships: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            name: len(getattr(self, name))
            for name in ("tags", "organisations", "locations", "services", "partnerships")
        }


def plan_import(
    tables: Tables,
    *,
    known_area_codes: Iterable[str],
    existing: Mapping[str, set[str]] | None = None,
    area_names: Mapping[str, str] | None = None,
    area_offices: Mapping[str, tuple[float, float]] | None = None,
) -> ImportPlan:
    """Validate every record and turn the valid ones into upsert rows.

    A record that refers to an invalid record is itself invalid (a service of a bad
    organisation, say), so `--skip-invalid` never writes a dangling half.
    `existing` holds ids already in the graph that records may refer to; `area_names`
    (JIS code → name) let an address's prefecture and city say a location's area, and
    `area_offices` (JIS code → latitude, longitude) its coordinates, failing that. The
    tables are read in the order their references need (the steps below), which is also
    the order problems are reported in.
    """
    planner = _Planner(
        tables,
        frozenset(known_area_codes),
        existing or {},
        AreaFinder(area_names or {}, area_offices or {}),
    )
    planner.not_read(tables.ignored)
    planner.terms_and_attributes()
    planner.tags()
    planner.organisations()
    planner.partnerships()
    planner.locations()
    planner.services()
    return planner.plan


class _Planner:
    """plan_import's steps and what they learn for the next (ids known so far)."""

    def __init__(
        self,
        tables: Mapping[str, list[dict[str, Any]]],
        areas: frozenset[str],
        existing: Mapping[str, set[str]],
        finder: AreaFinder,
    ) -> None:
        self.tables, self.areas = tables, areas
        self.finder = finder
        self.plan = ImportPlan()
        self.terms: dict[str, tuple[int, dict[str, Any]]] = {}
        self.attributes: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = {}
        self.tag_codes: set[str] = set(existing.get("tags", set()))
        self.organisation_ids: set[str] = set(existing.get("organisations", set()))
        self.location_ids: set[str] = set(existing.get("locations", set()))
        self.partner_candidates: list[tuple[int, dict[str, Any], Any]] = []
        self.checked: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.service_term_ids: set[str] = set()
        self.tag_codes_in_file: set[str] = set()

    def bad(self, table: str, index: int, record: Mapping[str, Any], message: str) -> None:
        self.plan.problems.append(Problem(table, _text(record.get("id")), index + 1, message))

    def note(self, table: str, message: str, index: int = -1, record_id: Any = None) -> None:
        self.plan.warnings.append(Problem(table, _text(record_id), index + 1, message))

    def not_read(self, ignored: Iterable[str]) -> None:
        """Say what the file holds that the hub does not read, table by table."""
        for name in ignored:
            self.note(name, "not read: not an HSDS table")
        for table, rows in self.tables.items():
            if table not in READ and rows:
                self.note(
                    package.file_name(table),
                    f"not read: {len(rows)} record(s); the hub keeps no {table} table",
                )

    def rows(self, table: str) -> list[tuple[int, dict[str, Any]]]:
        """The table's records with a UUID id that appears once; the others reported
        (once: the steps may ask for a table more than once)."""
        if table in self.checked:
            return self.checked[table]
        result = self.checked[table] = []
        seen: set[str] = set()
        for index, record in enumerate(self.tables.get(table, [])):
            if not is_id(record.get("id")):
                self.bad(table, index, record, "id must be a UUID")
            elif str(record["id"]) in seen:
                self.bad(table, index, record, "id appears twice in this file")
            else:
                seen.add(str(record["id"]))
                result.append((index, record))
        return result

    def linked(self, table: str, column: str) -> dict[str, list[dict[str, Any]]]:
        """The table's valid records by the id they name in `column` (a service's schedules)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for _, record in self.rows(table):
            if record.get(column) is not None:
                found.setdefault(str(record[column]), []).append(record)
        return found

    def extension(self, entity: str, link_id: str) -> Extension:
        """What a record's attributes say in our own taxonomies."""
        found = Extension()
        for _, record in self.attributes.get((entity, link_id), []):
            term_id = str(record["taxonomy_term_id"])
            code = EXTENSION_BY_ID.get(term_id)
            if code is None:
                found.tags.append(str(self.terms[term_id][1].get("code")))
            elif ":" in code:
                name, member = code.split(":", 1)
                found.values[name] = member
            elif code == "partner":
                found.partners.append(record.get("value"))
            else:
                found.values[code] = record.get("value")
        return found

    def terms_and_attributes(self) -> None:
        self.terms = {str(r["id"]): (i, r) for i, r in self.rows("taxonomy_term")}
        for index, record in self.rows("attribute"):
            term_id = str(record.get("taxonomy_term_id"))
            entity = str(record.get("link_entity"))
            if term_id not in self.terms and term_id not in EXTENSION_BY_ID:
                self.bad(
                    "attribute", index, record, f"taxonomy_term_id {term_id} is not in the file"
                )
            elif entity not in _LINKED:
                self.note("attribute", f"not read: link_entity {entity}", index, record.get("id"))
            else:
                value = record.get("value")
                if value is not None and not isinstance(value, str):
                    # JSON may give 131121 or true; the checks read text.
                    record = {**record, "value": json.dumps(value, ensure_ascii=False)}
                key = (entity, str(record.get("link_id")))
                self.attributes.setdefault(key, []).append((index, record))
                if entity == "service":
                    self.service_term_ids.add(term_id)

    def tags(self) -> None:
        taxonomies = {str(r["id"]): r for _, r in self.rows("taxonomy")}
        for term_id, (index, record) in self.terms.items():
            if term_id in EXTENSION_BY_ID:
                continue
            detail = taxonomies.get(str(record.get("taxonomy_id")), {})
            taxonomy = str(record.get("taxonomy") or detail.get("name") or "")
            kind = (
                taxonomy.removeprefix(TAG_TAXONOMY)
                if taxonomy.startswith(TAG_TAXONOMY)
                else TagKind.NEED.value
            )
            code, name = record.get("code"), _text(record.get("name"))
            if not taxonomy.startswith(TAG_TAXONOMY) and term_id not in self.service_term_ids:
                # Another vocabulary's term becomes a hub tag only when a service uses it.
                self.note("taxonomy_term", "not read: used by no service", index, term_id)
            elif kind not in TagKind.__members__:
                self.bad("taxonomy_term", index, record, f"taxonomy {taxonomy} names no tag kind")
            elif not is_tag_code(code) or not name:
                self.bad(
                    "taxonomy_term",
                    index,
                    record,
                    "code (1-64 of a-z 0-9 _ : . -) and name are required",
                )
            elif code in self.tag_codes_in_file:
                self.bad("taxonomy_term", index, record, f"code {code} appears twice in this file")
            else:
                self.tag(index, record, {"code": code, "kind": kind, "label_ja": name})

    def tag(self, index: int, record: dict[str, Any], named: dict[str, str]) -> None:
        """A term that names a tag kind, code and name: the tag, if its labels hold."""
        values = self.extension("taxonomy_term", str(record["id"])).values
        code, name = named["code"], named["label_ja"]
        row = {
            **named,
            "label_en": values.get("label_en") or name,
            "stigma_sensitive": values.get("stigma_sensitive") == "true",
            **_descriptions(record, name, values),
        }
        broken = tag_rules(row)
        if broken:
            self.bad("taxonomy_term", index, record, broken)
            return
        self.plan.tags.append(row)
        self.tag_codes.add(code)
        self.tag_codes_in_file.add(code)

    def organisations(self) -> None:
        phones = self.organisation_phones()
        for index, record in self.rows("organization"):
            org_id = str(record["id"])
            found = self.extension("organization", org_id)
            values = found.values
            name = _text(record.get("name"))
            area = values.get("area_code")
            kind = values.get("organisation_kind")
            if not name or len(name) > 200:
                self.bad("organization", index, record, "name is required (at most 200 characters)")
                continue
            if area is not None and (not is_valid_area_code(area) or area not in self.areas):
                self.bad("organization", index, record, f"area code {area} is not a known JIS area")
                continue
            if kind is None:
                self.note(
                    "organization",
                    "no tsunagari:organisation_kind attribute; taken as NPO",
                    index,
                    org_id,
                )
                kind = OrganisationKind.NPO.value
            description = _text(record.get("description"))
            row = {
                "id": org_id,
                "name": name,
                "kind": kind,
                # The export describes an undescribed organisation by its name.
                "description": None if description == name else description,
                "area_code": area,
                "website": _text(record.get("website")),
                "email": _text(record.get("email")),
                "phone": self.usable_phone(index, org_id, phones.get(org_id)),
                "active": values.get("active") != "false",
            }
            broken = organisation_rules(row)
            if broken:
                self.bad("organization", index, record, broken)
                continue
            self.plan.organisations.append(row)
            self.organisation_ids.add(org_id)
            self.partner_candidates += [(index, record, value) for value in found.partners]

    def organisation_phones(self) -> dict[str, Any]:
        """Each organisation's phone: the first row naming it. The hub keeps one phone per
        organisation and none of services or locations; the others are named as not read."""
        phones: dict[str, Any] = {}
        for index, record in self.rows("phone"):
            owner = record.get("organization_id")
            if owner is not None and str(owner) not in phones:
                phones[str(owner)] = record.get("number")
            else:
                self.note(
                    "phone",
                    "not read: the hub keeps one phone per organisation",
                    index,
                    record.get("id"),
                )
        return phones

    def usable_phone(self, index: int, org_id: str, phone: Any) -> str | None:
        """A phone the API would refuse is left out with a warning; the organisation is not
        refused for it."""
        if phone is None:
            return None
        problem = phone_rule(phone)
        if problem:
            self.note("organization", f"phone not taken: {problem}", index, org_id)
            return None
        return str(phone)

    def partnerships(self) -> None:
        for index, record, value in self.partner_candidates:
            partnership = _partner(value)
            if (
                partnership is None
                or partnership["b"] not in self.organisation_ids
                or partnership["b"] == str(record["id"])
            ):
                self.bad(
                    "organization",
                    index,
                    record,
                    f"partner attribute {value!r} names no valid organization",
                )
            else:
                self.plan.partnerships.append({"a": str(record["id"]), **partnership})

    def location_addresses(self) -> dict[str, dict[str, Any]]:
        addresses: dict[str, dict[str, Any]] = {}
        for index, record in self.rows("address"):
            location = str(record.get("location_id"))
            if location in addresses:
                self.note(
                    "address",
                    "not read: the hub keeps one address per location",
                    index,
                    record.get("id"),
                )
            else:
                addresses[location] = record
        return addresses

    def owners_by_services(self) -> dict[str, set[str]]:
        """Each location's organisations as the services placed there name them."""
        services = {str(r["id"]): r.get("organization_id") for _, r in self.rows("service")}
        owners: dict[str, set[str]] = {}
        for _, link in self.rows("service_at_location"):
            owner = services.get(str(link.get("service_id")))
            if owner is not None:
                owners.setdefault(str(link.get("location_id")), set()).add(str(owner))
        return owners

    def locations(self) -> None:
        addresses = self.location_addresses()
        owners = self.owners_by_services()
        for index, record in self.rows("location"):
            loc_id = str(record["id"])
            values = self.extension("location", loc_id).values
            address = addresses.get(loc_id, {})
            owner = self.owner(index, record, owners.get(loc_id, set()))
            area = values.get("area_code") or self.area_of(index, record, address)
            problem = _location_problem(record, owner, area, self.areas, address)
            if problem:
                self.bad("location", index, record, problem)
                continue
            row = {
                "id": loc_id,
                "organisation_id": owner,
                "name": _text(record.get("name")),
                "address": _text(address.get("address_1") or values.get("address_1")),
                "postal_code": _text(address.get("postal_code") or values.get("postal_code")),
                "area_code": area,
                "latitude": record.get("latitude"),
                "longitude": record.get("longitude"),
                "active": values.get("active") != "false",
            }
            broken = location_rules(row)
            if broken:
                self.bad("location", index, record, broken)
                continue
            self.plan.locations.append(row)
            self.location_ids.add(loc_id)

    def area_of(
        self, index: int, record: Mapping[str, Any], address: Mapping[str, Any]
    ) -> str | None:
        """The location's JIS area from its address's names, or failing that from its
        coordinates (the nearest municipal office: said in a warning, as it can be the
        neighbour's near a border)."""
        named = self.finder.code_for(
            _text(address.get("state_province")),
            _text(address.get("city")),
            _text(address.get("address_1")),
        )
        lat, lon = record.get("latitude"), record.get("longitude")
        if named is not None or lat is None or lon is None or not _coordinates_ok(lat, lon):
            return named
        near = self.finder.code_near(float(lat), float(lon))
        if near is None:
            return None
        code, km = near
        self.note(
            "location",
            f"JIS area {code} taken from its coordinates (the nearest municipal office, "
            f"{km:.1f} km away): check it",
            index,
            record.get("id"),
        )
        return code

    def owner(self, index: int, record: Mapping[str, Any], by_services: set[str]) -> str | None:
        """The location's organisation: its organization_id, or — HSDS does not require
        one — the one organisation whose services are placed there."""
        named = record.get("organization_id")
        if named is not None:
            return str(named) if str(named) in self.organisation_ids else None
        if len(by_services) == 1 and (only := next(iter(by_services))) in self.organisation_ids:
            self.note(
                "location",
                "no organization_id; taken from the services placed there",
                index,
                record.get("id"),
            )
            return only
        return None

    def services(self) -> None:
        links: dict[str, list[str]] = {}
        for index, record in self.rows("service_at_location"):
            if str(record.get("location_id")) not in self.location_ids:
                self.bad(
                    "service_at_location", index, record, "location_id is not a valid location"
                )
            else:
                links.setdefault(str(record.get("service_id")), []).append(
                    str(record["location_id"])
                )
        schedules = self.linked("schedule", "service_id")
        languages = self.linked("language", "service_id")
        for index, record in self.rows("language"):
            if not record.get("code"):
                self.note("language", "not read: no code (ja, en, …)", index, record.get("id"))
        for index, record in self.rows("service"):
            svc_id, owner = str(record["id"]), str(record.get("organization_id"))
            found = self.extension("service", svc_id)
            values = dict(found.values)
            if svc_id in schedules:
                values["schedule"] = _schedule_text(schedules[svc_id])
            if svc_id in languages:
                values["languages"] = ",".join(_language_codes(languages[svc_id]))
            problem = _service_problem(
                record, values, owner in self.organisation_ids, found.tags, self.tag_codes
            )
            if problem:
                self.bad("service", index, record, problem)
                continue
            row = _service_row(record, values, owner, links, found.tags)
            broken = service_rules(row)
            if broken:
                self.bad("service", index, record, broken)
                continue
            self.plan.services.append(row)
        named = {str(record["id"]) for _, record in self.rows("service")}
        for service_id in sorted(links.keys() - named):
            self.note(
                "service_at_location",
                f"not read: service_id {service_id} is no service in this file",
            )


def _descriptions(
    record: Mapping[str, Any], name: str, values: Mapping[str, Any]
) -> dict[str, str | None]:
    """A tag's Japanese and English descriptions: the term's own in its language (unless
    it is the one the export makes up from the labels), English from the hub's private
    attribute."""
    description = _text(record.get("description"))
    if description == f"{name} ({values.get('label_en') or name})":
        description = None
    japanese = str(record.get("language") or "ja").lower() in ("ja", "jpn")
    english = _text(values.get("description_en"))
    return {
        "description": english if english or japanese else description,
        "description_ja": description if japanese else None,
    }


def _schedule_text(rows: list[dict[str, Any]]) -> str:
    """The hub keeps opening times as text: each schedule's description, or what its
    days and hours say (TU,TH 10:00–18:00)."""
    parts = []
    for row in rows:
        text = _text(row.get("description"))
        if text is None:
            hours = "–".join(str(t)[:5] for t in (row.get("opens_at"), row.get("closes_at")) if t)
            text = " ".join(str(p) for p in (row.get("byday"), hours) if p) or None
        if text is not None:
            parts.append(text)
    return "; ".join(parts)


def _language_codes(rows: list[dict[str, Any]]) -> list[str]:
    """The codes (ja, en, pt-BR): the hub keeps languages as codes, so a row with only a
    name (Urdu) is not read."""
    return [str(row["code"]) for row in rows if row.get("code")]


def _location_problem(
    record: Mapping[str, Any],
    owner: str | None,
    area: Any,
    areas: frozenset[str],
    address: Mapping[str, Any],
) -> str | None:
    """Every reason the location cannot be taken, so a publisher fixes them all at once."""
    reasons = []
    if owner is None:
        named = record.get("organization_id")
        reasons.append(
            "no organization_id, and the services placed there name no one organisation"
            if named is None
            else f"organization_id {named} is not a valid organization"
        )
    if not _text(record.get("name")):
        reasons.append("name is required")
    if area is None:
        said = ", ".join(
            str(address[k]) for k in ("city", "state_province") if address.get(k) is not None
        )
        lat, lon = record.get("latitude"), record.get("longitude")
        located = lat is not None and _coordinates_ok(lat, lon)
        reasons.append(
            "no JIS area: no tsunagari:area_code attribute, the address "
            f"({said or 'none'}) names no Japanese municipality, and "
            + (
                f"no municipal office is within {NEAREST_OFFICE_KM:g} km of its coordinates"
                if located
                else "it has no usable coordinates"
            )
        )
    elif not is_valid_area_code(area) or area not in areas:
        reasons.append(f"area code {area} is not a known JIS area")
    if not _coordinates_ok(record.get("latitude"), record.get("longitude")):
        reasons.append("latitude/longitude are out of range or incomplete")
    return "; ".join(reasons) or None


def _coordinates_ok(lat: Any, lon: Any) -> bool:
    if lat is None or lon is None:
        return lat is None and lon is None
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and not isinstance(lat, bool)
        and not isinstance(lon, bool)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


def _service_row(
    record: Mapping[str, Any],
    values: Mapping[str, Any],
    owner: str,
    links: Mapping[str, list[str]],
    tags: list[str],
) -> dict[str, Any]:
    svc_id = str(record["id"])
    return {
        "id": svc_id,
        "organisation_id": owner,
        "name": _text(record.get("name")),
        "description": _text(record.get("description")),
        "mode": values.get("service_mode", ServiceMode.SUPPORT.value),
        "age_min": record.get("minimum_age"),
        "age_max": record.get("maximum_age"),
        "languages": [x for x in (values.get("languages") or "ja").split(",") if x],
        "schedule": values.get("schedule"),
        "accepts_referrals": values.get("accepts_referrals", "true") == "true",
        "response_target_hours": int(values.get("response_target_hours") or 72),
        "capacity_status": values.get("capacity_status", CapacityStatus.AVAILABLE.value),
        "active": (record.get("status") or "active") == "active",
        "location_ids": sorted(links.get(svc_id, [])),
        "tags": sorted(set(tags)),
    }


def _service_problem(
    record: Mapping[str, Any],
    values: Mapping[str, Any],
    owner_ok: bool,
    tags: list[str],
    tag_codes: set[str],
) -> str | None:
    if not owner_ok:
        return f"organization_id {record.get('organization_id')} is not a valid organization"
    if not _text(record.get("name")):
        return "name is required"
    for column in ("minimum_age", "maximum_age"):
        age = record.get(column)
        if age is not None and (
            not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= 120
        ):
            return f"{column} must be a whole number from 0 to 120"
    hours = values.get("response_target_hours")
    text = str(hours)
    if hours is not None and not (
        isinstance(hours, str | int)
        and text.isascii()
        and text.isdigit()
        and len(text) <= 3  # before int(): "²" is a digit, and 5,000 digits are slow
        and 1 <= int(text) <= 720
    ):
        return "response_target_hours must be 1 to 720"
    if not isinstance(values.get("languages") or "", str):
        return "languages must be text (codes separated by commas)"
    unknown = sorted(set(tags) - tag_codes)
    if unknown:
        return f"unknown taxonomy terms: {', '.join(unknown)}"
    return None


def _partner(value: Any) -> dict[str, Any] | None:
    try:
        data = json.loads(value)
        if not isinstance(data, dict):
            return None
        since = data.get("since")
        if since is not None:
            date.fromisoformat(since)
        return {
            "b": str(data["partner"]),
            "since": since,
            "shares_data": bool(data.get("sharesData")),
        }
    except (TypeError, ValueError, KeyError, RecursionError):
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
