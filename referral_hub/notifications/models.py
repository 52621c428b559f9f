"""Webhook registrations and the record of every notification delivery."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Webhook(models.Model):
    """An organisation's endpoint. The secret signs each body; it is shown once, at
    registration, and kept here sealed under the master key because signing needs it
    (referral_hub/notifications/signing_secrets.py)."""

    organisation_id = models.UUIDField(unique=True)
    url = models.URLField(max_length=500)
    secret_key_id = models.CharField(max_length=64)
    secret_blob = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.url}"


class Delivery(models.Model):
    """One message to one recipient. `key` is the idempotency key: the same event never
    makes a second delivery, and webhook receivers see it as `Idempotency-Key`.

    The row, not the broker, is the truth about a delivery (issue 13): an attempt is
    counted and claimed (`claimed_until`) before anything is sent, so a worker killed
    mid-POST leaves "1 attempt, interrupted", never "0 attempts"; the relay hands a
    delivery to the broker again when it is due (`next_attempt_at`) and its last hand-off
    (`queued_for`) is stale — a lost broker message delays a delivery, never loses it.
    """

    class Channel(models.TextChoices):
        EMAIL = "EMAIL"
        WEBHOOK = "WEBHOOK"

    class Status(models.TextChoices):
        PENDING = "PENDING"
        DELIVERED = "DELIVERED"
        FAILED = "FAILED"

    key = models.CharField(max_length=200, unique=True)
    organisation_id = models.UUIDField(db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=500)
    language = models.CharField(
        max_length=8,
        default="ja",
        help_text="The e-mail's language: the recipient's choice, else the hub's default.",
    )
    kind = models.CharField(max_length=20)
    referral_id = models.UUIDField()
    version = models.PositiveIntegerField(help_text="The referral's version at the event.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    queued_for = models.DateTimeField(null=True)
    claimed_until = models.DateTimeField(null=True)
    last_attempt_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.recipient}: {self.status}"
