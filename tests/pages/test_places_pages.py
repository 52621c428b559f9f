"""The public place finder's pages (/places/): no sign-in, no JavaScript, no cookie, only
public directory data, nothing from another host, rate-limited and cached."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from graph import session
from graph.session import count_round_trips
from referral_hub.accounts.roles import Role
from referral_hub.web.security import PUBLIC
from tests import finder_fixtures
from tests.conftest import member, signed_in_member
from tests.directory_fixtures import KAWASAKI_KU, NAKAHARA_KU, _svc
from tests.pages.conftest import assert_accessible, closed_network
from tests.referrals.flows import REGISTER, create, give_consent

ALL_PLACES = ["おはなし会", "みんなの子ども食堂", "ボードゲームの会", "囲碁サロン"]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def network(graph_db, db, redis_db):
    return finder_fixtures.build()


def _titles(html: str) -> list[str]:
    return re.findall(r"<h3>([^<]+)</h3>", html)


def _no_cookie(response) -> None:
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in response.headers.get("Vary", "").lower()


# --- without a browser: headers, cookies, limits, cache ------------------------------------


def test_the_finder_answers_anyone_with_public_cacheable_cookieless_pages(network):
    response = Client().get("/places/", {"tag": "reading"})

    assert response.status_code == 200
    assert _titles(response.content.decode()) == ["おはなし会"]
    assert response["Content-Security-Policy"] == PUBLIC
    assert "script-src" not in PUBLIC
    assert "default-src 'none'" in PUBLIC
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Content-Language"] == "ja"
    _no_cookie(response)


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/places/", {}, 200),
        ("/places/", {"tag": "go_shogi", "area": "131121"}, 200),
        ("/places/", {"area": "12345"}, 400),
        ("/places/", {"area": KAWASAKI_KU, "km": "far"}, 400),
        ("/places/roles/", {"tag": "reading"}, 200),
        ("/places/en/", {"tag": "reading"}, 200),
        ("/places/en/roles/", {}, 200),
        ("/places/no-such-page/", {}, 404),
    ],
)
def test_no_answer_under_places_sets_a_cookie(network, path, query, status):
    # A browser that still holds cookies of the staff pages sends them; nothing comes back.
    client = Client()
    client.cookies["sessionid"] = "stale-session"
    client.cookies["hub_language"] = "en"

    response = client.get(path, query)

    assert response.status_code == status
    _no_cookie(response)


def test_a_signed_in_visitor_gets_the_same_page_and_no_cookie(network):
    staff = signed_in_member("finder-counsellor", network["school"], Role.COUNSELLOR)

    response = staff.client.get("/places/", {"tag": "reading"})

    assert response.status_code == 200
    assert _titles(response.content.decode()) == ["おはなし会"]
    _no_cookie(response)


def test_a_person_who_must_still_enrol_a_second_factor_may_use_the_finder(network):
    from django.contrib.auth import get_user_model

    from referral_hub.accounts.models import Membership

    user = get_user_model().objects.create_user(username="no-factor-yet")
    Membership.objects.create(
        user=user, organisation_id=network["school"], role=Role.COUNSELLOR.value
    )
    client = Client()
    client.force_login(user)
    assert client.get("/inbox/").status_code == 302  # staff pages: enrol first

    response = client.get("/places/", {"tag": "reading"})

    assert response.status_code == 200
    assert _titles(response.content.decode()) == ["おはなし会"]
    _no_cookie(response)


def test_the_n_plus_first_page_in_a_minute_is_429_without_a_cookie(network, settings):
    settings.HUB_PUBLIC_RATE = 3
    client = Client()

    for _ in range(3):
        assert client.get("/places/").status_code == 200
    refused = client.get("/places/")

    assert refused.status_code == 429
    assert "この接続からの検索が多すぎます" in refused.content.decode()
    assert refused["Cache-Control"] == "no-store"
    assert refused["Retry-After"] == "60"
    _no_cookie(refused)


def test_behind_a_trusted_proxy_the_pages_count_each_client(network, settings):
    from referral_hub.core.forwarding import parse_networks

    settings.HUB_PUBLIC_RATE = 1
    settings.HUB_TRUSTED_PROXIES = parse_networks("10.244.0.0/16")

    def page(forwarded: str) -> int:
        client = Client(REMOTE_ADDR="10.244.3.4", HTTP_X_FORWARDED_FOR=forwarded)
        return client.get("/places/").status_code

    assert [page("192.0.2.1"), page("192.0.2.2"), page("192.0.2.1")] == [200, 200, 429]


def test_a_repeated_search_costs_no_round_trip(network):
    client = Client()
    with count_round_trips() as trips:
        client.get("/places/", {"tag": "reading", "area": NAKAHARA_KU})
    assert trips.count == 2  # the form's choices and the search, one statement each

    with count_round_trips() as again:
        response = client.get("/places/", {"area": NAKAHARA_KU, "tag": "reading"})
    assert again.count == 0
    assert _titles(response.content.decode()) == ["おはなし会"]


_BANDS = """
MATCH (n:Service {id: $id})
SET n.statsComputedAt = datetime(), n.statsReplyBand = 'WITHIN_A_DAY',
    n.statsAcceptanceBand = 'MORE_THAN_HALF', n.statsCompletionBand = 'SOME',
    n.capacityStatus = 'WAITLIST', n.responseTargetHours = 17
