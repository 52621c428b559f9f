"""PyPI has unrelated packages called `graph` and `schema`; ours must be the ones imported."""

import re
from pathlib import Path

import graph
import referral_hub
import schema

ROOT = Path(__file__).resolve().parents[1]


def test_top_level_packages_are_this_repository():
    for package in (graph, schema, referral_hub):
        assert Path(package.__file__).resolve().parent.parent == ROOT, package.__file__


README = ROOT / "README.md"
_TOP = re.compile(r"^([\w-]+(?:/[\w-]+)*/)")
_SUB = re.compile(r"^  ([\w-]+/)")
_NAMES = re.compile(r"(?<![\w/.-])([\w-]+(?:/[\w-]+)*(?:\.py|/))(?![\w])")


def _architecture_map() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("referral_hub/   settings.py")
    return text[start : text.index("```", start)].splitlines()


def _named_paths() -> set[Path]:
    """Every folder and module the README's architecture map names, as paths: a name is
    read in the folder its entry is about, or in a folder named earlier in the entry."""
    named: set[Path] = set()
    top = sub = ROOT
    places: list[Path] = [ROOT]
    for line in _architecture_map():
        if match := _TOP.match(line):
            top = sub = ROOT / match.group(1)
            named.add(top)
            places = [top, ROOT]
        elif match := _SUB.match(line):
            sub = top / match.group(1)
            named.add(sub)
            places = [sub, top, ROOT]
        for name in _NAMES.findall(line[16:]):  # descriptions start in column 17
            found = next((place / name for place in places if (place / name).exists()), None)
            named.add(found or sub / name)
            if found is not None and found.is_dir():
                places.insert(0, found)
    return named


def test_the_readmes_architecture_map_names_only_what_exists():
    missing = sorted(str(p.relative_to(ROOT)) for p in _named_paths() if not p.exists())
    assert missing == []


def test_the_readmes_architecture_map_names_every_package():
    named = {p.resolve() for p in _named_paths()}
    packages = [
        folder
        for root in ("referral_hub", "schema")
        for folder in sorted((ROOT / root).iterdir())
        if (folder / "__init__.py").exists()
    ]
    assert [str(p.relative_to(ROOT)) for p in packages if p.resolve() not in named] == []
