"""What an organisation's admin may import: their own organisation's services and
locations, nothing else. Pure; the caller reads the owners of the ids from the graph.

The command-line import (`manage.py import_hsds`) is the operator's and writes whatever a
valid file holds. An admin's upload is narrower, because a file is only a claim:
- another organisation's record, or a service or location the graph holds for another
  organisation, is refused (an id is no proof of ownership, and MERGE on an id would
  otherwise rewrite someone else's record);
- the organisation record itself is never written — its kind and area decide which
  consents reach it, and those change only through the directory's own checks
  (updateOrganisation), not through a file;
- tags are the network's shared vocabulary: a service may use the tags the hub has, and
  a file's new terms are refused rather than added;
- partnerships are proposed and accepted between the two organisations, not imported;
- each service and location meets the rules createService and createLocation apply
  (lengths, languages, postal code, age order, at most 30 tags and 50 locations, no
  control characters), and is written as those rules clean it (hsds/checks.py: the plan
  applies them to every import; they are applied again here to what the scope keeps).
A record refused here takes the records that depend on it with it, as in plan_import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import replace
from typing import Any

from referral_hub.directory.hsds import ImportPlan, Problem
from referral_hub.directory.hsds.checks import location_rules, service_rules

OTHER_ORGANISATION = "belongs to another organisation; you import only your own records"


def scope_to_organisation(
    plan: ImportPlan,
    *,
    organisation_id: str,
    holders: Mapping[str, Mapping[str, Sequence[str]]],
    known_tags: Set[str],
) -> ImportPlan:
    """The part of `plan` an admin of `organisation_id` may write. `holders["services"]`
    and `holders["locations"]` map each id the graph already has to the organisations
    holding it: a record is ours only if it is new, or held by us alone."""
    scope = _Scope(plan, organisation_id, holders, known_tags)
    scope.organisation_records()
    scope.new_tags()
    scope.partnerships()
    locations = scope.locations()
    services = scope.services(locations)
    return replace(
        plan,
        tags=[],
        organisations=[],
        partnerships=[],
        locations=locations,
        services=services,
        problems=scope.problems,
        warnings=scope.warnings,
    )


class _Scope:
    """The steps of scope_to_organisation, each refusing or noting what it must."""

    def __init__(
        self,
        plan: ImportPlan,
        organisation_id: str,
        holders: Mapping[str, Mapping[str, Sequence[str]]],
        known_tags: Set[str],
    ) -> None:
        self.plan, self.organisation_id = plan, organisation_id
        self.holders, self.known_tags = holders, known_tags
        self.problems = list(plan.problems)
        self.warnings = list(plan.warnings)

    def refuse(self, table: str, record_id: str, message: str) -> None:
        self.problems.append(Problem(table, record_id, 0, message))

    def note(self, message: str) -> None:
        self.warnings.append(Problem("organization", self.organisation_id, 0, message))

    def ours(self, kind: str, record: Mapping[str, object]) -> bool:
        held = self.holders.get(kind, {}).get(str(record["id"]))
        return str(record["organisation_id"]) == self.organisation_id and (
            held is None or set(held) == {self.organisation_id}
        )

    def organisation_records(self) -> None:
        for organisation in self.plan.organisations:
            if organisation["id"] != self.organisation_id:
                self.refuse("organization", organisation["id"], OTHER_ORGANISATION)
            else:
                self.note("your organisation's own details are not changed by an import")

    def new_tags(self) -> None:
        for tag in self.plan.tags:
            if tag["code"] not in self.known_tags:
                self.refuse(
                    "taxonomy_term", tag["code"], "a new tag; the hub's coordinator adds tags"
                )

    def partnerships(self) -> None:
        if self.plan.partnerships:
            self.note(
                f"{len(self.plan.partnerships)} partnership(s) not imported: they are "
                "proposed and accepted on the partners page"
            )

    def locations(self) -> list[dict[str, Any]]:
        kept = []
        for location in self.plan.locations:
            broken = location_rules(location)
            if not self.ours("locations", location):
                self.refuse("location", location["id"], OTHER_ORGANISATION)
            elif broken:
                self.refuse("location", location["id"], broken)
            else:
                kept.append(location)
        return kept

    def services(self, locations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        usable = {location["id"] for location in locations} | {
            location_id
            for location_id, held in self.holders.get("locations", {}).items()
            if set(held) == {self.organisation_id}
        }
        kept = []
        for service in self.plan.services:
            refusal = self.service_refusal(service, usable)
            if refusal:
                self.refuse("service", service["id"], refusal)
            else:
                kept.append(service)
        return kept

    def service_refusal(self, service: dict[str, Any], usable: Set[str]) -> str | None:
        unknown = sorted(set(service["tags"]) - self.known_tags)
        foreign = sorted(set(service["location_ids"]) - usable)
        broken = service_rules(service)
        if not self.ours("services", service):
            return OTHER_ORGANISATION
        if broken:
            return broken
        if unknown:
            return f"tags the hub does not have: {', '.join(unknown)}"
        if foreign:
            return f"at locations that are not your organisation's: {', '.join(foreign)}"
        return None
