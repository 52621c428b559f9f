"""Deliveries carry their own schedule and claim (issue 13): the relay, not the broker's
retry, decides when an attempt is due, and an attempt is counted before it is made."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_sealed_webhook_secrets")]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="next_attempt_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="delivery", name="queued_for", field=models.DateTimeField(null=True)
        ),
        migrations.AddField(
            model_name="delivery", name="claimed_until", field=models.DateTimeField(null=True)
        ),
        migrations.AddField(
            model_name="delivery", name="last_attempt_at", field=models.DateTimeField(null=True)
        ),
    ]
