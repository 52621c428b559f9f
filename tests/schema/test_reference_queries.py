"""areas, area and tags: the reference data a client needs to build filters."""

AREAS = "query($p: String) { areas(parentCode: $p) { code name nameEn kind parentCode } }"
AREA = "query($c: String!) { area(code: $c) { code name kind prefectureCode parentCode } }"
TAGS = "query($k: TagKind) { tags(kind: $k) { code kind labelJa labelEn stigmaSensitive } }"


def test_prefectures_then_their_municipalities(gql):
    prefectures = gql(AREAS)["data"]["areas"]
    assert len(prefectures) == 47
    assert prefectures[12] == {
        "code": "130001",
        "name": "東京都",
        "nameEn": "Tokyo",
        "kind": "PREFECTURE",
        "parentCode": None,
    }
    kawasaki = gql(AREAS, {"p": "141305"})["data"]["areas"]
    assert [a["name"] for a in kawasaki][:2] == ["川崎市川崎区", "川崎市幸区"]
    assert {a["kind"] for a in kawasaki} == {"WARD"}


def test_one_area_and_bad_codes(gql):
    assert gql(AREA, {"c": "131121"})["data"]["area"] == {
        "code": "131121",
        "name": "世田谷区",
        "kind": "SPECIAL_WARD",
        "prefectureCode": "13",
        "parentCode": "130001",
    }
    assert gql(AREA, {"c": "139998"})["data"]["area"] is None
    body = gql(AREA, {"c": "131122"})
    assert body["errors"][0]["extensions"] == {"code": "INVALID_AREA_CODE", "field": "code"}


def test_tags_by_kind(gql):
    interests = gql(TAGS, {"k": "INTEREST"})["data"]["tags"]
    assert len(interests) == 20
    assert {
        "code": "go_shogi",
        "kind": "INTEREST",
        "labelJa": "囲碁・将棋",
        "labelEn": "Go and shogi",
        "stigmaSensitive": False,
    } in interests
    assert len(gql(TAGS)["data"]["tags"]) == 66
