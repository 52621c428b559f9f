"""A person's language: chosen on the pages, used for the pages and for their e-mail."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from referral_hub.accounts.models import Preference

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def language_of(user: Any) -> str:
    """The user's chosen language, or the hub's default (Japanese)."""
    chosen = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    return chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE


def remember(user: Any, language: str) -> None:
    if language in SUPPORTED:
        Preference.objects.update_or_create(user=user, defaults={"language": language})
