"""The coordinator's pages (issue 15, second slice; issue 25's pages): coverage with the
area × tag table and its gaps, the places around a gap, flows with CSV, and routes.
Every figure comes from the API, which scopes it to the coordinator's area and protects
it; other roles get 403."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from graph import session
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.web import coordinator
from referral_hub.web import coordinator_forms as forms
from tests.conftest import signed_in_member
from tests.directory_fixtures import _loc, _org, _svc
from tests.pages.conftest import assert_accessible, closed_network, sign_in
from tests.pathways.test_flows import PERIOD, flows_network  # noqa: F401 - a fixture
from tests.pathways.test_routes import chain  # noqa: F401 - a fixture

KAWASAKI = "141305"
WARDS = ["141313", "141321", "141330", "141348", "141356", "141364", "141372"]


def events() -> int:
    return session.read(lambda tx: tx.single("MATCH (e:AuditEvent) RETURN count(e) AS n"))["n"]


def city_coordinator():
    """A coordinator of a city office of 川崎市, signed in, reading English."""
    office = _org("川崎市 こども未来局", "MUNICIPALITY", KAWASAKI)
    person = signed_in_member("k-coordinator", office, Role.COORDINATOR)
    person.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return person.client


@pytest.fixture
def city(graph_db, db, redis_db):
    """川崎市 with an NPO in 川崎区 (a cafeteria and study support) and 中原区 (study
    support), and a coordinator of the city who reads English."""
    npo = _org("NPO法人まなび", "NPO", "141313")
    kawasaki_ku = _loc(npo, "川崎教室", "141313", 35.53, 139.70)
    nakahara = _loc(npo, "中原教室", "141330", 35.57, 139.66)
    _svc(npo, kawasaki_ku, "こども食堂さくら", "EXCHANGE", ["meal_provision"])
    _svc(npo, kawasaki_ku, "学習支援", "SUPPORT", ["study_support"])
    _svc(npo, nakahara, "学習支援 中原", "SUPPORT", ["study_support"])
    return city_coordinator()


def test_a_coordinator_lands_on_the_network_map_of_their_area(city):
    client = city
    assert client.get("/")["Location"] == "/network/"
    assert client.get("/network/")["Location"] == f"/network/?area={KAWASAKI}"
    html = client.get("/network/", {"area": KAWASAKI}).content.decode()
    assert "Network map: Kawasaki-shi" in html
    data = re.search(r'<script id="network-data" type="application/json">(.*?)</script>', html)
    assert data is not None
    drawing = json.loads(data.group(1))
    assert sorted(n["name"] for n in drawing["nodes"]) == ["NPO法人まなび", "川崎市 こども未来局"]
    npo = next(n for n in drawing["nodes"] if n["kind"] == "NPO")
    assert (npo["lat"], npo["lon"]) == pytest.approx((35.55, 139.68))  # its two places' mean
    assert npo["shape"] == "diamond"  # an open place and support services: both
    assert npo["colour"] == coordinator.KIND_COLOURS["NPO"]
    assert sorted(npo["tags"]) == ["meal_provision", "study_support"]
    assert (drawing["partnerships"], drawing["flows"]) == ([], [])
    assert drawing["detail"] == "/network/organisations/00000000-0000-0000-0000-000000000000/"
    # The filter offers the tags the map's organisations address, in the reader's language.
    assert '<option value="meal_provision">Meal provision</option>' in html
    assert "financial_hardship" not in html
    detail = client.get(f"/network/organisations/{npo['id']}/").content.decode()
    assert "<h2" in detail
    assert "こども食堂さくら" in detail
    assert f'href="/routes/?from={npo["id"]}"' in detail
    unknown = client.get("/network/organisations/0b7c3c52-2d1f-4a7e-9a55-5d8c1c1f0a11/")
    assert unknown.status_code == 404
    assert client.get("/network/", {"area": "131121"}).status_code == 403
    assert client.get("/network/", {"area": "abc"}).status_code == 400


@pytest.mark.usefixtures("graph_db", "db", "redis_db")
def test_the_map_draws_protected_flows_and_leaves_out_deactivated_organisations():
    from referral_hub.accounts.actor import SYSTEM
    from referral_hub.directory import services as directory
    from tests.pathways import cell_keys
    from tests.pathways.test_network_map import refer_to_study
    from tests.referrals.flows import build_case

    network, people, _ = build_case()
    refer_to_study(network, people, 5)  # 桜中学校 (川崎区) → NPO法人まなびの森 (中原区)
    cell_keys.fix(0)
    client = city_coordinator()

    def drawn():
        html = client.get("/network/", {"area": KAWASAKI}).content.decode()
        data = re.search(r'<script id="network-data" type="application/json">(.*?)</script>', html)
        assert data is not None
        return html, json.loads(data.group(1))

    html, drawing = drawn()
    assert drawing["flows"] == [[network["school"], network["npo"], 8]]  # 5 publish as 8
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "<td>川崎市立桜中学校</td><td>NPO法人まなびの森</td>" in table
    assert '<td class="number">8</td>' in table
    assert "0 flows under 5 not shown." in html
    # A deactivated organisation leaves the map with its edges: no flow to a missing node.
    directory.organisation_deactivate(actor=SYSTEM, organisation_id=network["npo"])
    html, drawing = drawn()
    assert network["npo"] not in {node["id"] for node in drawing["nodes"]}
    assert drawing["flows"] == []
    assert "No flow between two organisations of the area has 5 or more referrals." in html


def test_the_coverage_of_the_coordinators_area(city):
    client = city
    assert client.get("/coverage/")["Location"] == f"/coverage/?area={KAWASAKI}"
    page = client.get("/coverage/", {"area": KAWASAKI})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Coverage: Kawasaki" in html
    # One column per ward, each a way into that ward's own coverage.
    for ward in WARDS:
        assert f'href="?area={ward}&amp;months=6"' in html
    # Rows: the tags with places (with their places in the whole city), then the gaps.
    table = html[html.index('<table class="rows coverage">') :]
    meal = table[table.index("Meal provision") :]
    meal = meal[: meal.index("</tr>")]
    assert "1 place<" in meal
    assert meal.count('class="shade-4"') == 1  # 川崎区, its only place
    assert meal.count('class="shade-0 gap"') == 6  # the six other wards: gaps
    study = table[table.index("Study support") :]
    study = study[: study.index("</tr>")]
    assert "2 places<" in study
    assert study.count('class="shade-4"') == 2  # 川崎区 and 中原区, one place each
    # A gap leads to the places around it: the tag's places in the area around the ward.
    assert f'href="/coverage/gap/?area={KAWASAKI}&amp;gap=141321&amp;tag=meal_provision"' in meal
    # A tag with no place in the whole city is a gap of the city: look in the prefecture.
    assert 'href="/coverage/gap/?area=140007&amp;gap=141305&amp;tag=financial_hardship"' in html
    # Nobody is registered: 0 is published as 0 (a count from 1 to 4 would be hidden).
    assert "0 registered pupils or people with no referral accepted in the last 6 months" in html
    assert "cell-key method" in html


def test_a_gap_shows_the_places_around_it_for_its_tag(city):
    page = city.get("/coverage/gap/", {"area": KAWASAKI, "gap": "141321", "tag": "meal_provision"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Places for Meal provision around Kawasaki-shi Saiwai-ku" in html
    assert "Kawasaki-shi Saiwai-ku has none. These are the places in Kawasaki-shi" in html
    assert "The first 20 by name are shown." not in html  # one place: all of them
    assert "こども食堂さくら" in html
    assert "川崎教室" in html
    assert "学習支援" not in html  # another tag
    nothing = city.get(
        "/coverage/gap/", {"area": "140007", "gap": KAWASAKI, "tag": "financial_hardship"}
    )
    assert "There is no place for this in the next area up either." in nothing.content.decode()
    unknown = city.get("/coverage/gap/", {"area": KAWASAKI, "tag": "no_such_tag"})
    assert unknown.status_code == 400
    assert "unknown tag(s) no_such_tag" in unknown.content.decode()
    assert city.get("/coverage/gap/", {"area": "x", "tag": "meal_provision"}).status_code == 400
    assert city.get("/coverage/gap/", {"area": KAWASAKI}).status_code == 400


def test_a_ward_has_no_columns_and_another_city_is_refused(city):
    ward = city.get("/coverage/", {"area": "141330"}).content.decode()
    assert "Coverage: Kawasaki-shi Nakahara-ku" in ward
    assert "shade-" not in ward.split("<thead>")[1].split("</thead>")[0]
    foreign = city.get("/coverage/", {"area": "131121"})  # 世田谷区
    assert foreign.status_code == 403


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"area": "14130"}, "area", "An area code is six digits, like 141305."),
        ({"area": "999999"}, "area", "area 999999 is not an area."),
        ({"area": KAWASAKI, "months": "0"}, "months", "months must be between 1 and 24."),
        ({"area": KAWASAKI, "months": "25"}, "months", "months must be between 1 and 24."),
        ({"area": KAWASAKI, "months": "six"}, "months", "Give a whole number of months"),
    ],
)
def test_coverage_form_errors_are_named_beside_their_field(city, query, field, message):
    before = events()
    page = city.get("/coverage/", query)
    assert page.status_code == 422
    html = page.content.decode()
    assert f'id="f-{field}-error"' in html
    assert message in html
    assert events() == before  # coverage is not subject data: nothing to audit either way


def test_coverage_accepts_both_ends_of_the_months_range(city):
    for months in ("1", "24"):
        assert city.get("/coverage/", {"area": KAWASAKI, "months": months}).status_code == 200


@pytest.fixture
def flows_coordinator(flows_network):  # noqa: F811 - the imported fixture
    return city_coordinator()


def test_flows_show_protected_cells_and_download_as_csv(flows_coordinator):
    client = flows_coordinator
    assert client.get("/flows/")["Location"] == f"/flows/?area={KAWASAKI}"
    html = client.get("/flows/", {"area": KAWASAKI}).content.decode()
    # 5 referrals school → welfare office, published with cell key 0 as 8; the 2 to the
    # NPO are hidden whole; the total is its own cell.
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert row.count("<tr>") == 1
    assert "Schools" in row
    assert "Welfare offices" in row
    assert '<td class="number">8</td>' in row
    assert "All referrals: 8" in html
    assert "1 cell under 5 not shown" in html
    assert "cell-key method" in html
    link = re.search(r'href="\?([^"]*)&amp;format=csv"', html)
    assert link is not None
    download = client.get("/flows/?" + link.group(1).replace("&amp;", "&") + "&format=csv")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    # The last twelve months, this one included: named by the first and last month.
    first = forms.add_months(date.fromisoformat(PERIOD["since"]), -11).isoformat()[:7]
    assert download["Content-Disposition"] == (
        f'attachment; filename="flows-{KAWASAKI}-{first}-{PERIOD["since"][:7]}.csv"'
    )
    body = download.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows == [
        [
            "source_kind",
            "source_id",
            "source_name",
            "target_kind",
            "target_id",
            "target_name",
            "referrals",
            "acceptance_rate",
            "completion_rate",
            "median_days_to_accept",
        ],
        ["SCHOOL", "", "", "WELFARE_OFFICE", "", "", "8", "", "", ""],
    ]
    by_org = client.get("/flows/", {"area": KAWASAKI, "by": "organisation", "format": "csv"})
    assert "川崎市立桜中学校" in by_org.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-13"}, "from", "Give a month as YYYY-MM."),
        ({"to": "next month"}, "to", "Give a month as YYYY-MM."),
        ({"from": "2026-06", "to": "2026-05"}, "to", "period: until must be after since."),
        ({"from": "2023-01", "to": "2026-01"}, "to", "period: at most three years at once."),
        ({"by": "service"}, "by", "Choose a grouping."),
        ({"area": "999999"}, "area", "area 999999 is not an area."),
    ],
)
def test_flows_form_errors_are_named_and_no_csv_is_made(flows_coordinator, query, field, message):
    page = flows_coordinator.get("/flows/", {"area": KAWASAKI, **query, "format": "csv"})
    assert page.status_code == 422
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert f'id="f-{field}-error"' in html
    assert message in html


def test_flows_take_exactly_three_years_but_not_a_month_more(flows_coordinator):
    three_years = {"area": KAWASAKI, "from": "2023-12", "to": "2026-11"}
    assert flows_coordinator.get("/flows/", three_years).status_code == 200
    assert flows_coordinator.get("/flows/", {**three_years, "from": "2023-11"}).status_code == 422


def test_routes_start_from_the_own_organisation_or_a_named_one(chain):  # noqa: F811
    coordinator = signed_in_member("k-coordinator", chain["S"], Role.COORDINATOR).client
    coordinator.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    blank = coordinator.get("/routes/").content.decode()
    assert '<option value="financial_hardship">' in blank
    assert "<ol" not in blank  # nothing asked yet
    html = coordinator.get("/routes/", {"need": "financial_hardship", "hops": "3"}).content.decode()
    assert "From 桜中学校" in html
    routes = re.findall(r"<li>\s*<p>(.*?)\s*<span class=\"hint\">\((\d) partnerships?\)", html)
    assert [(re.sub(r"</?span>", "", r), int(h)) for r, h in routes] == [
        ("桜中学校 → NPO法人まなび → 福祉事務所", 2),
        ("桜中学校 → 図書館 → こども食堂 → フードバンク", 3),
    ]
    two = coordinator.get("/routes/", {"need": "financial_hardship", "hops": "2"}).content.decode()
    assert "フードバンク" not in two
    alone = coordinator.get("/routes/", {"from": chain["X"], "need": "meal_provision"})
    assert "No organisation that helps with this need is reachable" in alone.content.decode()
    for query, field in (
        ({"need": "meal_provision", "hops": "5"}, "f-hops"),
        ({"need": "meal_provision", "hops": "0"}, "f-hops"),
        ({"need": "no_such_need"}, "f-need"),
        ({"need": "Meal!"}, "f-need"),
    ):
        refused = coordinator.get("/routes/", query)
        assert refused.status_code == 422, query
        assert f'id="{field}-error"' in refused.content.decode(), query
    unknown = coordinator.get(
        "/routes/", {"from": "0b7c3c52-2d1f-4a7e-9a55-5d8c1c1f0a11", "need": "meal_provision"}
    )
    assert unknown.status_code == 422
    assert "No such organisation." in unknown.content.decode()


@pytest.mark.usefixtures("graph_db", "db", "redis_db")
def test_each_coordinator_page_answers_403_to_every_role_but_its_own():
    aggregate = {Role.COORDINATOR, Role.AUDITOR}
    office = _org("川崎市 こども未来局", "MUNICIPALITY", KAWASAKI)
    pages = {
        f"/network/?area={KAWASAKI}": aggregate,
        f"/network/organisations/{office}/": aggregate,
        f"/coverage/?area={KAWASAKI}": aggregate,
        f"/flows/?area={KAWASAKI}": aggregate,
        f"/coverage/gap/?area={KAWASAKI}&tag=meal_provision": aggregate,
        "/routes/?need=meal_provision": set(Role) - {Role.SYSTEM_ADMIN},
    }
    for role in (Role.COUNSELLOR, Role.CASEWORKER, Role.COORDINATOR, Role.AUDITOR, Role.ORG_ADMIN):
        client = signed_in_member(f"p-{role.value.lower()}", office, role).client
        for path, allowed in pages.items():
            expected = 200 if role in allowed else 403
            assert client.get(path).status_code == expected, (path, role)
        # A form that cannot be read is no way in either.
        assert client.get("/coverage/?area=bad").status_code == (
            422 if role in aggregate else 403
        ), role


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_coordinators_pages_in_the_browser(city, browser, live_server, language, screenshots):
    user = get_user_model().objects.create_user(username="coordinator")
    office = Membership.objects.get(user__username="k-coordinator").organisation_id
    Membership.objects.create(user=user, organisation_id=office, role=Role.COORDINATOR.value)
    context = browser.new_context(locale="ja-JP" if language == "ja" else "en-US")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, live_server.url, "coordinator")
    page.wait_for_url(f"{live_server.url}/network/?area={KAWASAKI}")
    drawn = page.locator("#network-map[data-ready=true]")
    drawn.wait_for()
    assert drawn.get_attribute("data-nodes") == "2"
    assert drawn.locator("canvas").count() > 0
    page.locator("#map-tag").select_option("meal_provision")
    assert drawn.get_attribute("data-shown") == "1"  # the NPO; the city office addresses none
    page.locator("#map-find").fill("NPO法人まなび")
    page.locator("#map-find").dispatch_event("change")
    page.locator("#network-detail h2").wait_for()
    assert "こども食堂さくら" in page.locator("#network-detail").inner_text()
    assert_accessible(page)
    page.locator("nav a[href='/coverage/']").click()
    page.wait_for_url(f"{live_server.url}/coverage/?area={KAWASAKI}")
    assert page.locator("table.coverage tbody tr").count() > 2
    assert_accessible(page)
    page.locator("td.gap a[href*='gap=141321&tag=meal_provision']").click()
    page.wait_for_url(re.compile(r".*/coverage/gap/.*"))
    assert "こども食堂さくら" in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("nav a[href='/flows/']").click()
    page.wait_for_url(re.compile(rf".*/flows/\?area={KAWASAKI}$"))
    assert_accessible(page)
    page.locator("nav a[href='/routes/']").click()
    page.wait_for_url(f"{live_server.url}/routes/")
    page.locator("#f-need").select_option("study_support")
    page.locator("form.filters button").click()
    page.wait_for_url(re.compile(r".*/routes/\?need=study_support.*"))
    assert_accessible(page)
    context.close()
    assert outside == []
    assert [m for m in console if "Content Security Policy" in m] == []


_CITY = """
MATCH (o:Organisation) WHERE o.areaCode IN $codes
RETURN count(o) AS organisations,
       COUNT { MATCH (a:Organisation)-[:PARTNERS_WITH]->(b:Organisation)
               WHERE a.areaCode IN $codes AND b.areaCode IN $codes } AS partnerships
