"""A location's JIS area from its address, when no private attribute says it: the
prefecture and municipality names an HSDS address holds (state_province, city), matched
against the JIS areas the hub ships — offline, nothing looked up elsewhere."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from referral_hub.directory.rules import prefecture_code_of


def _key(name: str | None) -> str:
    """Names as written compare equal: full-width/half-width and spaces do not matter."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


class AreaFinder:
    """Built once per import from the area names (JIS code → 東京都, 狛江市, 川崎市川崎区)."""

    def __init__(self, area_names: Mapping[str, str]) -> None:
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

    @staticmethod
    def _names(city: str, street: str) -> list[str]:
        """The most precise name first: 川崎市川崎区 before 川崎市."""
        rest = street.removeprefix(city)
        # Ward names are short (中央区, 川崎区): a 区 further on is part of the street.
        ward = rest[: rest.find("区") + 1] if "区" in rest[:5] else ""
        if city.endswith("市") and ward:
            return [city + ward, city]
        return [city]
