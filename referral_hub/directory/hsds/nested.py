"""The nested objects an HSDS 3.0 API answers with (organization_full, service_list, …)
flattened into the tables the importer reads: each nested object becomes a row of its own
table, and the nesting becomes the foreign key HSDS's tables would hold.

`organization.services[0]` becomes a `service` row whose `organization_id` is the
organisation's; `service.organization` (one object) gives the service its
`organization_id`; an `attributes` list links each attribute to the object holding it.
"""

from __future__ import annotations

from typing import Any

Tables = dict[str, list[dict[str, Any]]]

# (table, key) → the table a nested list's objects belong to.
_LISTS: dict[str, str] = {
    "services": "service",
    "locations": "location",
    "phones": "phone",
    "contacts": "contact",
    "programs": "program",
    "funding": "funding",
    "organization_identifiers": "organization_identifier",
    "schedules": "schedule",
    "service_areas": "service_area",
    "service_at_locations": "service_at_location",
    "languages": "language",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "addresses": "address",
    "accessibility": "accessibility",
    "attributes": "attribute",
    "metadata": "metadata",
}
# (key → table, column): one nested object, referred to by the holder's column.
_OBJECTS: dict[str, tuple[str, str]] = {
    "organization": ("organization", "organization_id"),
    "program": ("program", "program_id"),
    "location": ("location", "location_id"),
    "service": ("service", "service_id"),
    "taxonomy_term": ("taxonomy_term", "taxonomy_term_id"),
    "taxonomy_detail": ("taxonomy", "taxonomy_id"),
}
# A page of an HSDS API list (organization_list, service_list …): its records are here.
_PAGE = "contents"


def flatten(document: Any) -> Tables:
    """Raises ValueError when the document holds no HSDS object the hub can recognise."""
    records = document.get(_PAGE) if isinstance(document, dict) else document
    if isinstance(document, dict) and _PAGE not in document:
        records = [document]
    if not isinstance(records, list) or not records:
        raise ValueError("expected HSDS tables, or HSDS objects (alone or as a list page)")
    tables: Tables = {}
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        table = _kind(record) if isinstance(record, dict) else None
        if table is None:
            raise ValueError(
                "expected HSDS tables, or HSDS objects (organization, service, location, "
                "service_at_location, taxonomy, taxonomy_term)"
            )
        _add(tables, seen, table, record)
    return tables


def _kind(record: dict[str, Any]) -> str | None:
    """Which HSDS object a top-level record is, from the fields only it has."""
    keys = record.keys()
    if "id" not in keys:
        return None
    if {"service", "location"} & keys and "organization_id" not in keys and "name" not in keys:
        return "service_at_location"
    if "location_type" in keys:
        return "location"
    if "status" in keys and "name" in keys:
        return "service"
    if {"taxonomy", "taxonomy_detail", "code", "parent_id", "term_uri"} & keys:
        return "taxonomy_term"
    if {"services", "programs", "website", "year_incorporated", "legal_status"} & keys:
        return "organization"
    if {"version", "uri"} & keys and {"name", "description"} <= keys:
        return "taxonomy"
    if {"name", "description"} <= keys:
        return "organization"
    return None


def _add(
    tables: Tables, seen: dict[tuple[str, str], dict[str, Any]], table: str, record: dict[str, Any]
) -> None:
    row: dict[str, Any] = {}
    children: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for key, value in record.items():
        if key in _LISTS and isinstance(value, list):
            child_table = _LISTS[key]
            link = _link(table, child_table, record.get("id"))
            children += [(child_table, child, link) for child in value if isinstance(child, dict)]
        elif key in _OBJECTS and isinstance(value, dict):
            child_table, column = _OBJECTS[key]
            row.setdefault(column, value.get("id"))
            children.append((child_table, value, {}))
        else:
            row[key] = value
    record_id = row.get("id")
    twin = seen.get((table, record_id)) if isinstance(record_id, str) else None
    if twin is not None:
        # The same object nested twice (a service's organisation, and the organisation of
        # the service at one of its locations) is one row: what either copy says, first wins.
        for key, value in row.items():
            twin.setdefault(key, value)
    else:
        tables.setdefault(table, []).append(row)
        if isinstance(record_id, str):
            seen[(table, record_id)] = row
    for child_table, child, link in children:
        _add(tables, seen, child_table, {**link, **child})


def _link(holder: str, child: str, holder_id: Any) -> dict[str, Any]:
    """What a nested list's object takes from the object holding it."""
    if child == "attribute":
        return {"link_id": holder_id, "link_entity": holder}
    if child == "metadata":
        return {"resource_id": holder_id, "resource_type": holder}
    return {f"{holder}_id": holder_id}
