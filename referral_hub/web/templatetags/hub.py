"""Template filters for the pages: codes in words, and the API's ISO times in Japan time."""

from __future__ import annotations

import uuid
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from referral_hub.web.labels import label as label_for

register = template.Library()


@register.filter
def label(code: object, kind: str) -> str:
    return label_for(kind, code)


@register.filter
def is_uuid(value: object) -> bool:
    """Whether an id from the log can name a page (a `<uuid:…>` URL): old events may hold
    whatever a caller once sent."""
    try:
        return str(uuid.UUID(str(value))) == value
    except ValueError:
        return False


@register.filter
def when(value: str | None) -> datetime | None:
    """An ISO 8601 string from the API as an aware datetime in the site's time zone."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def getlist(querydict: object, key: str) -> list:
    getter = getattr(querydict, "getlist", None)
    return list(getter(key)) if getter else []


@register.filter
def localized(item: object, name: str) -> str:
    """`name` in the reader's language: `labelEn`/`nameEn` in English (when there is one),
    `labelJa`/`name` otherwise. `{{ tag|localized:"label" }}`, `{{ area|localized:"name" }}`."""
    if not isinstance(item, dict):
        return ""
    japanese = item.get(f"{name}Ja", item.get(name))
    english = item.get(f"{name}En") if get_language() == "en" else None
    return str(english or japanese or item.get("code") or "")
