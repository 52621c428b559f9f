"""The coordinator's pages at scale: the network map's data (one statement) and its page,
the coverage page, and the map drawn in Chromium (the time from reading the page's data
to a drawn map, as the page's script records it in data-layout-ms).

Runs as a coordinator of `area` (by default 横浜市, about 2,500 organisations in the
prefecture and national demo networks), signed in as a person is."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test import Client
from playwright.sync_api import sync_playwright

from graph import pathway_repo, session
from referral_hub.accounts import signin
from referral_hub.accounts.actor import SYSTEM
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.benchmarks.timing import Sample, graphql_runner, measure
from referral_hub.directory import reference_data
from referral_hub.directory import services as directory
from referral_hub.pathways.rules import recent_months
from referral_hub.subjects.services import today

YOKOHAMA = "141003"
_OFFICE = "ベンチ用 地域コーディネーター室"
_FIND_OFFICE = "MATCH (o:Organisation {name: $name, areaCode: $area}) RETURN o.id AS id"
_COUNT = "MATCH (o:Organisation) WHERE o.areaCode IN $codes RETURN count(o) AS n"
# What the map page asks of networkMap (web/operations/NetworkMap.graphql).
MAP = """
query($area: String!) {
  networkMap(area: $area, months: 12) {
    since until
    organisations { ids names kinds areaCodes latitudes longitudes modes tags }
    partnerships { sources targets }
    flows { sources targets referrals }
    suppressedFlows
  }
}
"""


def coordinator(area: str) -> Client:
    """A Client signed in as the bench's coordinator of `area` (its office made once)."""
    found = session.read(lambda tx: tx.single(_FIND_OFFICE, name=_OFFICE, area=area))
    office = found["id"] if found else None
    if office is None:
        data = {"name": _OFFICE, "kind": "MUNICIPALITY", "area_code": area}
        office = directory.organisation_create(actor=SYSTEM, data=data)["id"]
    user, _ = get_user_model().objects.get_or_create(username=f"bench-coordinator-{area}")
    Membership.objects.get_or_create(user=user, organisation_id=office, role=Role.COORDINATOR.value)
    return signin.sign_in(Client(HTTP_ACCEPT_LANGUAGE="ja"), user)


def organisations_in(area: str) -> int:
    codes = reference_data.area_codes_within(area)
    counted = session.read(lambda tx: tx.single(_COUNT, codes=codes))
    assert counted is not None  # count() always returns its one row
    return int(counted["n"])


def run(*, area: str, count: int, warmup: int, client: Client | None = None) -> Iterator[Sample]:
    client = client or coordinator(area)
    scale = f"{organisations_in(area)} orgs"
    cases = range(count + warmup)
    since, until = (d.isoformat() + "T00:00:00+09:00" for d in recent_months(today(), 12))
    codes = reference_data.area_codes_within(area)

    def raw(_: object) -> object:
        return pathway_repo.network_map(area_codes=codes, since=since, until=until)

    def page(path: str):
        def get(_: object) -> object:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return get

    yield measure("network map data", scale, "cypher", raw, cases, warmup=warmup)
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    data = graphql_runner(client, MAP, headers, lambda _: {"area": area})
    yield measure("network map data", scale, "graphql", data, cases, warmup=warmup)
    map_page = page(f"/network/?area={area}")
    yield measure("network map (web)", scale, "page", map_page, cases, warmup=warmup)
    coverage = page(f"/coverage/?area={area}")
    yield measure("coverage page (web)", scale, "page", coverage, cases, warmup=warmup)


def drawn_in_browser(
    *, browser: Any, base_url: str, client: Client, area: str, count: int, warmup: int
) -> Iterator[Sample]:
    """Open the map `count + warmup` times in Chromium with the Client's session; yield the
    layout time (data read → map drawn) and the time from navigation to a drawn map."""
    context = browser.new_context(locale="ja-JP")
    host = base_url.split("://", 1)[1].split(":", 1)[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
          "path": "/"}]
    )  # fmt: skip
    page = context.new_page()
    layout, whole = [], []
    for index in range(count + warmup):
        page.goto(f"{base_url}/network/?area={area}")
        drawn = page.locator("#network-map[data-ready=true]")
        drawn.wait_for(timeout=60_000)
        if index >= warmup:
            layout.append(float(drawn.get_attribute("data-layout-ms") or "nan"))
            whole.append(float(drawn.get_attribute("data-ready-at") or "nan"))
        nodes = drawn.get_attribute("data-nodes")
    context.close()
    scale = f"{nodes} nodes"
    yield Sample("network map layout", scale, "chromium", layout)
    yield Sample("network map to drawn", scale, "chromium", whole)


@contextmanager
def served() -> Iterator[str]:
    """The app on a free local port in a thread (static files included), for the browser."""

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    server.set_app(StaticFilesHandler(WSGIHandler()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_in_chromium(*, area: str, count: int, warmup: int) -> Iterator[Sample]:
    """The browser half of the bench, with its own Chromium (Debian's, as the page tests
    use) and server."""
    client = coordinator(area)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM runs beside its loop
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with served() as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield from drawn_in_browser(
                browser=browser,
                base_url=base_url,
                client=client,
                area=area,
                count=count,
                warmup=warmup,
            )
        finally:
            browser.close()