"""
_HUB = """
MATCH (o:Organisation)-[:PARTNERS_WITH]-(:Organisation) WHERE o.areaCode IN $codes
RETURN o.name AS name, count(*) AS partners ORDER BY partners DESC, name LIMIT 1
"""


@pytest.mark.browser
def test_the_demo_city_in_the_browser(graph_db, db, redis_db, browser, live_server, screenshots):
    """川崎市 as `make run` loads it (over a thousand organisations in seven wards): the
    whole city drawn, and a coverage column per ward. The screenshots of docs/web.md."""
    from referral_hub.directory import reference_data

    call_command("seed_demo", scale="city", seed=1, stdout=StringIO(), stderr=StringIO())
    office = _org("川崎市 こども未来局", "MUNICIPALITY", KAWASAKI)
    codes = reference_data.area_codes_within(KAWASAKI)
    city = session.read(lambda tx: tx.single(_CITY, codes=codes))
    assert city["organisations"] > 1000
    hub = session.read(lambda tx: tx.single(_HUB, codes=codes))["name"]
    user = get_user_model().objects.create_user(username="coordinator")
    Membership.objects.create(user=user, organisation_id=office, role=Role.COORDINATOR.value)
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "coordinator")
    page.wait_for_url(f"{live_server.url}/network/?area={KAWASAKI}")
    drawn = page.locator("#network-map[data-ready=true]")
    drawn.wait_for(timeout=30_000)
    assert int(drawn.get_attribute("data-nodes") or 0) == city["organisations"]
    assert int(drawn.get_attribute("data-edges") or 0) == city["partnerships"]  # no flows yet
    page.locator("#map-find").fill(hub)
    page.locator("#map-find").dispatch_event("change")
    page.locator("#network-detail h2").wait_for()
    assert hub in page.locator("#network-detail h2").inner_text()
    page.wait_for_timeout(300)  # the map's short animation to the chosen organisation
    screenshots(page, "network-map-ja")
    page.locator("nav a[href='/coverage/']").click()
    page.wait_for_url(f"{live_server.url}/coverage/?area={KAWASAKI}")
    assert page.locator("table.coverage thead th").count() == 2 + len(WARDS)
    assert_accessible(page)
    screenshots(page, "coverage-ja")
    context.close()
    assert outside == []
