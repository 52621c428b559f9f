"""The Content-Security-Policy every answer carries.

Scripts and styles come from the hub itself and nowhere else: no inline script, no
`eval`, no other host (municipal networks are often closed, and a page that cannot load
a foreign script cannot be made to run one). GraphiQL's editor sets styles from script,
so its page alone allows inline styles; scripts stay 'self' there too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from referral_hub.directory.hsds import UPLOAD_MAX_BYTES

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
# The public finder runs no script at all and connects nowhere: everything is refused
# but its own stylesheet, its icon and the form posting back to itself.
PUBLIC_PREFIX = "/places/"
PUBLIC = "; ".join(
    (
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def policy_for(path: str) -> str:
    if path.startswith(PUBLIC_PREFIX):
        return PUBLIC
    return GRAPHIQL if path.rstrip("/") == "/graphql" else PAGES


class PublicPagesMiddleware:
    """No answer under /places/ sets a cookie, whatever the middleware inside it did (a
    signed-in visitor's session refreshed, a stale session cookie deleted, a CSRF token):
    the finder promises no cookie, and its pages are the same for everyone, so nothing
    they send may vary by cookie or by the browser's language either (the language is
    in the path). Placed outside the session, CSRF and locale middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PUBLIC_PREFIX):
            response.cookies.clear()
            vary = [
                v.strip()
                for v in response.headers.get("Vary", "").split(",")
                if v.strip() and v.strip().lower() not in ("cookie", "accept-language")
            ]
            if vary:
                response.headers["Vary"] = ", ".join(vary)
            else:
                response.headers.pop("Vary", None)
            response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


class ContentSecurityPolicyMiddleware:
    """The policy on every answer; and no copy of a signed-in person's page is kept by
    the browser or a proxy (a shared office PC must not show a pupil after sign-out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for(request.path))
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


# The largest body a page may send: the consent step carries a scanned form, the import
# page an HSDS file; every other form is a few fields. /graphql bounds its own body
# (GRAPHQL_MAX_BODY_BYTES).
UPLOAD_PATHS = {
    "/referrals/new/consent/": 20 * 1024 * 1024 + 64 * 1024,
    "/organisation/import/": UPLOAD_MAX_BYTES + 64 * 1024,
}
FORM_MAX_BYTES = 256 * 1024


def body_limit(path: str) -> int | None:
    if path == "/graphql":
        return None
    return UPLOAD_PATHS.get(path, FORM_MAX_BYTES)


class BodyLimitMiddleware:
    """Refuses an oversized body before anything reads it. Placed before the CSRF check,
    which parses a POST's body (and spools uploads to disk) before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.path)
        if limit is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
            length = request.META.get("CONTENT_LENGTH") or ""
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            if chunked and not length:
                return HttpResponse("Send the body with a Content-Length.", status=411)
            if length and (not length.isdigit() or int(length) > limit):
                return HttpResponse(
                    f"Requests here are limited to {limit} bytes.",
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
