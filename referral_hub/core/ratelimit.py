"""Fixed-window rate limits in Redis, for login and token endpoints.

If Redis cannot be reached the limiter fails closed for these endpoints: letting
unlimited password guesses through would be worse than a short outage of logins.
"""

from __future__ import annotations

import hashlib
import logging
import time

import redis
from django.conf import settings

from referral_hub.core.errors import ErrorCode, PublicError

log = logging.getLogger(__name__)
_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1.0)
    return _client


def _name(scope: str, key: str, window_seconds: int) -> str:
    window = int(time.time()) // window_seconds
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]  # no usernames in Redis
    return f"ratelimit:{scope}:{digest}:{window}"


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> None:
    """Count one attempt; raise PublicError(RATE_LIMITED) past `limit` in the window."""
    name = _name(scope, key, window_seconds)
    try:
        pipe = _redis().pipeline()
        pipe.incr(name)
        pipe.expire(name, window_seconds + 5)
        count = int(pipe.execute()[0])
    except redis.RedisError:
        log.error("rate limiter unavailable; refusing %s", scope, exc_info=True)
        raise PublicError(ErrorCode.RATE_LIMITED, "Try again shortly.") from None
    if count > limit:
        raise PublicError(
            ErrorCode.RATE_LIMITED, f"Too many attempts; try again in {window_seconds} seconds."
        )


def reset_client() -> None:
    global _client
    _client = None
