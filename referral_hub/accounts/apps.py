from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "referral_hub.accounts"
    label = "accounts"
    verbose_name = "Accounts, memberships and API tokens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from referral_hub.accounts import signals  # noqa: F401 - connects the audit handlers
