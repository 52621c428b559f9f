"""Memberships and API tokens. Organisations live in Neo4j; they are referred to by UUID."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from referral_hub.accounts.roles import Role

ROLE_CHOICES = [(role.value, role.value.replace("_", " ").title()) for role in Role]


class Membership(models.Model):
    """A user's role in one organisation; a user may hold several, in several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation_id = models.UUIDField(db_index=True)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation_id", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.organisation_id}"


class Preference(models.Model):
    """What a person chose for themselves: the language of the pages and of their e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class ApiToken(models.Model):
    """A bearer token, stored only as a SHA-256 digest of the whole token string.

    PERSONAL tokens act as their user (choosing the organisation per request, like a
    session); ORGANISATION tokens are an agency system's: fixed organisation and role.
    Tokens are 256 random bits, so a fast hash is enough; the prefix finds the row.
    """

    class Kind(models.TextChoices):
        PERSONAL = "PERSONAL", "Personal"
        ORGANISATION = "ORGANISATION", "Organisation (machine)"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="Personal: who the token acts as. Organisation: who issued it.",
    )
    organisation_id = models.UUIDField(null=True, blank=True, db_index=True)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}, {self.prefix}…)"


class Invitation(models.Model):
    """An organisation admin's invitation to join with a role, sent by e-mail as a link
    that works once, until it expires. Only a SHA-256 digest of the link's secret is kept
    (256 random bits, so a fast hash is enough)."""

    email = models.EmailField()
    organisation_id = models.UUIDField(db_index=True)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} as {self.role} @ {self.organisation_id}"
