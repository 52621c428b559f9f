from django.apps import AppConfig

from graph import session
from referral_hub.referrals import handoff


class CoreConfig(AppConfig):
    name = "referral_hub.core"
    label = "hub_core"
    verbose_name = "Tsunagari core"

    def ready(self) -> None:
        from referral_hub.core import checks  # noqa: F401 - registers system checks

        # Before any statement runs, in every process (web, worker, command, test).
        session.give(**handoff.graph_facts())
