from referral_hub.directory import reference_data
from referral_hub.directory.rules import AreaKind, TagKind, is_valid_area_code


def test_every_shipped_area_code_checks():
    areas, _ = reference_data.area_rows()
    assert all(is_valid_area_code(area.code) for area in areas)
    assert sum(area.kind == AreaKind.PREFECTURE for area in areas) == 47
    # 1,741 municipalities (with Tokyo's 23 wards), plus the six Northern Territories villages.
    municipal = {
        AreaKind.CITY,
        AreaKind.DESIGNATED_CITY,
        AreaKind.SPECIAL_WARD,
        AreaKind.TOWN,
        AreaKind.VILLAGE,
    }
    assert sum(area.kind in municipal for area in areas) == 1741 + 6


def test_wards_belong_to_their_designated_city_and_the_rest_to_the_prefecture():
    by_code = {area.code: area for area in reference_data.area_rows()[0]}
    assert by_code["141313"].parent_code == "141305"  # 川崎市川崎区 → 川崎市
    assert by_code["271021"].parent_code == "271004"  # 大阪市都島区 → 大阪市
    assert by_code["141305"].parent_code == "140007"  # 川崎市 → 神奈川県
    assert by_code["131121"].parent_code == "130001"  # 世田谷区 → 東京都
    wards = [a for a in by_code.values() if a.kind == AreaKind.WARD]
    assert all(by_code[w.parent_code].kind == AreaKind.DESIGNATED_CITY for w in wards)
    assert all(w.name.startswith(by_code[w.parent_code].name) for w in wards)


def test_areas_within_include_every_level_below():
    kawasaki = reference_data.area_codes_within("141305")
    assert kawasaki[0] == "141305"
    assert len(kawasaki) == 1 + 7
    kanagawa = reference_data.area_codes_within("140007")
    assert set(kawasaki) <= set(kanagawa)
    assert reference_data.area_codes_within("131121") == ["131121"]


def test_starter_taxonomy():
    tags, _ = reference_data.tag_rows()
    codes = [tag["code"] for tag in tags]
    assert len(codes) == len(set(codes)) >= 60
    assert {tag["kind"] for tag in tags} == {k.value for k in TagKind}
    by_code = {tag["code"]: tag for tag in tags}
    assert by_code["school_non_attendance"]["label_ja"] == "不登校"
    assert by_code["school_non_attendance"]["stigma_sensitive"] is True
