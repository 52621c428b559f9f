"""Django settings, read from the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from referral_hub.core.forwarding import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HUB_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The development key is public on purpose; `manage.py check --deploy` refuses it (hub.E001).
DEV_SECRET_KEY = "dev-only-insecure-key-tsunagari-referral-hub"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # "5 minutes ago" on the sessions page (allauth's template)
    # Before graphene_django: its GraphiQL template is replaced by one whose files the
    # hub serves itself (referral_hub/web).
    "referral_hub.web",
    "graphene_django",
    "django.contrib.admin",
    "referral_hub.core",
    "referral_hub.accounts",
    "referral_hub.notifications",
    "referral_hub.directory",
    # After referral_hub.accounts and .web, whose templates replace allauth's.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    "referral_hub.core.middleware.RequestIdMiddleware",
    # Counts and times every response, the static files and the refusals below included
    # (referral_hub/core/metrics.py), and writes the request's access record.
    "referral_hub.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The app serves its own static files (no separate web server for them): right after
    # the security headers, before sessions and the rest are run for a file.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a body (the CSRF check parses POSTs): referral_hub/web/security.py
    "referral_hub.web.security.BodyLimitMiddleware",
    # Outside the session, locale and CSRF middleware: no answer under /places/ sets a cookie.
    "referral_hub.web.security.PublicPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Keeps each session's address, browser and last use for "where am I signed in".
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: an ended session tells the person why on the sign-in page.
    "referral_hub.accounts.sessions.SessionLimitsMiddleware",
    # After the limits: an ended session is not sent to enrol a factor first.
    "referral_hub.accounts.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "referral_hub.web.security.ContentSecurityPolicyMiddleware",
    # Innermost, around the views: each request's graph work starts after its user's last
    # write (docs/consistency.md); inside SessionMiddleware, which saves what it keeps.
    "referral_hub.core.read_your_writes.ReadYourWritesMiddleware",
]

ROOT_URLCONF = "referral_hub.urls"
WSGI_APPLICATION = "referral_hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'django.sqlite3'}",
        conn_max_age=60,
        # A kept connection is checked before reuse, so a restarted or failed-over
        # PostgreSQL costs one reconnect instead of a request's error.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction that reads and then writes (get_or_create, a session's activity) would
    # otherwise fail at once with "database is locked" when another connection is writing,
    # whatever the timeout: IMMEDIATE takes the write lock at BEGIN and waits for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "referral_hub" / "web" / "locale"]
# The language chosen on a page is kept in this cookie (Django's set_language view).
LANGUAGE_COOKIE_NAME = "hub_language"
LANGUAGE_COOKIE_SAMESITE: Literal["Lax", "Strict", "None"] = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# `collectstatic` writes here (make serve does); WhiteNoise serves it. With DEBUG on it
# serves straight from the apps' static folders instead (WHITENOISE_USE_FINDERS).
STATIC_ROOT = Path(os.environ.get("HUB_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: hashed names (cached for a year by browsers) and gzip/brotli copies made
    # once by collectstatic; a missing file fails loudly. Development: plain names.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "referral_hub.core.staticfiles.HubStaticFilesStorage"
    },
}

# --- Browser sessions --------------------------------------------------------------------
# A staff session ends after this long without a request, and this long after sign-in
# whatever happens (referral_hub/accounts/sessions.py); both are audited.
HUB_SESSION_IDLE_SECONDS = int(os.environ.get("HUB_SESSION_IDLE_SECONDS", str(30 * 60)))
HUB_SESSION_MAX_SECONDS = int(os.environ.get("HUB_SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = HUB_SESSION_MAX_SECONDS
# The most sensitive actions need a second factor proved this recently
# (referral_hub/accounts/reauthentication.py).
HUB_REAUTHENTICATE_SECONDS = int(os.environ.get("HUB_REAUTHENTICATE_SECONDS", "300"))
# An organisation admin's invitation link works once, for this many hours
# (referral_hub/accounts/members.py); a password-reset link for PASSWORD_RESET_TIMEOUT.
HUB_INVITATION_HOURS = int(os.environ.get("HUB_INVITATION_HOURS", "72"))
# Murmurs (issue 19): how many concern signals one member may record in a clock hour, so
# no one can inflate the counts coverage shows (docs/murmurs.md).
HUB_CONCERN_SIGNALS_PER_HOUR = int(os.environ.get("HUB_CONCERN_SIGNALS_PER_HOUR", "30"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("HUB_PASSWORD_RESET_SECONDS", "3600"))
# Django's own validators: at least 12 characters, not like the username, not all digits,
# and not among the 20,000 most common passwords (a list shipped with Django: offline).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Sign-in: django-allauth, with a second factor (referral_hub/accounts/second_factor.py)
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "referral_hub.accounts.adapter.HubAccountAdapter"
ACCOUNT_FORMS = {"login": "referral_hub.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# Password reset mails only addresses the hub knows (the page answers alike either way).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = False  # a session ends with the browser, or by the limits above
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# Password attempts are counted per address and account by the hub's limiter
# (accounts/views.py); allauth's own limits stay for the rest (failed codes: 5 per person
# per 5 minutes, 10 a minute per address; password reset; re-authentication).
ACCOUNT_RATE_LIMITS = {"login": False}
# Changing one's own factors asks for a factor again after this long (never the password
# alone: with it, a borrowed session could add a key of its own); the hub's most sensitive
# actions ask for the second factor too (reauthentication.py).
ACCOUNT_REAUTHENTICATION_METHODS = ("mfa",)
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Tsunagari"
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {"authenticate": "referral_hub.accounts.forms.SecondFactorForm"}
# WebAuthn needs a secure origin; http://localhost counts only when this is set (make run,
# the tests). Production serves HTTPS.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("HUB_WEBAUTHN_INSECURE_ORIGIN", DEBUG)
USERSESSIONS_TRACK_ACTIVITY = True
USERSESSIONS_ADAPTER = "referral_hub.accounts.adapter.HubUserSessionsAdapter"

# Served over HTTPS in production, so the cookies say so; `make run` (DEBUG) and the tests
# serve plain HTTP on 127.0.0.1. HttpOnly and SameSite hold everywhere.
HUB_HTTPS = env_bool("HUB_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HUB_HTTPS
CSRF_COOKIE_SECURE = HUB_HTTPS
LANGUAGE_COOKIE_SECURE = HUB_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Behind the TLS proxy (docs/serving.md) ----------------------------------------------
# The proxy that ends TLS tells the app the scheme in this header ("X-Forwarded-Proto"), so
# that a request that came in over HTTPS is known to be secure; it must set the header on
# every request and drop any value a client sent. Empty: the app trusts no header.
HUB_PROXY_SSL_HEADER = os.environ.get("HUB_PROXY_SSL_HEADER", "")
if HUB_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + HUB_PROXY_SSL_HEADER.upper().replace("-", "_"),
        "https",
    )
# The proxies whose X-Forwarded-For is believed: addresses or networks (CIDR), comma-
# separated (referral_hub/core/forwarding.py). Empty: the header is never read, and
# behind a proxy every client has the proxy's address (check --deploy says so: hub.W006).
try:
    HUB_TRUSTED_PROXIES = parse_networks(os.environ.get("HUB_TRUSTED_PROXIES", ""))
except ValueError as bad_entry:
    raise ImproperlyConfigured(str(bad_entry)) from None
# What the proxy does itself instead of the app: "redirect" (http → https) and/or "hsts"
# (the Strict-Transport-Security header). The app then does not do it twice, and the one
# deploy check about it is silenced because it cannot apply — never without saying so.
HUB_TLS_PROXY_HANDLES = set(env_list("HUB_TLS_PROXY_HANDLES", ""))
SECURE_SSL_REDIRECT = HUB_HTTPS and "redirect" not in HUB_TLS_PROXY_HANDLES
# Probes and scrapes come straight to a process over plain HTTP inside the network (the
# kubelet, Prometheus): they are answered, not redirected to an https they cannot reach.
SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^readyz$", r"^healthz$", r"^metrics$"]
HUB_HSTS_SECONDS = int(
    os.environ.get(
        "HUB_HSTS_SECONDS",
        "31536000" if HUB_HTTPS and "hsts" not in HUB_TLS_PROXY_HANDLES else "0",
    )
)
SECURE_HSTS_SECONDS = HUB_HSTS_SECONDS
# Every name under the hub's host is HTTPS only too; off where a sibling host still serves
# plain HTTP (then Django's deploy check warns, security.W005, as it should).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HUB_HSTS_INCLUDE_SUBDOMAINS", True)
# The `preload` directive lets anyone submit the domain to the browsers' built-in list,
# which is hard to leave: the domain's owner (for a municipality, often the prefecture or
# the .lg.jp registrant) decides, so it is off unless asked for (and W021 is then moot).
SECURE_HSTS_PRELOAD = env_bool("HUB_HSTS_PRELOAD", False)


def silenced_deploy_checks(*, handles: set[str], preload: bool, hsts: int) -> list[str]:
    """Deploy checks that cannot apply to this configuration, each for a stated reason:
    the proxy redirects to https itself (W008), it sets HSTS itself (W004), or HSTS is on
    without the preload directive on purpose (W021, see SECURE_HSTS_PRELOAD)."""
    silenced = []
    if "redirect" in handles:
        silenced.append("security.W008")
    if "hsts" in handles:
        silenced.append("security.W004")
    if hsts and not preload:
        silenced.append("security.W021")
    return silenced


SILENCED_SYSTEM_CHECKS = silenced_deploy_checks(
    handles=HUB_TLS_PROXY_HANDLES, preload=SECURE_HSTS_PRELOAD, hsts=SECURE_HSTS_SECONDS
)

# --- Metrics (referral_hub/core/metrics.py, docs/serving.md#metrics) ---------------------
# /metrics answers a request with this bearer token; with none set, only one from this
# machine (loopback, and not forwarded by a proxy). Never public: route names, task names
# and queue lengths describe the service.
HUB_METRICS_TOKEN = os.environ.get("HUB_METRICS_TOKEN", "")
# A worker's own /metrics port (prometheus_client's server), for workers on other hosts;
# off (empty) by default. Needs PROMETHEUS_MULTIPROC_DIR: the tasks run in pool processes.
HUB_WORKER_METRICS_PORT = os.environ.get("HUB_WORKER_METRICS_PORT", "")
# One access record per request (method, route, status, duration, request id) from the
# app, at INFO on `referral_hub.access`; runserver writes its own, so off with DEBUG.
HUB_REQUEST_LOG = env_bool("HUB_REQUEST_LOG", not DEBUG)

# --- Neo4j -----------------------------------------------------------------------------
NEO4J_URI = os.environ.get(
    "NEO4J_URI", f"bolt://127.0.0.1:{os.environ.get('NEO4J_BOLT_PORT', '7687')}"
)
NEO4J_USER = os.environ.get("NEO4J_USER", "neo4j")
NEO4J_PASSWORD = os.environ.get("NEO4J_PASSWORD", "tsunagari-dev-password")
NEO4J_DATABASE = os.environ.get("NEO4J_DATABASE", "neo4j")
# How long to wait for Neo4j, in seconds (graph/driver.py; issue 13: fail fast). With the
# defaults a request answers GRAPH_UNAVAILABLE within 2 s of the server going away
# (killed: about 0.5 s; silent: 1.5 s), and for NEO4J_BREAKER_SECONDS after that every
# request is answered at once.
NEO4J_CONNECTION_TIMEOUT_SECONDS = float(os.environ.get("NEO4J_CONNECTION_TIMEOUT_SECONDS", "1"))
# Acquiring a connection includes opening it (the Bolt handshake): a host that accepts
# and then says nothing is given up on after this long. The pool (50) is larger than
# any process's thread count, so waiting for a busy pool is not what this bounds.
NEO4J_ACQUISITION_TIMEOUT_SECONDS = float(
    os.environ.get("NEO4J_ACQUISITION_TIMEOUT_SECONDS", "1.5")
)
NEO4J_TRANSACTION_TIMEOUT_SECONDS = float(os.environ.get("NEO4J_TRANSACTION_TIMEOUT_SECONDS", "30"))
NEO4J_BULK_TRANSACTION_TIMEOUT_SECONDS = float(
    os.environ.get("NEO4J_BULK_TRANSACTION_TIMEOUT_SECONDS", "600")
)
NEO4J_UNAVAILABLE_RETRY_SECONDS = float(os.environ.get("NEO4J_UNAVAILABLE_RETRY_SECONDS", "0.5"))
NEO4J_TRANSIENT_RETRY_SECONDS = float(os.environ.get("NEO4J_TRANSIENT_RETRY_SECONDS", "15"))
NEO4J_BREAKER_SECONDS = float(os.environ.get("NEO4J_BREAKER_SECONDS", "2"))
# How long a bearer token's last write is remembered for read-your-writes on a cluster
# (referral_hub/core/read_your_writes.py); a browser session keeps its own as long as it lasts.
HUB_GRAPH_BOOKMARK_SECONDS = int(os.environ.get("HUB_GRAPH_BOOKMARK_SECONDS", "3600"))

# --- Redis and Celery ------------------------------------------------------------------
REDIS_URL = os.environ.get(
    "REDIS_URL", f"redis://127.0.0.1:{os.environ.get('REDIS_PORT', '6379')}/0"
)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)


def redis_cache(url: str) -> dict[str, dict[str, object]]:
    """Django's cache in Redis, shared by every process: allauth keeps its sign-in rate
    limits (failed codes per person) and spent TOTP codes there, so a code used in one
    process is refused in all. Unreachable, it refuses sign-ins rather than let guesses
    through (like referral_hub/core/ratelimit.py)."""
    return {
        "default": {
            "BACKEND": "referral_hub.core.redis_cache.ReusingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "hub-cache",
            "OPTIONS": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
        }
    }


CACHES = redis_cache(REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES_ALL = ("default", "notifications", "maintenance")
# Tasks are idempotent, so a task whose worker died is handed to another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Broker settings that match the work (issue 13). Every task has a hard time limit, and a
# message a worker took but did not acknowledge (it died) is handed out again only after
# the visibility timeout, so that timeout is the longest task's limit plus a margin: a
# task still running is never handed to a second worker. Notifications do not wait for it
# (the outbox relay hands out a lost delivery after HUB_NOTIFY_REQUEUE_SECONDS).
HUB_LONGEST_TASK_SECONDS = int(os.environ.get("HUB_LONGEST_TASK_SECONDS", "1800"))
CELERY_TASK_TIME_LIMIT = HUB_LONGEST_TASK_SECONDS
CELERY_TASK_SOFT_TIME_LIMIT = HUB_LONGEST_TASK_SECONDS - 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": HUB_LONGEST_TASK_SECONDS + 300,
    # A request that nudges the relay learns within a second that the broker is down
    # (kombu would otherwise try to connect again for broker_connection_timeout, 4 s).
    "socket_connect_timeout": 1.0,
    "connect_retries_timeout": 1.0,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# A worker that loses the broker stops its running tasks: they will be handed out again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks (run by `celery beat`; `make run` embeds beat in its worker). Times are
# Japanese: consents end at the end of their last day there.
# How often the deadline check runs (reminders at the deadline, escalation at twice it).
HUB_DEADLINE_CHECK_MINUTES = int(os.environ.get("HUB_DEADLINE_CHECK_MINUTES", "5"))
# Check-ins after a connection (issue 20): reminded on their due working day, escalated
# this many Japanese working days later while unanswered (referral_hub/referrals/check_ins.py).
HUB_CHECK_IN_ESCALATE_DAYS = int(os.environ.get("HUB_CHECK_IN_ESCALATE_DAYS", "5"))
# The outbox relay (referral_hub/notifications/relay.py) runs this often besides the
# nudge after each write: the longest a notification waits once the broker is back.
HUB_OUTBOX_RELAY_SECONDS = float(os.environ.get("HUB_OUTBOX_RELAY_SECONDS", "5"))
# A signed checkpoint of the audit log this often (referral_hub/core/checkpoints.py): the
# longest a truncated or rewritten tail of a chain can go unnoticed by `verify_audit`.
HUB_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("HUB_AUDIT_CHECKPOINT_MINUTES", "10"))
# Beat's heartbeat (referral_hub/core/beat_ticks.py): every run records which scheduler
# sent it, so a second beat process shows as a second sender and twice the runs.
HUB_BEAT_TICK_SECONDS = float(os.environ.get("HUB_BEAT_TICK_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    "expire-consents": {
        "task": "hub.maintenance.expire_consents",
        "schedule": crontab(hour=0, minute=10),
    },
    "check-deadlines": {
        "task": "hub.maintenance.check_deadlines",
        "schedule": crontab(minute=f"*/{HUB_DEADLINE_CHECK_MINUTES}"),
    },
    "check-check-ins": {
        "task": "hub.maintenance.check_check_ins",
        "schedule": crontab(minute=f"*/{HUB_DEADLINE_CHECK_MINUTES}"),
    },
    "refresh-responsiveness": {
        "task": "hub.maintenance.refresh_responsiveness",
        "schedule": crontab(hour=2, minute=0),
    },
    "relay-outbox": {
        "task": "hub.notifications.relay",
        "schedule": HUB_OUTBOX_RELAY_SECONDS,
    },
    "erase-due-subjects": {
        "task": "hub.maintenance.erase_due_subjects",
        "schedule": crontab(hour=3, minute=0),
    },
    "audit-checkpoint": {
        "task": "hub.maintenance.audit_checkpoint",
        "schedule": crontab(minute=f"*/{HUB_AUDIT_CHECKPOINT_MINUTES}"),
    },
    "beat-tick": {
        "task": "hub.maintenance.beat_tick",
        "schedule": HUB_BEAT_TICK_SECONDS,
    },
}

# --- Notifications ---------------------------------------------------------------------
# E-mail goes through Django's backend: SMTP in production (EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS), files under .data in development.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# An SMTP server that stops answering must not hold a delivery past its claim.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tsunagari@localhost")
# Links in notifications point here; they carry a reference, never personal data.
HUB_PUBLIC_URL = os.environ.get("HUB_PUBLIC_URL", "http://127.0.0.1:8000")
HUB_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("HUB_WEBHOOK_TIMEOUT_SECONDS", "5"))
# Hosts a webhook may reach over plain http and on a non-public address (a receiver on
# this machine in tests or development); empty in production: public https only.
HUB_WEBHOOK_ALLOWED_HOSTS = [
    host.strip().lower()
    for host in os.environ.get("HUB_WEBHOOK_ALLOWED_HOSTS", "").split(",")
    if host.strip()
]
# First retry after this many seconds, doubling each time, 7 attempts at most.
HUB_NOTIFY_BACKOFF_SECONDS = float(os.environ.get("HUB_NOTIFY_BACKOFF_SECONDS", "30"))
HUB_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("HUB_NOTIFY_MAX_ATTEMPTS", "7"))
# An attempt in flight is claimed this long (longer than any e-mail or webhook attempt
# can take); a claim that runs out is an attempt whose worker died.
HUB_NOTIFY_ATTEMPT_LEASE_SECONDS = float(os.environ.get("HUB_NOTIFY_ATTEMPT_LEASE_SECONDS", "60"))
# A delivery handed to the broker and not attempted after this long is handed out again
# (the message was lost with a broker's memory, or its worker died before taking it).
HUB_NOTIFY_REQUEUE_SECONDS = float(os.environ.get("HUB_NOTIFY_REQUEUE_SECONDS", "120"))
# Relayed outbox entries are kept this many days.
HUB_OUTBOX_KEEP_DAYS = int(os.environ.get("HUB_OUTBOX_KEEP_DAYS", "7"))

# --- Personal data ---------------------------------------------------------------------
# Master keys wrap each subject's data key: "id=base64url(32 bytes),id2=…"; the active one
# wraps new keys, the others only unwrap until `rotate_master_key` has moved every key.
# The development defaults are public: `check --deploy` refuses them (hub.E002).
DEV_MASTER_KEYS = "dev1=ZGV2LW9ubHktbWFzdGVyLWtleS0wMTIzNDU2Nzg5YWI="
HUB_MASTER_KEYS = os.environ.get("HUB_MASTER_KEYS", DEV_MASTER_KEYS)
HUB_MASTER_KEY_ID = os.environ.get("HUB_MASTER_KEY_ID", "dev1")
DEV_DUPLICATE_SECRET = "dev-only-duplicate-detection-secret"  # noqa: S105
# The Ed25519 key (32 bytes, base64url) that signs audit checkpoints; keep it away from the
# graph's operators. HUB_AUDIT_TRUSTED_KEYS: earlier keys' public halves (base64url,
# comma-separated) after a rotation, so older checkpoints still verify.
DEV_AUDIT_SIGNING_KEY = "ZGV2LW9ubHktYXVkaXQtY2hlY2twb2ludC1rZXktMDE"
HUB_AUDIT_SIGNING_KEY = os.environ.get("HUB_AUDIT_SIGNING_KEY", DEV_AUDIT_SIGNING_KEY)
HUB_AUDIT_TRUSTED_KEYS = [
    key.strip() for key in os.environ.get("HUB_AUDIT_TRUSTED_KEYS", "").split(",") if key.strip()
]
HUB_DUPLICATE_SECRET = os.environ.get("HUB_DUPLICATE_SECRET", DEV_DUPLICATE_SECRET)
# Days between a consent's withdrawal or expiry and the destruction of the data key.
HUB_ERASURE_RETENTION_DAYS = int(os.environ.get("HUB_ERASURE_RETENTION_DAYS", "30"))
# Days a statutory referral's receiver may see the subject after it is sent; a new
# referral with a new justification is needed to go on.
HUB_STATUTORY_SIGHT_DAYS = int(os.environ.get("HUB_STATUTORY_SIGHT_DAYS", "90"))
# Days a support meeting's participants may still see its subjects after it ends (when it
# was closed, or convened plus its duration): docs/meetings.md.
HUB_MEETING_SIGHT_DAYS = int(os.environ.get("HUB_MEETING_SIGHT_DAYS", "14"))

# --- GraphQL ---------------------------------------------------------------------------
GRAPHENE = {
    "SCHEMA": "schema.schema.schema",
    "ATOMIC_MUTATIONS": False,
    "MIDDLEWARE": ["schema.permissions.DeclaredPermissions"],
}
GRAPHQL_PAGE_SIZE_DEFAULT = 20
GRAPHQL_PAGE_SIZE_MAX = 100
# Request limits (see schema/core/limits.py); each refusal has its own error code.
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "10"))
GRAPHQL_MAX_ALIASES = int(os.environ.get("GRAPHQL_MAX_ALIASES", "20"))
GRAPHQL_MAX_OPERATIONS = int(os.environ.get("GRAPHQL_MAX_OPERATIONS", "3"))
GRAPHQL_MAX_COST = int(os.environ.get("GRAPHQL_MAX_COST", "5000"))
GRAPHQL_MAX_BODY_BYTES = int(os.environ.get("GRAPHQL_MAX_BODY_BYTES", str(64 * 1024)))
# A multipart request carrying a file (the GraphQL multipart request spec): an HSDS upload
# of at most 2 MiB and its envelope.
GRAPHQL_MAX_UPLOAD_BODY_BYTES = int(
    os.environ.get("GRAPHQL_MAX_UPLOAD_BODY_BYTES", str(2 * 1024 * 1024 + 64 * 1024))
)
# Field selections one document may hold (TOO_MANY_FIELDS).
GRAPHQL_MAX_FIELDS = int(os.environ.get("GRAPHQL_MAX_FIELDS", "500"))
# Lexical tokens one document may have (the parser stops counting there).
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "5000"))
# Wall-clock budget of the specification's validation rules (VALIDATION_TOO_SLOW).
GRAPHQL_VALIDATION_BUDGET_SECONDS = float(
    os.environ.get("GRAPHQL_VALIDATION_BUDGET_SECONDS", "0.5")
)
# Parsed and validated documents kept per process, by hash (schema/core/document_cache.py).
GRAPHQL_DOCUMENT_CACHE_SIZE = int(os.environ.get("GRAPHQL_DOCUMENT_CACHE_SIZE", "256"))
# Persisted operations (schema/core/persisted.py): every *.graphql file of these
# directories, run by the SHA-256 of its text. A closed list, checked once per process;
# the web pages' named documents are the first (and the pages run theirs by id).
GRAPHQL_PERSISTED_OPERATION_DIRS = [BASE_DIR / "referral_hub" / "web" / "operations"]
# Introspection is for development; production clients use the checked-in SDL.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", DEBUG)
# While introspection is allowed, a document that asks for nothing else may be this deep
# (the standard introspection query, which GraphiQL sends, is 15).
GRAPHQL_MAX_INTROSPECTION_DEPTH = int(os.environ.get("GRAPHQL_MAX_INTROSPECTION_DEPTH", "20"))
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
# Signed out: straight back to the sign-in page (allauth's default would be "/").
ACCOUNT_LOGOUT_REDIRECT_URL = LOGIN_URL

# JSON lines in production (a log shipper reads fields, not text), plain text for a person
# at a terminal (DEBUG); either way each record of a request carries its request id, and
# each record of a Celery task its id and name (referral_hub/core/logs.py).
HUB_LOG_FORMAT = os.environ.get("HUB_LOG_FORMAT", "") or ("plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "referral_hub.core.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s%(context)s"},
        "json": {
            "()": "referral_hub.core.logs.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "timestamp": "time",  # ISO 8601 in UTC, to the microsecond
            "rename_fields": {"levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,  # Japanese stays readable
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if HUB_LOG_FORMAT == "json" else "plain",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HUB_LOG_LEVEL", "INFO")},
    "loggers": {
        "neo4j": {"level": "WARNING"},
        # The server's query notifications (e.g. "property does not exist yet" on an empty
        # graph) are noise in normal runs; set WARNING to see them while writing Cypher.
        "neo4j.notifications": {"level": os.environ.get("NEO4J_NOTIFICATIONS_LOG_LEVEL", "ERROR")},
    },
}

# The public place finder (/places/, publicPlaces, publicOpportunities; docs/public-finder.md):
# requests a minute per client address without sign-in, and how long an answer is kept
# in the cache (also the pages' Cache-Control max-age).
HUB_PUBLIC_RATE = int(os.environ.get("HUB_PUBLIC_RATE", "60"))
HUB_PUBLIC_CACHE_SECONDS = int(os.environ.get("HUB_PUBLIC_CACHE_SECONDS", "60"))
