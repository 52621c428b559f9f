"""An organisation admin's HSDS upload and how its import went. The directory itself lives
in Neo4j; this row is the job: the file until it is read, then its outcome."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class DirectoryImport(models.Model):
    class State(models.TextChoices):
        QUEUED = "QUEUED"
        RUNNING = "RUNNING"
        # Validated only (dry run): nothing written.
        VALIDATED = "VALIDATED"
        # Invalid records and skip_invalid off: nothing written.
        REFUSED = "REFUSED"
        DONE = "DONE"
        # Not an HSDS file, or the write was rolled back: nothing written.
        FAILED = "FAILED"

    FINISHED = (State.VALIDATED, State.REFUSED, State.DONE, State.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation_id = models.UUIDField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    filename = models.CharField(max_length=200)
    # The upload, kept only until the worker has read it.
    content = models.BinaryField(null=True)
    skip_invalid = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["organisation_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"
