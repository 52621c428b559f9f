"""GraphiQL on a closed network (issue 14): every file it needs comes from the hub, and
Japanese text has a font to be drawn with. The browser may reach 127.0.0.1 only; any
request for another host is recorded and refused, as a cut-off municipal network would."""

import pytest

from tests.pages.conftest import closed_network

pytestmark = pytest.mark.browser

EDITOR = ".graphiql-query-editor .CodeMirror"


@pytest.fixture
def offline(page):
    """The page, with every request to another host refused and recorded."""
    outside: list[str] = []
    closed_network(page, outside)
    return page, outside


def test_graphiql_loads_and_answers_with_the_network_unplugged(
    live_server, offline, settings, graph_db, redis_db
):
    settings.GRAPHQL_INTROSPECTION = True  # GraphiQL is offered exactly when this is on
    page, outside = offline
    page.goto(f"{live_server.url}/graphql", wait_until="networkidle")
    page.wait_for_selector(EDITOR)
    page.evaluate(
        f"document.querySelector('{EDITOR}').CodeMirror"
        ".setValue('{ health { neo4j { version } } }')"
    )
    with page.expect_response(
        lambda r: r.request.method == "POST" and "health" in (r.request.post_data or "")
    ) as answered:
        page.click(".graphiql-execute-button")
    body = answered.value.json()
    assert "data" in body, body
    version = body["data"]["health"]["neo4j"]["version"]
    assert version.startswith("5.")
    page.wait_for_function(f"document.body.innerText.includes('{version}')")  # shown
    assert outside == []  # nothing was asked of another host


def test_without_introspection_there_is_no_graphiql(live_server, page, settings, graph_db):
    settings.GRAPHQL_INTROSPECTION = False
    response = page.goto(f"{live_server.url}/graphql")
    assert ".graphiql" not in page.content()
    assert response.status != 200


def test_japanese_has_a_font(live_server, page):
    """Without a CJK font a screenshot shows empty boxes (make deps: fonts-noto-cjk)."""
    page.set_content('<p lang="ja" style="font-family: sans-serif">つながり連携ハブ</p>')
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK JP\"', 'つながり')")
    widths = page.evaluate(
        """() => {
        const canvas = document.createElement('canvas').getContext('2d');
        canvas.font = '16px "Noto Sans CJK JP"';
        return ['つ', '連', '□'].map(c => canvas.measureText(c).width);
    }"""
    )
    assert widths[0] > 0
    assert widths[1] > 0
