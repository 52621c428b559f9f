"""Move every wrapped key to the active master key: the subjects' data keys in the graph
and the webhook signing secrets in Django's database.

Only the wrapping changes: data keys, ciphertexts and secrets stay the same. Run it after
adding a new key to HUB_MASTER_KEYS and naming it in HUB_MASTER_KEY_ID; when it reports
nothing left under an old key, that key can be removed from HUB_MASTER_KEYS.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from graph import subject_repo
from referral_hub.accounts.actor import SYSTEM
from referral_hub.core.audit import audit_record
from referral_hub.notifications import signing_secrets
from referral_hub.notifications.models import Webhook
from referral_hub.subjects import crypto, keys

BATCH = 500


class Command(BaseCommand):
    help = "Re-wrap every subject key and webhook secret with the active master key."

    def handle(self, *args: Any, **options: Any) -> None:
        active = keys.active_master_key()
        masters = keys.master_keys()
        subjects = 0
        while batch := subject_repo.subject_keys_under_other_masters(
            active=active.key_id, limit=BATCH
        ):
            rewrapped = []
            for key in batch:
                new = crypto.rewrap(
                    crypto.WrappedKey(key["master_key_id"], key["blob"]),
                    masters,
                    active,
                    subject_id=key["subject_id"],
                )
                rewrapped.append(
                    {**key, "new_master_key_id": new.master_key_id, "new_blob": new.blob}
                )
            subjects += subject_repo.subject_keys_rewrap(
                keys=rewrapped,
                audit=audit_record(SYSTEM, "MASTER_KEY_ROTATE", "SubjectKey", active.key_id),
            )
        hooks = 0
        for hook in Webhook.objects.exclude(secret_key_id=active.key_id):
            with transaction.atomic():
                sealed = signing_secrets.seal(
                    signing_secrets.open_secret(hook), hook.organisation_id, active
                )
                hooks += Webhook.objects.filter(pk=hook.pk, secret_blob=hook.secret_blob).update(
                    **sealed
                )
        self.stdout.write(
            f"{subjects} subject keys and {hooks} webhook secrets now under {active.key_id}"
        )
