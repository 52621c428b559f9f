"""Request ids: every response carries one, and every log record of the request names it
(referral_hub/core/logs.py), so a client can quote it and an operator find its lines."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from referral_hub.core import logs

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The request attribute the id is kept in. HttpRequest declares no such attribute, so it
# is set with setattr and read with getattr(request, "request_id", None).
REQUEST_ID = "request_id"


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(self.header, "")
        # A proxy's id is kept when it looks like one; anything else could poison logs.
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        setattr(request, REQUEST_ID, request_id)
        with logs.for_request(request_id):
            response = self.get_response(request)
        response[self.header] = request_id
        return response
