"""A consent in plain words, as the guardian reads it on screen and on the printed form.

Pure: it words what the counsellor entered (the same values recordConsent receives) in
the active language; it decides nothing. The API validates the consent itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from referral_hub.web.labels import CATEGORIES, ORGANISATION_KINDS, PURPOSES


def _listed(codes: Sequence[str], words: Mapping[str, Any]) -> str:
    names = [str(words.get(code, code)) for code in codes]
    if not names:
        return _("(nothing chosen)")
    return _(", ").join(names)


def sentence(
    consent: Mapping[str, Any],
    *,
    organisation: str,
    area_name: str | None = None,
    named_organisations: Sequence[str] = (),
) -> str:
    """One paragraph: who agrees, that whom may share what with whom, why, and for how long."""
    who = _who(consent)
    kinds = _listed(consent.get("organisationKinds") or [], ORGANISATION_KINDS)
    if named_organisations:
        recipients = _listed(list(named_organisations), {})
    elif area_name:
        recipients = _("%(kinds)s in %(area)s") % {"kinds": kinds, "area": area_name}
    else:
        recipients = kinds
    return _agreement(consent.get("givenBy")) % {
        "who": who,
        "organisation": organisation,
        "categories": _listed(consent.get("categories") or [], CATEGORIES),
        "recipients": recipients,
        "purposes": _listed(consent.get("purposes") or [], PURPOSES),
        "start": consent.get("validFrom") or _("today"),
        "end": consent.get("validUntil") or "—",
    }


_APPOINTMENTS = {
    "GUARDIANSHIP": _lazy("guardian of an adult (成年後見人)"),
    "CURATORSHIP": _lazy("curator (保佐人)"),
    "ASSISTANCE": _lazy("assistant (補助人)"),
}


def _who(consent: Mapping[str, Any]) -> str:
    """Who agrees: a parent, a legally appointed guardian under their appointment, or I."""
    given_by = consent.get("givenBy")
    if given_by == "GUARDIAN":
        relation = consent.get("guardianRelationship") or ""
        if relation:
            return _("I, the guardian (%(relation)s),") % {"relation": relation}
        return _("I, the guardian,")
    if given_by == "LEGAL_GUARDIAN":
        appointment = _APPOINTMENTS.get(consent.get("guardianshipType") or "")
        if appointment:
            return _("I, the court-appointed %(appointment)s,") % {"appointment": appointment}
        return _("I, the court-appointed guardian,")
    return _("I")


def _agreement(given_by: str | None) -> str:
    """The sentence's frame: about the child (a parent), the person (a legal guardian), me."""
    if given_by == "GUARDIAN":
        return _(
            "%(who)s agree that %(organisation)s may share the following about the child: "
            "%(categories)s, with %(recipients)s, for %(purposes)s, from %(start)s until "
            "%(end)s. I can withdraw this consent at any time; the sharing then stops at once."
        )
    if given_by == "LEGAL_GUARDIAN":
        return _(
            "%(who)s agree that %(organisation)s may share the following about the person I "
            "act for: %(categories)s, with %(recipients)s, for %(purposes)s, from %(start)s "
            "until %(end)s. I can withdraw this consent at any time; the sharing then stops "
            "at once."
        )
    return _(
        "%(who)s agree that %(organisation)s may share the following about me: "
        "%(categories)s, with %(recipients)s, for %(purposes)s, from %(start)s until "
        "%(end)s. I can withdraw this consent at any time; the sharing then stops at once."
    )
