"""`make mutation`: how well tests/unit pins the pure domain modules (issue 24).

Two kinds of mutant, each judged by tests/unit alone (no Neo4j, no Redis):
- mutmut 3's, inside functions (operators, comparisons, constants, arguments, returns);
- our own, of module-level tables and constants, which mutmut never changes
  (referral_hub.devtools.table_mutants).

Everything runs in a scratch copy under .data/mutation, never in the work tree:
- the copy has its own pyproject.toml (pytest sees tests/unit only, so nothing starts a
  service) and its own tests/conftest.py, which refuses to run unless `referral_hub` is
  imported from the copy under test. The project is installed editable, and its import
  hook would otherwise hand the tests the unmutated code and every mutant would survive.
- before judging anything, a deliberately broken module must make the tests fail.

Survivors that no test can kill because they change nothing observable are listed, each
with its reason, in tests/unit/equivalent_mutants.toml and left out of the score.
A module passes at 90% and, for the consent, legal-basis, handoff and referral rules,
with no survivor at all; the exit status says whether every module passed.

    python -m referral_hub.devtools.mutation [--only consent/policy] [--no-mutmut] [--no-tables]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from referral_hub.devtools import table_mutants

REPO = Path(__file__).resolve().parents[2]
SCRATCH = REPO / ".data" / "mutation"
EQUIVALENTS = REPO / "tests" / "unit" / "equivalent_mutants.toml"

MODULES = (
    "referral_hub/referrals/deadlines.py",
    "referral_hub/pathways/scoring.py",
    "referral_hub/subjects/crypto.py",
    "referral_hub/consent/policy.py",
    "referral_hub/pathways/rules.py",
    "referral_hub/consent/legal_basis.py",
    "referral_hub/notifications/messages.py",
    "referral_hub/referrals/handoff.py",
    "referral_hub/directory/rules.py",
    "referral_hub/core/validation.py",
    "referral_hub/referrals/rules.py",
    "referral_hub/directory/finder.py",
    "referral_hub/web/places_form.py",
)
# No survivor at all here: these decide who may see a person's data and when.
STRICT = frozenset(
    {
        "referral_hub/consent/policy.py",
        "referral_hub/consent/legal_basis.py",
        "referral_hub/referrals/handoff.py",
        "referral_hub/referrals/rules.py",
    }
)
THRESHOLD = 0.90

# mutmut's exit codes (mutmut.stats.status_by_exit_code): failing tests, a pytest internal
# error, a timeout or a type-check rejection all mean the mutant was caught.
_CAUGHT = frozenset({1, 3, 24, -24, 36, 37, 152, 255})

_PYPROJECT = """\
# Written by referral_hub.devtools.mutation for its scratch copy; not the project's.
[tool.mutmut]
source_paths = ["referral_hub"]
only_mutate = [{only}]
also_copy = ["graph", "schema"]
pytest_add_cli_args = ["-p", "no:randomly", "-p", "no:cacheprovider"]
pytest_add_cli_args_test_selection = ["tests/unit"]

[tool.pytest.ini_options]
DJANGO_SETTINGS_MODULE = "referral_hub.test_settings"
django_find_project = false
testpaths = ["tests/unit"]
addopts = "-p no:randomly"
"""

_CONFTEST = '''\
"""Scratch copy for make mutation: the code under test must be this copy's."""

from pathlib import Path

import referral_hub

_HERE = Path(__file__).resolve().parent.parent
_USED = Path(referral_hub.__file__).resolve().parent.parent
if _USED != _HERE:
    raise RuntimeError(f"referral_hub imported from {_USED}, not the copy under test {_HERE}")
