"""The coordinator's pages: the network map (organisations, partnerships and protected
flows drawn in the browser), coverage (どこも / どこか, the area × tag table, gaps and the
places around a gap), flows (perturbed aggregates, with CSV) and routes (chains of
partnerships to a need). Named GraphQL documents run as the signed-in person; the API
decides whose area may be asked and publishes only protected figures."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from referral_hub.web import coordinator_forms, gates, operations, presenters
from referral_hub.web.operations import Answer, FieldError
from referral_hub.web.views import download, refused

AGGREGATE_ROLES = frozenset({"COORDINATOR", "AUDITOR"})

# The map's colour for each kind of organisation (the legend and the drawing read this one
# table); each is at least 3:1 against the white map, as WCAG asks of graphics.
KIND_COLOURS = {
    "SCHOOL": "#1d70b8",
    "WELFARE_OFFICE": "#b3261e",
    "PLACE": "#1b6b3a",
    "NPO": "#6f3c97",
    "MUNICIPALITY": "#505a5f",
    "SOCIAL_WELFARE_COUNCIL": "#a35200",
    "HEALTH": "#00707a",
    "COMPREHENSIVE_SUPPORT_CENTRE": "#8a1c5a",
    "CARE_MANAGEMENT_OFFICE": "#5c4a00",
}
OTHER_COLOUR = "#505a5f"
# Shapes by how an organisation meets people: open exchange-type places, support, or both.
MODE_SHAPES = {"EXCHANGE": "ellipse", "SUPPORT": "round-rectangle", "BOTH": "diamond"}
MAP_MONTHS = 12


def _form_errors() -> dict[str, str]:
    return {
        "area": _("An area code is six digits, like 141305."),
        "months": _("Give a whole number of months from 1 to 24."),
        "month": _("Give a month as YYYY-MM."),
        "by": _("Choose a grouping."),
        "organisation": _("An organisation id is a UUID."),
        "need": _("Choose a need."),
        "hops": _("Choose from 1 to 4 partnerships."),
    }


def _read_errors(errors: dict[str, str]) -> dict[str, FieldError]:
    return operations.form_errors(errors, _form_errors())


def _me(request: HttpRequest) -> Answer:
    return operations.run(request, "Me")  # answered from the session: no database work


def _aggregate_reader(request: HttpRequest) -> Answer | HttpResponse:
    """Who is signed in, when it is a coordinator or an auditor; otherwise the page that
    refuses (the API would refuse the aggregate too: this is the page's own 403)."""
    return gates.person_with(
        request, AGGREGATE_ROLES, _("This page is for coordinators and auditors.")
    )


def _open_on_own_area(request: HttpRequest, me: Answer, page: str) -> HttpResponse:
    """A page asked for without an area opens on the person's own organisation's."""
    area = _own_area(request, me)
    if isinstance(area, HttpResponse):
        return area
    return redirect(f"{reverse(page)}?{urlencode({'area': area})}")


def _own_area(request: HttpRequest, me: Answer) -> str | HttpResponse:
    """The area of the organisation the person acts for: where the pages open."""
    organisation_id = me.data["me"].get("organisationId") or ""
    own = operations.run(request, "OwnArea", {"organisationId": organisation_id})
    if own.refused is not None:
        return refused(request, own.refused)
    area = (own.data.get("organisation") or {}).get("areaCode")
    if not area:
        return refused(
            request,
            FieldError(None, "FORBIDDEN", _("Your organisation has no area to look at.")),
        )
    return str(area)


def _field_refusal(refusal: FieldError, fields: tuple[str, ...]) -> bool:
    """A refusal about one of the form's fields is shown beside it; a refusal of the
    request as a whole (not your area, not signed in, the graph away) is its own page."""
    return refusal.code != "FORBIDDEN" and refusal.field in fields


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    me = _aggregate_reader(request)
    if isinstance(me, HttpResponse):
        return me
    form = coordinator_forms.read_coverage(request.GET)
    errors = _read_errors(form.errors)
    if not errors and form.variables["area"] is None:
        return _open_on_own_area(request, me, "web:coverage")
    answer = None if errors else operations.run(request, "Coverage", form.variables)
    if answer is not None and answer.refused is not None:
        if not _field_refusal(answer.refused, ("area", "months")):
            return refused(request, answer.refused)
        errors[answer.refused.field or "area"] = answer.refused
        answer = None
    data = answer.data if answer is not None else {}
    found = data.get("coverage")
    return render(
        request,
        "web/coverage.html",
        {
            "nav": "coverage",
            "me": me.data["me"],
            "area": data.get("area"),
            "coverage": found,
            "months": request.GET.get("months") or coordinator_forms.COVERAGE_MONTHS,
            "rows": coordinator_forms.coverage_rows(found, data["tags"]) if found else [],
            "concerns": coordinator_forms.concern_rows(found, data["tags"]) if found else [],
            "concern_gaps": coordinator_forms.concern_gap_rows(found, data["tags"])
            if found
            else [],
            "somewhere": coordinator_forms.somewhere_rows(found) if found else [],
            "filters": request.GET,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
@require_GET
def coverage_gap(request: HttpRequest) -> HttpResponse:
    """Places for a tag in the area around a gap: `area` is where to look (the gap's
    parent), `gap` the sub-area (or area) that has none."""
    me = _aggregate_reader(request)
    if isinstance(me, HttpResponse):
        return me
    errors: dict[str, str] = {}
    area = coordinator_forms.read_area(request.GET, errors)
    gap = coordinator_forms.read_area({"area": request.GET.get("gap", "")}, errors) or area
    tag = request.GET.get("tag", "").strip()
    if area is None or not tag or errors:
        choose = _("Choose a gap on the coverage page.")
        return refused(request, FieldError("area", "INVALID", choose))
    answer = operations.run(request, "CoverageGap", {"area": area, "gap": gap, "tag": tag})
    if answer.refused is not None:
        return refused(request, answer.refused, back=reverse("web:coverage"))
    # An unknown tag was refused by the API (UNKNOWN_TAG) before this point.
    tags = {t["code"]: t for t in answer.data["tags"]}
    return render(
        request,
        "web/coverage_gap.html",
        {
            "nav": "coverage",
            "me": me.data["me"],
            "area": answer.data["area"],
            "gap": answer.data["gap"],
            "more": answer.data["services"]["pageInfo"]["hasNextPage"],
            "tag": tags.get(tag, {"code": tag}),
            "services": presenters.nodes(answer.data["services"]),
        },
    )


@login_required
@require_GET
def flows(request: HttpRequest) -> HttpResponse:
    me = _aggregate_reader(request)
    if isinstance(me, HttpResponse):
        return me
    form = coordinator_forms.read_flows(request.GET, timezone.localdate())
    errors = _read_errors(form.errors)
    if not errors and form.variables["area"] is None:
        return _open_on_own_area(request, me, "web:flows")
    answer = None if errors else operations.run(request, "Flows", form.variables)
    if answer is not None and answer.refused is not None:
        if not _field_refusal(answer.refused, ("area", "since", "until", "period")):
            return refused(request, answer.refused)
        field = {"since": "from", "until": "to", "period": "to"}.get(
            answer.refused.field or "", answer.refused.field or "area"
        )
        errors[field] = answer.refused
        answer = None
    found = answer.data["flows"] if answer is not None else None
    if found is not None and request.GET.get("format") == "csv":
        return _csv(found, form.variables["area"], form.shown)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "web/flows.html",
        {
            "nav": "flows",
            "me": me.data["me"],
            "area": answer.data["area"] if answer is not None else None,
            "flows": found,
            "filters": request.GET,
            "period": form.shown,
            "query": query.urlencode(),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _csv(found: dict[str, Any], area: str, months: dict[str, str]) -> HttpResponse:
    name = f"flows-{area}-{months['from']}-{months['to']}.csv"  # both months included
    body = coordinator_forms.flows_csv(found["cells"])
    return download(body, name, "text/csv; charset=utf-8")


@login_required
@require_GET
def routes(request: HttpRequest) -> HttpResponse:
    """Any signed-in person may ask for routes (partnerships are public directory data);
    they start from the person's own organisation unless another is named."""
    me = _me(request)
    if me.refused is not None:
        return refused(request, me.refused)
    form = coordinator_forms.read_routes(request.GET)
    errors = _read_errors(form.errors)
    variables = dict(form.variables)
    if variables["fromOrganisation"] is None:
        variables["fromOrganisation"] = me.data["me"].get("organisationId")
    answer = None
    if not errors and variables["need"] and variables["fromOrganisation"]:
        answer = operations.run(request, "Routes", variables)
        if answer.refused is not None:
            fields = {"fromOrganisation": "from", "need": "need", "maxHops": "hops"}
            if answer.refused.field not in fields:
                return refused(request, answer.refused)
            errors[fields[answer.refused.field or ""]] = answer.refused
            answer = None
    if answer is None:
        answer = operations.run(request, "NeedTags")
        if answer.refused is not None:
            return refused(request, answer.refused)
    return render(
        request,
        "web/routes.html",
        {
            "nav": "routes",
            "me": me.data["me"],
            "origin": answer.data.get("organisation"),
            "tags": answer.data["tags"],
            "routes": answer.data.get("routes"),
            "filters": request.GET,
            "need": variables["need"],
            "hops": variables["maxHops"] or 3,
            "hop_choices": range(1, 5),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
@require_GET
def network_map(request: HttpRequest) -> HttpResponse:
    """The area's organisations as nodes (colour: kind; shape: exchange / support),
    partnerships as edges, protected referral flows as weighted arrows; drawn in the
    browser by Cytoscape.js (served by the hub) from the JSON on the page."""
    me = _aggregate_reader(request)
    if isinstance(me, HttpResponse):
        return me
    errors: dict[str, str] = {}
    area = coordinator_forms.read_area(request.GET, errors)
    if errors:
        return refused(request, _read_errors(errors)["area"])
    if area is None:
        return _open_on_own_area(request, me, "web:network")
    answer = operations.run(request, "NetworkMap", {"area": area, "months": MAP_MONTHS})
    if answer.refused is not None:
        return refused(request, answer.refused)
    found = answer.data["networkMap"]
    organisations = _rows(found["organisations"])
    flows = _rows(found["flows"])
    tags = {t["code"]: t for t in answer.data["tags"]}
    used = sorted({code for o in organisations for code in o["tags"]})
    names = {o["ids"]: o["names"] for o in organisations}
    return render(
        request,
        "web/network.html",
        {
            "nav": "network",
            "me": me.data["me"],
            "area": answer.data["area"],
            "map": found,
            "counts": {
                "organisations": len(organisations),
                "partnerships": len(found["partnerships"]["sources"]),
            },
            "drawing": _drawing(organisations, found["partnerships"], flows),
            "tags": [tags.get(code, {"code": code}) for code in used],
            "kinds": [
                (kind, count, KIND_COLOURS.get(kind, OTHER_COLOUR))
                for kind, count in Counter(found["organisations"]["kinds"]).most_common()
            ],
            "flows": [
                {
                    "source_name": names[flow["sources"]],
                    "target_name": names[flow["targets"]],
                    "referrals": flow["referrals"],
                }
                for flow in flows
            ],
        },
    )


def _rows(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The API's column-oriented lists as one dict per entry, keyed by column name."""
    keys = list(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _drawing(
    organisations: list[dict[str, Any]], partnerships: dict[str, list[str]], flows: list[dict]
) -> dict[str, Any]:
    """What the page's script draws: plain JSON, in the page as data (never as script)."""

    def shape(modes: list[str]) -> str:
        if len(modes) > 1:
            return MODE_SHAPES["BOTH"]
        return MODE_SHAPES.get(modes[0], "triangle") if modes else "triangle"

    return {
        "nodes": [
            {
                "id": o["ids"],
                "name": o["names"],
                "kind": o["kinds"],
                "lat": o["latitudes"],
                "lon": o["longitudes"],
                "colour": KIND_COLOURS.get(o["kinds"], OTHER_COLOUR),
                "shape": shape(o["modes"]),
                "tags": o["tags"],
            }
            for o in organisations
        ],
        "partnerships": [
            list(pair)
            for pair in zip(partnerships["sources"], partnerships["targets"], strict=True)
        ],
        "flows": [[f["sources"], f["targets"], f["referrals"]] for f in flows],
        "detail": reverse("web:network-organisation", args=[UUID(int=0)]),
    }


@login_required
@require_GET
def map_organisation(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    """One node's services and partners: an htmx fragment beside the map."""
    me = _aggregate_reader(request)
    if isinstance(me, HttpResponse):
        return me
    answer = operations.run(request, "MapOrganisation", {"id": str(organisation_id)})
    if answer.refused is not None:
        return refused(request, answer.refused)
    if answer.data.get("organisation") is None:
        return refused(request, FieldError("id", "NOT_FOUND", _("There is no such organisation.")))
    return render(
        request, "web/map_organisation.html", {"organisation": answer.data["organisation"]}
    )
