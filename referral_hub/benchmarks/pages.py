"""The front-line pages' server time: a caseworker's inbox page of 50 and a referral
page, and a counsellor's home, each a whole Django request (session, middleware, the
named documents through the API's entry point, templates), in Japanese.

Runs on the bench's own school and welfare office with 200 referrals (inbox.py)."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.test import Client

from graph import session
from referral_hub.accounts import signin
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.benchmarks import inbox
from referral_hub.benchmarks.timing import Sample, measure

_ONE_REFERRAL = """
MATCH (w:Organisation {id: $welfare})-[:PROVIDES]->(:Service)<-[:TO]-(r:Referral)
RETURN r.id AS id ORDER BY r.createdAt LIMIT 1
"""
_SCHOOL = "MATCH (o:Organisation {name: $school}) RETURN o.id AS id"


def _client(username: str, organisation_id: str, role: Role) -> Client:
    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, organisation_id=organisation_id, role=role.value)
    # Signed in as a person is, with a password and a TOTP code.
    return signin.sign_in(Client(HTTP_ACCEPT_LANGUAGE="ja"), user)


def run(*, count: int, warmup: int, referrals: int = 200) -> Iterator[Sample]:
    welfare = inbox._network(referrals)
    found_school = session.read(lambda tx: tx.single(_SCHOOL, school=inbox.SCHOOL))
    assert found_school is not None  # inbox._network made it
    school = found_school["id"]
    found_referral = session.read(lambda tx: tx.single(_ONE_REFERRAL, welfare=welfare))
    assert found_referral is not None  # and the referrals to its welfare office
    referral = found_referral["id"]
    caseworker = _client("bench-caseworker", welfare, Role.CASEWORKER)
    counsellor = _client("bench-counsellor", school, Role.COUNSELLOR)

    def page(client: Client, path: str):
        def get(_: object) -> object:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return get

    cases = range(count + warmup)
    in_box, sent = f"{referrals} in box", f"{referrals} sent"
    inbox_page = page(caseworker, "/inbox/")
    yield measure("inbox page (web)", in_box, "page", inbox_page, cases, warmup=warmup)
    referral_page = page(caseworker, f"/referrals/{referral}/")
    yield measure("referral page (web)", in_box, "page", referral_page, cases, warmup=warmup)
    home = page(counsellor, "/")
    yield measure("counsellor home (web)", sent, "page", home, cases, warmup=warmup)
