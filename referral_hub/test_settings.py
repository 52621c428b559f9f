"""Settings for pytest: the same as production's, pointed at the `test` profile's services.

A separate module (not overrides in a fixture) so the Celery worker the tests start
reads exactly the same configuration as the test process.
"""

import os

from referral_hub.devservices import postgres
from referral_hub.devservices.profiles import profile
from referral_hub.settings import *  # noqa: F403

# `test` for pytest's own services; `faults` for the fault suite's hub (tests/faults).
_TEST = profile(os.environ.get("HUB_TEST_PROFILE", "test"))

NEO4J_URI = _TEST.neo4j_uri
NEO4J_PASSWORD = _TEST.neo4j.password
REDIS_URL = _TEST.redis_url
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CACHES = redis_cache(REDIS_URL)  # noqa: F405 - flushed with the rest by the redis_db fixture
# A file, not sqlite's in-memory default, so the Celery worker the tests start sees the
# same Django tables (tests that need that use `transactional_db`, which commits).
_TEST_DB = str(_TEST.neo4j.data_dir.parent / "django-test.sqlite3")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _TEST_DB,
        "TEST": {"NAME": _TEST_DB},
        # As in settings.py: a read-then-write transaction waits for the lock (IMMEDIATE)
        # instead of failing at once while the live server's other thread writes.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}
# make test-postgres: DATABASE_URL's server, with a database of this profile's own
# (hub_test, hub_faults) that the worker shares as it shares the SQLite file.
_POSTGRES = postgres.test_database(_TEST.name)
if _POSTGRES is not None:
    DATABASES = {"default": _POSTGRES}
# The browser tests talk plain HTTP to 127.0.0.1 (production keeps Secure cookies).
HUB_HTTPS = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = HUB_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only

# The worker the tests start writes e-mail here, and retries quickly.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(_TEST.neo4j.data_dir.parent / "mail")
HUB_NOTIFY_BACKOFF_SECONDS = 0.2
HUB_WEBHOOK_TIMEOUT_SECONDS = 2.0
# The validation clock is for production's 0.5 s; on a loaded 2-core machine ordinary
# fixture documents crossed it (VALIDATION_TOO_SLOW in a setup). The refusal itself has
# its own test, which sets the budget to 0.
GRAPHQL_VALIDATION_BUDGET_SECONDS = 5.0
# The tests' webhook receivers listen on this machine.
HUB_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
# Claims and hand-offs run out quickly, so tests of a lost attempt finish in seconds.
HUB_NOTIFY_ATTEMPT_LEASE_SECONDS = 5.0
HUB_NOTIFY_REQUEUE_SECONDS = 5.0

if _TEST.name == "faults":
    # The fault suite's worker runs beat with the outbox relay alone, often, so a broker
    # outage's notifications go out within a second or two of its end.
    HUB_OUTBOX_RELAY_SECONDS = 1.0
    CELERY_BEAT_SCHEDULE = {
        "relay-outbox": {"task": "hub.notifications.relay", "schedule": HUB_OUTBOX_RELAY_SECONDS}
    }

# Templates name static files by their plain names (no collectstatic before the tests), and
# WhiteNoise serves them from the apps' folders, never from a `make serve`'s collected copy.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = _TEST.neo4j.data_dir.parent / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
WHITENOISE_USE_FINDERS = True
