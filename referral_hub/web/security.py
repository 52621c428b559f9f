"""The Content-Security-Policy every answer carries.

Scripts and styles come from the hub itself and nowhere else: no inline script, no
`eval`, no other host (municipal networks are often closed, and a page that cannot load
a foreign script cannot be made to run one). GraphiQL's editor sets styles from script,
so its page alone allows inline styles; scripts stay 'self' there too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_COMMON = (
    "default-src 'self'",
    "script-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
PAGES = "; ".join((*_COMMON, "style-src 'self'"))
GRAPHIQL = "; ".join((*_COMMON, "style-src 'self' 'unsafe-inline'"))


def policy_for(path: str) -> str:
    return GRAPHIQL if path.rstrip("/") == "/graphql" else PAGES


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for(request.path))
        return response
