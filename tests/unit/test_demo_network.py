from collections import Counter

from referral_hub.directory.demo import Scale, areas_for, batches


def test_the_same_seed_gives_the_same_network():
    first = [b.organisations + b.services for b in batches(Scale.CITY, seed=3)]
    again = [b.organisations + b.services for b in batches(Scale.CITY, seed=3)]
    other = [b.organisations + b.services for b in batches(Scale.CITY, seed=4)]
    assert first == again
    assert first != other


def test_scales_nest_and_national_covers_the_municipalities():
    city = {a.code for a in areas_for(Scale.CITY)}
    prefecture = {a.code for a in areas_for(Scale.PREFECTURE)}
    national = areas_for(Scale.NATIONAL)
    assert city <= prefecture <= {a.code for a in national}
    assert len(city) == 7  # 川崎市's wards
    # 1,741 municipalities, with the 20 designated cities replaced by their 171 wards.
    assert len(national) == 1741 - 20 + 171


def test_city_scale_is_realistic():
    kinds = Counter(o["kind"] for b in batches(Scale.CITY, seed=1) for o in b.organisations)
    # 川崎市 has about 1.5 million people: hundreds of schools and NPOs, tens of cafeterias.
    assert 300 < kinds["SCHOOL"] < 800
    assert 300 < kinds["NPO"] < 1200
    assert 50 < kinds["PLACE"] < 600
    assert kinds["WELFARE_OFFICE"] == kinds["MUNICIPALITY"] == 7
    ids = [o["id"] for b in batches(Scale.CITY, seed=1) for o in b.organisations]
    assert len(ids) == len(set(ids))
