"""The public place finder (/places/, /places/roles/, English under /places/en/): open
exchange-type places and things a person can do there, for residents, with no sign-in.

Like every page it runs named GraphQL documents through the API's entry point — as an
anonymous caller, whatever the browser sends, so the answer is the same for everyone and
the API's rate limit and cache apply. The page is a plain GET form: no script, no cookie
(web/security.py's PublicPagesMiddleware drops any a middleware would set), its own
stylesheet, a strict Content-Security-Policy, `Referrer-Policy: no-referrer`, and
`Cache-Control: public` for the time the API keeps its answer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from referral_hub.web import operations, places_form
from referral_hub.web.operations import Answer, FieldError

PAGE_SIZE = 10
# The URL names of each page in each language (the language is in the path: no cookie).
URL_NAMES = {
    ("places", "ja"): "web:places",
    ("places", "en"): "web:places-en",
    ("roles", "ja"): "web:places-roles",
    ("roles", "en"): "web:places-roles-en",
}
_STATUS = {"RATE_LIMITED": 429, "GRAPH_UNAVAILABLE": 503, "INTERNAL_ERROR": 500}


def _anonymous(request: HttpRequest) -> HttpRequest:
    """The request as the API should see it: no session, no token, only the address the
    rate limit counts by (and the request id for the logs)."""
    anonymous = HttpRequest()
    anonymous.method = "GET"
    anonymous.path = request.path
    anonymous.META = {
        name: request.META[name]
        for name in ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR")
        if name in request.META
    }
    anonymous.user = AnonymousUser()
    anonymous.request_id = getattr(request, "request_id", None)  # type: ignore[attr-defined]
    return anonymous


def _choices(request: HttpRequest) -> Answer:
    return operations.run(request, "PublicFinderChoices")


def _places(request: HttpRequest, variables: dict[str, Any]) -> Answer:
    return operations.run(request, "PublicPlaces", variables)


def _roles(request: HttpRequest, variables: dict[str, Any]) -> Answer:
    return operations.run(request, "PublicOpportunities", variables)


def _message(error: FieldError) -> str:
    """The API's refusal in the page's language (its own message is English)."""
    texts = {
        "UNKNOWN_TAG": _("Some of the interests chosen are not in the list."),
        "TOO_LONG": _("Choose at most 20 interests."),
        "INVALID_AREA_CODE": _("That area is not in the list."),
        "UNKNOWN_AREA": _("That area is not in the list."),
        "INVALID_RADIUS": _("Choose a distance of at most 50 km."),
        "INVALID_COORDINATES": _("The position of that place could not be read."),
        "CONFLICTING_FILTERS": _("Search by an area or near a place, not both."),
        "INVALID_CURSOR": _("That page could not be found; start the search again."),
        "INVALID_PAGE_SIZE": _("That page could not be found; start the search again."),
        "RATE_LIMITED": _("Too many searches from this connection; wait a minute and try again."),
        "GRAPH_UNAVAILABLE": _("The search is not available just now; try again shortly."),
    }
    return texts.get(error.code, _("The search could not be done."))


def _form_messages(errors: dict[str, str]) -> dict[str, FieldError]:
    texts = {
        "not_a_number": _("Give the distance and the position as numbers."),
        "no_office": _("This area has no office position; search in the area instead."),
    }
    return operations.form_errors(errors, texts)


def _links(what: str, language: str, request: HttpRequest) -> dict[str, str]:
    """The other language and the other list, keeping the search (never a cursor across)."""
    other = "en" if language == "ja" else "ja"
    query = request.GET.copy()
    query.pop("after", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "other_language": reverse(URL_NAMES[(what, other)]) + suffix,
        "other_language_code": other,
        "places": reverse(URL_NAMES[("places", language)]) + suffix,
        "roles": reverse(URL_NAMES[("roles", language)]) + suffix,
        "this": reverse(URL_NAMES[(what, language)]),
        "restart": reverse(URL_NAMES[(what, language)]) + suffix,
    }


def _next_page(request: HttpRequest, page: dict[str, Any]) -> str | None:
    info = page.get("pageInfo") or {}
    if not info.get("hasNextPage"):
        return None
    query = request.GET.copy()
    query["after"] = info["endCursor"]
    return f"?{query.urlencode()}"


def _with_near_links(results: list[dict[str, Any]], form: places_form.FinderForm) -> None:
    """Each result with a position links to a search around it, with the same interests."""
    for item in results:
        if item.get("latitude") is not None and item.get("longitude") is not None:
            pairs = [("tag", tag) for tag in form.tags]
            pairs += [("lat", f"{item['latitude']:.6f}"), ("lon", f"{item['longitude']:.6f}")]
            item["near_url"] = f"?{urlencode(pairs)}"


def _respond(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    response = render(request, "web/places/finder.html", context, status=status)
    response["Content-Language"] = context["language"]
    response["Referrer-Policy"] = "no-referrer"
    if status == 200:
        response["Cache-Control"] = f"public, max-age={settings.HUB_PUBLIC_CACHE_SECONDS}"
    else:
        response["Cache-Control"] = "no-store"
        if status == 429:
            response["Retry-After"] = "60"
    return response


@require_GET
def finder(request: HttpRequest, *, what: str, language: str) -> HttpResponse:
    """One page of places (`what` "places") or opportunities ("roles")."""
    with translation.override(language):
        context, status = _search(request, what=what, language=language)
        return _respond(request, context, status)


def _search(request: HttpRequest, *, what: str, language: str) -> tuple[dict[str, Any], int]:
    api = _anonymous(request)
    form = places_form.read(dict(request.GET.lists()))
    context: dict[str, Any] = {
        "what": what,
        "language": language,
        "form": form,
        "km_choices": places_form.KM_CHOICES,
        "links": _links(what, language, request),
    }
    choices = _choices(api)
    if choices.refused is not None:
        context["refusal"] = _message(choices.refused)
        return context, _STATUS.get(choices.refused.code, 400)
    offered = choices.data["publicFinderChoices"]
    areas = offered["placeAreas" if what == "places" else "opportunityAreas"]
    context.update(interest_tags=offered["interestTags"], areas=areas)
    variables, errors = places_form.variables(form, areas, first=PAGE_SIZE)
    if errors:
        context["errors"] = _form_messages(errors)
        return context, 400
    answer = (_places if what == "places" else _roles)(api, variables)
    if answer.refused is not None:
        field = answer.refused.field or "form"
        context["errors"] = {
            field: FieldError(field, answer.refused.code, _message(answer.refused))
        }
        return context, _STATUS.get(answer.refused.code, 400)
    page = answer.data["publicPlaces" if what == "places" else "publicOpportunities"]
    results = [edge["node"] for edge in page["edges"]]
    _with_near_links(results, form)
    context.update(
        results=results, next_page=_next_page(request, page), first_page=bool(form.after)
    )
    return context, 200
