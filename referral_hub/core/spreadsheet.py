"""Cells for the CSV downloads (pure): text a spreadsheet would run as a formula is
quoted with a leading apostrophe (OWASP: CSV injection); numbers stay numbers."""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    text = str(value)
    if text[:1] in _FORMULA_STARTS and not isinstance(value, int | float):
        return "'" + text
    return text
