"""A subject's personal fields and the consent category each needs. Pure data.

The service checks a read against these (subjects/services.py), and the pages use the
same table to tell a receiver why a field is not shown to them.
"""

from __future__ import annotations

from referral_hub.consent.policy import DataCategory

# Which consent category each personal field needs when another organisation reads it.
FIELD_CATEGORIES: dict[str, DataCategory] = {
    "name": DataCategory.CONTACT,
    "nameKana": DataCategory.CONTACT,
    "contact": DataCategory.CONTACT,
    "guardianName": DataCategory.FAMILY,
    "notes": DataCategory.NOTES,
}
PERSONAL_FIELDS = tuple(FIELD_CATEGORIES)
# The fields a read's audit event names: the personal ones, and the subject's own choices
# (what not to mention is about the person even though no category gates the rest).
AUDITED_FIELDS = (*PERSONAL_FIELDS, "preference", "preferenceHistory")
