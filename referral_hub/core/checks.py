"""System checks that stop an unsafe production configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_is_not_the_dev_key(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.DEV_SECRET_KEY == settings.SECRET_KEY:
        return [
            Error(
                "DJANGO_SECRET_KEY is the public development key.",
                hint="Set DJANGO_SECRET_KEY to a long random value in production.",
                id="hub.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def personal_data_keys_are_not_the_dev_keys(app_configs: Any, **kwargs: Any) -> list[Error]:
    if (
        settings.HUB_MASTER_KEYS == settings.DEV_MASTER_KEYS
        or settings.HUB_DUPLICATE_SECRET == settings.DEV_DUPLICATE_SECRET
        or settings.HUB_AUDIT_SIGNING_KEY == settings.DEV_AUDIT_SIGNING_KEY
    ):
        return [
            Error(
                "HUB_MASTER_KEYS, HUB_DUPLICATE_SECRET or HUB_AUDIT_SIGNING_KEY is a public "
                "development key.",
                hint="Generate 32 random bytes each (base64url) and keep them secret.",
                id="hub.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def webauthn_origin_is_secure(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN and not settings.DEBUG:
        return [
            Error(
                "HUB_WEBAUTHN_INSECURE_ORIGIN is on outside development.",
                hint="Serve the hub over HTTPS and leave HUB_WEBAUTHN_INSECURE_ORIGIN unset.",
                id="hub.E003",
            )
        ]
    return []


# Secrets a deployment sets; deploy/compose/hub.env.example ships them as CHANGE-ME.
_SECRETS = (
    "SECRET_KEY",
    "NEO4J_PASSWORD",
    "HUB_MASTER_KEYS",
    "HUB_AUDIT_SIGNING_KEY",
    "HUB_DUPLICATE_SECRET",
    "HUB_METRICS_TOKEN",
    "EMAIL_HOST_PASSWORD",
)
PLACEHOLDER = "CHANGE-ME"
# A metrics token is a bearer secret like an API token: at least 128 bits of base64.
METRICS_TOKEN_MIN_LENGTH = 22


@register(Tags.security, deploy=True)
def no_secret_is_a_placeholder(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    held = [name for name in _SECRETS if PLACEHOLDER in str(getattr(settings, name, ""))]
    password = str(settings.DATABASES["default"].get("PASSWORD") or "")
    if PLACEHOLDER in password:
        held.append("DATABASE_URL")
    if held:
        errors.append(
            Error(
                f"{', '.join(held)} still hold{'s' if len(held) == 1 else ''} the example's "
                f"{PLACEHOLDER} placeholder.",
                hint="Generate a random value for each (deploy/compose/hub.env.example).",
                id="hub.E004",
            )
        )
    token = settings.HUB_METRICS_TOKEN
    if token and len(token) < METRICS_TOKEN_MIN_LENGTH:
        errors.append(
            Error(
                f"HUB_METRICS_TOKEN is shorter than {METRICS_TOKEN_MIN_LENGTH} characters.",
                hint="Use 32 random bytes, base64url (as for the other keys).",
                id="hub.E005",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def a_proxy_names_its_clients(app_configs: Any, **kwargs: Any) -> list[Warning]:
    # A TLS proxy in front (it names the scheme) and none trusted to name the client: every
    # request comes from the proxy's address, so the per-address limits count a whole city
    # as one client (twenty sign-ins lock out the rest) and the audit records the proxy.
    if settings.HUB_PROXY_SSL_HEADER and not settings.HUB_TRUSTED_PROXIES:
        return [
            Warning(
                "HUB_PROXY_SSL_HEADER names a proxy, but HUB_TRUSTED_PROXIES is empty: every "
                "client has the proxy's address.",
                hint="Set HUB_TRUSTED_PROXIES to the proxies' addresses or network "
                "(docs/serving.md).",
                id="hub.W006",
            )
        ]
    return []
