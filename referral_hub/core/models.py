"""Signed audit checkpoints, kept outside the graph they vouch for."""

from __future__ import annotations

from django.db import models


class AuditCheckpoint(models.Model):
    """A signed Merkle root over every audit chain's head at one moment (RFC 9162 style).

    Kept in Django's database, a second store, so one who can rewrite the graph cannot
    also rewrite what vouches for it; each names the previous root (unique, so two
    concurrent writers cannot both extend one checkpoint) and so a removed or inserted
    checkpoint breaks the sequence. See referral_hub/core/checkpoints.py.
    """

    created_at = models.DateTimeField()
    chains = models.PositiveIntegerField()
    events = models.PositiveBigIntegerField(help_text="The sum of the chains' lengths.")
    root = models.CharField(max_length=64)
    previous_root = models.CharField(max_length=64, unique=True)
    heads = models.JSONField(help_text="[[chain key, seq, head hash], …] in key order.")
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"checkpoint {self.pk} {self.created_at:%Y-%m-%d %H:%M} {self.root[:12]}"
