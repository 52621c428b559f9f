"""Characters no input may hold: control characters and lone surrogates.

Checked at the edge, on every string a request carries (variables and literals in the
document), before validation and execution. Tab, line feed and carriage return stay
allowed (multi-line text); every other C0 control, DEL, every C1 control and lone
UTF-16 surrogates (which JSON can encode but no text can hold) are refused. U+001F, the
audit log's field separator, is among them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, StringValueNode, visit
from graphql.language import Visitor

from referral_hub.core.validation import CONTROL_CHARACTERS

FORBIDDEN = CONTROL_CHARACTERS


def bad_variable(variables: Any, path: str = "") -> str | None:
    """The path of the first variable string holding a forbidden character, else None."""
    for where, text in _strings(variables, path):
        if FORBIDDEN.search(text):
            return where or "variables"
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, path)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def bad_literal(document: DocumentNode) -> bool:
    """Does a string literal in the document hold a forbidden character?"""
    found: list[bool] = []

    class Finder(Visitor):
        def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
            if FORBIDDEN.search(node.value):
                found.append(True)

    visit(document, Finder())
    return bool(found)
