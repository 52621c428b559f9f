"""Webhook secrets sealed under the master key (issue 12): existing ones are sealed in
place, then the clear column goes."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from referral_hub.notifications import signing_secrets

    Webhook = apps.get_model("notifications", "Webhook")
    for hook in Webhook.objects.all():
        sealed = signing_secrets.seal(hook.secret, hook.organisation_id)
        Webhook.objects.filter(pk=hook.pk).update(**sealed)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="webhook",
            name="secret_key_id",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="webhook",
            name="secret_blob",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="webhook", name="secret"),
    ]
