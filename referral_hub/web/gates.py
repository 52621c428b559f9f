"""Who a page is for, decided once per page from the `Me` document (answered from the
session, no database work) before any action. The API refuses the same people again on
every document the page runs; this is the page's own 403, said in its own words."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from referral_hub.web import operations
from referral_hub.web.operations import Answer, FieldError
from referral_hub.web.views import refused

ADMIN_ROLES = frozenset({"ORG_ADMIN", "SYSTEM_ADMIN"})


def person_with(
    request: HttpRequest, roles: frozenset[str], refusal: str, *, for_organisation: bool = False
) -> Answer | HttpResponse:
    """The signed-in person (the `Me` answer) when they hold one of `roles` — and, with
    `for_organisation`, act for an organisation; otherwise the page saying `refusal`."""
    me = operations.run(request, "Me")
    if me.refused is not None:
        return refused(request, me.refused)
    person = me.data["me"]
    if not roles & set(person["roles"] or ()) or (
        for_organisation and not person["organisationId"]
    ):
        return refused(request, FieldError(None, "FORBIDDEN", refusal))
    return me


def organisation_admin(request: HttpRequest) -> Answer | HttpResponse:
    """The signed-in admin acting for an organisation, or the page that refuses."""
    return person_with(
        request,
        ADMIN_ROLES,
        _("This page is for organisation admins."),
        for_organisation=True,
    )