"""


def test_the_pages_show_no_person_member_id_capacity_or_statistics(network):
    counsellor = member("finder-counsellor", network["school"], Role.COUNSELLOR)
    people = {"counsellor": counsellor}
    subject = counsellor(REGISTER)["data"]["registerSubject"]["subject"]["id"]
    give_consent(people, subject, organisationIds=[network["cafe_org"]])
    referral = create(people, subject, network["cafe"])["data"]["createReferral"]["referral"]
    session.write(lambda tx: tx.run(_BANDS, id=network["cafe"]).consume())

    pages = [
        Client().get(path, query).content.decode()
        for path, query in [
            ("/places/", {}),
            ("/places/", {"tag": "cooking"}),
            ("/places/", {"area": KAWASAKI_KU}),
            ("/places/en/", {"tag": "cooking"}),
            ("/places/roles/", {"tag": "cooking"}),
        ]
    ]

    assert "みんなの子ども食堂" in pages[1]
    for html in pages:
        assert UUID.findall(html) == []  # no id of anything: subject, referral, service
        for secret in (
            subject,
            referral["id"],
            "山田",
            "090-1111-2222",
            "不登校",  # the referral's summary and the cafe's needs
            "finder-counsellor",
            "WITHIN_A_DAY",
            "MORE_THAN_HALF",
            "WAITLIST",
            "eating_alone",
            "meal_provision",
        ):
            assert secret not in html


# --- in Chromium with JavaScript off --------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.urls += [value or "" for name, value in attrs if name in ("src", "href", "action")]


def _only_here(html: str) -> None:
    """Nothing on the page names another host, and there is no script."""
    links = _Links()
    links.feed(html)
    assert links.scripts == 0
    assert [u for u in links.urls if re.match(r"(?i)^(https?:)?//", u)] == []


@pytest.fixture
def no_script(browser):
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    outside: list[str] = []
    closed_network(context, outside)
    yield context.new_page(), outside
    context.close()


def _seen(page) -> list[str]:
    return page.locator("article.result h3").all_inner_texts()


def _check(page) -> None:
    """axe-core on the page as the no-script browser got it, in a browser that runs axe's
    script (axe cannot run where script is off; the page has none, so both render alike);
    then no other host, no script and no cookie."""
    html = page.content()
    _only_here(html)
    assert page.context.cookies() == []
    context = page.context.browser.new_context(locale="ja-JP")
    try:
        checker = context.new_page()
        checker.goto(page.url)
        assert checker.content() == html
        assert_accessible(checker)
    finally:
        context.close()


@pytest.mark.browser
def test_search_by_interest_and_by_area_without_javascript(
    network, no_script, live_server, screenshots
):
    page, outside = no_script
    page.goto(f"{live_server.url}/places/")
    assert page.locator("h1").inner_text() == "行ける居場所"
    assert _seen(page) == ALL_PLACES
    _check(page)

    page.get_by_label("読書").check()
    page.get_by_role("button", name="探す").click()
    assert _seen(page) == ["おはなし会"]
    assert "tag=reading" in page.url
    _check(page)
    screenshots(page, "places-ja")

    page.get_by_label("読書").uncheck()
    page.get_by_label("地域").select_option(KAWASAKI_KU)
    page.get_by_role("button", name="探す").click()
    assert _seen(page) == ["みんなの子ども食堂", "ボードゲームの会"]
    _check(page)

    page.get_by_role("link", name="この近くの居場所").first.click()
    assert _seen(page) == ["みんなの子ども食堂", "ボードゲームの会"]
    assert page.locator("article.result dd", has_text="km").first.inner_text() == "0.0 km"
    _check(page)
    assert outside == []


@pytest.mark.browser
def test_paging_no_results_and_roles_without_javascript(network, no_script, live_server):
    for number in range(10):
        _svc(
            network["library"],
            network["library_loc"],
            f"読書会{number:02d}",
            "EXCHANGE",
            ["reading"],
        )
    page, outside = no_script

    page.goto(f"{live_server.url}/places/?tag=reading")
    assert _seen(page) == ["おはなし会", *[f"読書会{n:02d}" for n in range(9)]]
    page.get_by_role("link", name="次のページ").click()
    assert _seen(page) == ["読書会09"]
    assert page.get_by_role("link", name="次のページ").count() == 0
    _check(page)
    page.get_by_role("link", name="最初のページ").click()
    assert len(_seen(page)) == 10

    page.goto(f"{live_server.url}/places/?tag=photography")
    assert _seen(page) == []
    assert "見つかりませんでした" in page.locator(".none").inner_text()
    _check(page)

    page.get_by_role("link", name="できること").click()
    assert page.locator("h1").inner_text() == "できること"
    assert _seen(page) == []  # still photography
    page.goto(f"{live_server.url}/places/roles/")
    assert _seen(page) == ["子ども食堂の調理の手伝い", "絵本の読み聞かせボランティア"]
    _check(page)
    assert outside == []


@pytest.mark.browser
def test_the_english_page_and_an_error_without_javascript(network, no_script, live_server):
    page, outside = no_script
    page.goto(f"{live_server.url}/places/?tag=reading")
    page.get_by_role("link", name="English").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Places to go"
    assert page.get_by_label("Reading").is_checked()
    assert _seen(page) == ["おはなし会"]
    _check(page)

    page.goto(f"{live_server.url}/places/en/?area=999997")
    assert page.locator(".error-summary").inner_text().endswith("That area is not in the list.")
    _check(page)

    page.get_by_role("link", name="日本語").click()
    assert page.locator("html").get_attribute("lang") == "ja"
    assert outside == []


@pytest.mark.browser
def test_a_phone_reads_the_page_without_scrolling_sideways(
    network, browser, live_server, screenshots
):
    context = browser.new_context(
        java_script_enabled=False, locale="ja-JP", viewport={"width": 360, "height": 740}
    )
    outside: list[str] = []
    closed_network(context, outside)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/places/?area={KAWASAKI_KU}")
        assert _seen(page) == ["みんなの子ども食堂", "ボードゲームの会"]
        # Playwright's own evaluation still runs where the page's script is off.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = page.get_by_role("button", name="探す").bounding_box()
        assert box is not None
        assert box["height"] >= 44  # a thumb's target (WCAG 2.5.5)
        screenshots(page, "places-phone-ja")
        assert outside == []
    finally:
        context.close()
