"""Set up the fault suite's hub (run in its environment: `python -m tests.faults.network`).

Builds the small directory network of the tests and the people who use it, and prints
their ids and tokens as JSON for the suite, which then does everything else over HTTP.
"""

from __future__ import annotations

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_hub.test_settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from referral_hub.accounts import tokens
    from referral_hub.accounts.models import ApiToken, Membership
    from referral_hub.accounts.roles import Role
    from tests import directory_fixtures

    network = directory_fixtures.build()
    people = {
        "counsellor": (network["school"], Role.COUNSELLOR),
        "caseworker": (network["welfare"], Role.CASEWORKER),
        "admin": (network["welfare"], Role.ORG_ADMIN),
    }
    issued = {}
    for username, (organisation_id, role) in people.items():
        user = get_user_model().objects.create_user(username=username)
        Membership.objects.create(user=user, organisation_id=organisation_id, role=role.value)
        token, _ = tokens.issue(user=user, name="faults", kind=ApiToken.Kind.PERSONAL)
        issued[username] = {"token": token, "organisation": organisation_id}
    print(json.dumps({"network": network.ids, "people": issued}))


if __name__ == "__main__":
    main()
