from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "referral_hub.core"
    label = "hub_core"
    verbose_name = "Tsunagari core"

    def ready(self) -> None:
        from referral_hub.core import checks  # noqa: F401 - registers system checks
