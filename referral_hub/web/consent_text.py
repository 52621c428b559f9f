"""A consent in plain words, as the guardian reads it on screen and on the printed form.

Pure: it words what the counsellor entered (the same values recordConsent receives) in
the active language; it decides nothing. The API validates the consent itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

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
    if consent.get("givenBy") == "GUARDIAN":
        relation = consent.get("guardianRelationship") or ""
        who = (
            _("I, the guardian (%(relation)s),") % {"relation": relation}
            if relation
            else (_("I, the guardian,"))
        )
    else:
        who = _("I")
    kinds = _listed(consent.get("organisationKinds") or [], ORGANISATION_KINDS)
    if named_organisations:
        recipients = _listed(list(named_organisations), {})
    elif area_name:
        recipients = _("%(kinds)s in %(area)s") % {"kinds": kinds, "area": area_name}
    else:
        recipients = kinds
    return _(
        "%(who)s agree that %(organisation)s may share the following about the child: "
        "%(categories)s, with %(recipients)s, for %(purposes)s, from %(start)s until "
        "%(end)s. I can withdraw this consent at any time; the sharing then stops at once."
    ) % {
        "who": who,
        "organisation": organisation,
        "categories": _listed(consent.get("categories") or [], CATEGORIES),
        "recipients": recipients,
        "purposes": _listed(consent.get("purposes") or [], PURPOSES),
        "start": consent.get("validFrom") or _("today"),
        "end": consent.get("validUntil") or "—",
    }
