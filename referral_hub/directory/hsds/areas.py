"""A location's JIS area when no private attribute says it: from the prefecture and
municipality names its HSDS address holds (state_province, city), matched against the JIS
areas the hub ships, or failing that from its coordinates (the nearest municipal office)
— offline, nothing looked up elsewhere."""

from __future__ import annotations

import bisect
import math
import unicodedata
from collections.abc import Mapping

from referral_hub.directory.rules import prefecture_code_of


def _key(name: str | None) -> str:
    """Names as written compare equal: full-width/half-width and spaces do not matter."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


# The largest municipalities reach about this far from their office; a point farther
# from every office (at sea, abroad) gets no area rather than a wrong one.
NEAREST_OFFICE_KM = 40.0
_EARTH_KM = 6371.0
_KM_PER_DEGREE_LATITUDE = 111.2


class AreaFinder:
    """Built once per import from the area names (JIS code → 東京都, 狛江市, 川崎市川崎区)
    and the municipal offices (JIS code → latitude, longitude)."""

    def __init__(
        self,
        area_names: Mapping[str, str],
        offices: Mapping[str, tuple[float, float]] | None = None,
    ) -> None:
        # Sorted by latitude: only offices within reach north and south are measured.
        self.offices = sorted((lat, lon, code) for code, (lat, lon) in (offices or {}).items())
        self.latitudes = [lat for lat, _, _ in self.offices]
        self.prefectures: dict[str, str] = {}  # 東京都 and 東京 → "13"
        self.municipalities: dict[tuple[str, str], str] = {}  # ("13", 狛江市) → code
        self.nationwide: dict[str, list[str]] = {}  # 府中市 → two codes: ambiguous alone
        for code, name in area_names.items():
            prefecture = code[:2]
            if code == prefecture_code_of(code):
                key = _key(name)
                self.prefectures[key] = prefecture
                self.prefectures[key[:-1] if key[-1:] in "都道府県" else key] = prefecture
                continue
            self.municipalities[(prefecture, _key(name))] = code
            self.nationwide.setdefault(_key(name), []).append(code)

    def code_for(
        self, state_province: str | None, city: str | None, address_1: str | None = None
    ) -> str | None:
        """The area the names identify, or None when they name none or more than one. A
        designated city's ward is taken when the street address starts with it
        (city 川崎市, address 川崎区宮本町1)."""
        city_key = _key(city)
        if not city_key:
            return None
        prefecture = self.prefectures.get(_key(state_province))
        if prefecture is None and _key(state_province):
            return None  # a prefecture we do not know (MyState): no guess from the city
        for name in self._names(city_key, _key(address_1)):
            if prefecture is not None:
                found = self.municipalities.get((prefecture, name))
            else:
                candidates = self.nationwide.get(name, [])
                found = candidates[0] if len(candidates) == 1 else None
            if found is not None:
                return found
        return None

    def code_near(self, latitude: float, longitude: float) -> tuple[str, float] | None:
        """The area whose office is nearest the point, and how far it is (km), if within
        NEAREST_OFFICE_KM. Near a border the nearest office may be the neighbour's: the
        caller says so."""
        reach = NEAREST_OFFICE_KM / _KM_PER_DEGREE_LATITUDE
        low = bisect.bisect_left(self.latitudes, latitude - reach)
        high = bisect.bisect_right(self.latitudes, latitude + reach)
        best: tuple[str, float] | None = None
        for lat, lon, code in self.offices[low:high]:
            km = _distance_km(latitude, longitude, lat, lon)
            if km <= NEAREST_OFFICE_KM and (best is None or km < best[1]):
                best = (code, km)
        return best

    @staticmethod
    def _names(city: str, street: str) -> list[str]:
        """The most precise name first: 川崎市川崎区 before 川崎市."""
        rest = street.removeprefix(city)
        # Ward names are short (中央区, 川崎区): a 区 further on is part of the street.
        ward = rest[: rest.find("区") + 1] if "区" in rest[:5] else ""
        if city.endswith("市") and ward:
            return [city + ward, city]
        return [city]


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(a))
