"""seed_demo_users (make run): one person per role, each acting for its organisation; the
coordinator for a city-level office above the wards, made once however often it runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from graph import session
from referral_hub.accounts.management.commands.seed_demo_users import CITY_OFFICE
from referral_hub.accounts.models import Membership

_OFFICES = "MATCH (o:Organisation {id: $id}) RETURN o.areaCode AS area, o.kind AS kind"


@pytest.mark.usefixtures("graph_db", "db")
def test_the_demo_coordinator_sees_the_whole_city(settings):
    settings.DEBUG = True
    for _ in range(2):
        call_command("seed_demo_users", stdout=StringIO())
    offices = session.read(lambda tx: tx.rows(_OFFICES, id=CITY_OFFICE["id"]))
    assert offices == [{"area": "141305", "kind": "MUNICIPALITY"}]
    memberships = Membership.objects.filter(user__username="coordinator")
    assert [(str(m.organisation_id), m.role) for m in memberships] == [
        (CITY_OFFICE["id"], "COORDINATOR")
    ]
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {
        "counsellor": "COUNSELLOR",
        "caseworker": "CASEWORKER",
        "npo-admin": "ORG_ADMIN",
        "coordinator": "COORDINATOR",
        "auditor": "AUDITOR",
    }


@pytest.mark.usefixtures("graph_db", "db", "redis_db")
def test_each_demo_person_lands_on_their_roles_home(settings):
    """`make run`, then signing in as each demo person: their role's own start page."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from referral_hub.accounts import signin

    settings.DEBUG = True
    call_command("seed_demo_users", stdout=StringIO())
    homes = {
        "caseworker": "/inbox/",
        "coordinator": "/network/",
        "auditor": "/audit/",
        "npo-admin": "/members/",
    }
    for username, home in homes.items():
        user = get_user_model().objects.get(username=username)
        client = signin.sign_in(Client(), user)
        landing = client.get("/")
        assert (landing.status_code, landing["Location"]) == (302, home), username
        page = client.get(home, follow=True)  # the map opens on the coordinator's own area
        assert page.status_code == 200, username
        if username == "coordinator":
            assert page.redirect_chain == [("/network/?area=141305", 302)]
    counsellor = signin.sign_in(Client(), get_user_model().objects.get(username="counsellor"))
    assert counsellor.get("/").status_code == 200  # the counsellor's home is the start page