'''

_SHOW_DIFFS = """\
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
print(json.dumps({name: get_diff_for_mutant(name) for name in json.load(sys.stdin)}))
"""


@dataclass
class Score:
    module: str
    mutants: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        counted = self.mutants - self.equivalent
        return self.killed / counted if counted else 1.0

    @property
    def passed(self) -> bool:
        return self.score >= THRESHOLD and not (self.module in STRICT and self.survivors)


def _ignore(directory: str, names: list[str]) -> set[str]:
    skip = {"__pycache__", "node_modules", "vendor", "mutants"}
    return {name for name in names if name in skip or name.endswith((".pyc", ".meta"))}


def build_scratch(target: Path, modules: Iterable[str]) -> Path:
    """A fresh copy of the code and tests/unit with the configuration described above."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for package in ("referral_hub", "graph", "schema"):
        shutil.copytree(REPO / package, target / package, ignore=_ignore)
    shutil.copytree(REPO / "tests" / "unit", target / "tests" / "unit", ignore=_ignore)
    shutil.copy2(REPO / "tests" / "__init__.py", target / "tests" / "__init__.py")
    (target / "tests" / "conftest.py").write_text(_CONFTEST, encoding="utf-8")
    only = ", ".join(f'"{module}"' for module in modules)
    (target / "pyproject.toml").write_text(_PYPROJECT.format(only=only), encoding="utf-8")
    return target


def sanity_check(scratch: Path) -> None:
    """The unmutated copy passes, and a broken one fails: otherwise no verdict means anything."""
    if table_mutants.run_tests(scratch, ["tests/unit"]) != 0:
        sys.exit("tests/unit fails on the unmutated copy: fix that first")
    probe = scratch / "referral_hub" / "referrals" / "rules.py"
    original = probe.read_text(encoding="utf-8")
    try:
        probe.write_text(original + "\nraise RuntimeError('broken on purpose')\n", "utf-8")
        if table_mutants.run_tests(scratch, ["tests/unit/test_referral_rules.py"]) == 0:
            sys.exit("a broken module passed tests/unit: the copy under test is not imported")
    finally:
        probe.write_text(original, encoding="utf-8")


def _function(key: str, module: str) -> str:
    """`referral_hub.x.y.xǁClassǁmethod__mutmut_3` -> `Class.method`."""
    dotted = module.removesuffix(".py").replace("/", ".")
    name = key.removeprefix(dotted + ".").rsplit("__mutmut_", 1)[0]
    if name.startswith("xǁ"):
        return ".".join(name.removeprefix("xǁ").split("ǁ"))
    return name.removeprefix("x_")


def describe(function: str, diff: str) -> str:
    """A mutant as `function: removed lines -> added lines`, stable across renumbering."""
    lines = diff.splitlines()
    removed = [line[1:].strip() for line in lines if line[:1] == "-" and line[:3] != "---"]
    added = [line[1:].strip() for line in lines if line[:1] == "+" and line[:3] != "+++"]
    return f"{function}: {' / '.join(removed)} -> {' / '.join(added)}"


def run_mutmut(scratch: Path, modules: list[str], scores: dict[str, Score]) -> None:
    log = scratch / "mutmut.log"
    print(f"mutmut over {len(modules)} module(s), one process; output in {log}", flush=True)
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", "1"],
            cwd=scratch,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(scratch)},
            check=False,
        )
    if done.returncode != 0:
        sys.exit(f"mutmut failed (exit {done.returncode}); see {log}")
    survivors: dict[str, str] = {}  # mutant name -> module
    for module in modules:
        meta = json.loads((scratch / "mutants" / f"{module}.meta").read_text(encoding="utf-8"))
        for name, code in meta["exit_code_by_key"].items():
            scores[module].mutants += 1
            if code in _CAUGHT:
                scores[module].killed += 1
            else:  # survived, no test reached it, not run, or suspicious
                survivors[name] = module
    if not survivors:
        return
    diffs = json.loads(
        subprocess.run(
            [sys.executable, "-c", _SHOW_DIFFS],
            cwd=scratch,
            input=json.dumps(sorted(survivors)),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    for name, module in sorted(survivors.items()):
        scores[module].survivors.append(describe(_function(name, module), diffs[name]))


def run_tables(scratch: Path, modules: list[str], scores: dict[str, Score]) -> None:
    for module in modules:
        source = (scratch / module).read_text(encoding="utf-8")
        mutants = table_mutants.mutants_of(module, source)
        print(f"table mutants of {module}: {len(mutants)}", flush=True)
        for mutant in mutants:
            scores[module].mutants += 1
            if table_mutants.judge(scratch, mutant):
                scores[module].killed += 1
            else:
                scores[module].survivors.append(f"table {mutant.change}")


def load_equivalents() -> dict[tuple[str, str], str]:
    entries = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8")).get("equivalent", [])
    return {(entry["module"], entry["mutant"]): entry["reason"] for entry in entries}


def apply_equivalents(scores: dict[str, Score], equivalents: dict[tuple[str, str], str]) -> None:
    used: set[tuple[str, str]] = set()
    for score in scores.values():
        remaining = []
        for survivor in score.survivors:
            key = (score.module, survivor)
            if key in equivalents:
                score.equivalent += 1
                used.add(key)
            else:
                remaining.append(survivor)
        score.survivors = remaining
    for module, mutant in sorted(set(equivalents) - used):
        if module in scores:
            print(f"note: {EQUIVALENTS.name} lists a mutant that no longer survives: {mutant}")


def report(scores: dict[str, Score]) -> bool:
    print("\n| module | mutants | killed | equivalent | survived | score |")
    print("|---|---:|---:|---:|---:|---:|")
    for score in scores.values():
        name = score.module.removeprefix("referral_hub/").removesuffix(".py")
        print(
            f"| {name} | {score.mutants} | {score.killed} | {score.equivalent} "
            f"| {len(score.survivors)} | {score.score:.0%} |"
        )
    for score in scores.values():
        for survivor in score.survivors:
            print(f"survived {score.module}: {survivor}")
    failed = [score.module for score in scores.values() if not score.passed]
    if failed:
        print(f"\nbelow {THRESHOLD:.0%}, or a survivor where none may be: {', '.join(failed)}")
    return not failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m referral_hub.devtools.mutation")
    parser.add_argument("--only", action="append", metavar="AREA/MODULE", default=[])
    parser.add_argument("--no-mutmut", action="store_true", help="only the table mutants")
    parser.add_argument("--no-tables", action="store_true", help="only mutmut's mutants")
    args = parser.parse_args(argv)
    modules = [m for m in MODULES if not args.only or any(o in m for o in args.only)]
    if not modules:
        parser.error(f"--only matches none of {', '.join(MODULES)}")
    started = time.monotonic()
    scores = {module: Score(module) for module in modules}
    scratch = build_scratch(SCRATCH / "copy", modules)
    sanity_check(scratch)
    if not args.no_mutmut:
        run_mutmut(scratch, modules, scores)
    if not args.no_tables:
        run_tables(build_scratch(SCRATCH / "tables", modules), modules, scores)
    apply_equivalents(scores, load_equivalents())
    passed = report(scores)
    total = sum(score.mutants for score in scores.values())
    print(f"\n{total} mutants in {time.monotonic() - started:.0f} s")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
