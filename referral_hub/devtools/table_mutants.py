"""Mutants of module-level tables and constants, which mutmut leaves alone.

mutmut 3 mutates only inside functions, so a rule written as a table (`CAPACITY_FIT`,
the handoff table, a frozenset of allowed codes, `CONSENT_YEARS = 3`) could be changed
without any mutant noticing. This module makes those changes itself, one at a time:

- a number becomes that number plus one (`3` -> `4`, `0.0` -> `1.0`);
- a dict value is swapped with the next different value of the same dict;
- a member of a tuple, list, set or frozenset is dropped.

Each mutant is described as `NAME: before -> after` (stable across edits elsewhere in
the file), written into a scratch copy of the code and judged by running tests/unit there.
"""

from __future__ import annotations

import ast
import copy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# A path of (field, index) steps from the module node down to the node a mutant changes.
NodePath = tuple[tuple[str, int | None], ...]

_CONTAINERS = (ast.Tuple, ast.List, ast.Set)


@dataclass(frozen=True)
class TableMutant:
    module: str  # path relative to the repository, e.g. referral_hub/consent/policy.py
    change: str  # "NAME: before -> after"
    source: str  # the whole mutated module


def _short(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _children(node: ast.AST) -> Iterator[tuple[tuple[str, int | None], ast.AST]]:
    for field, value in ast.iter_fields(node):
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, ast.AST):
                    yield (field, i), item
        elif isinstance(value, ast.AST):
            yield (field, None), value


def _resolve(root: ast.AST, path: NodePath) -> ast.AST:
    node = root
    for field, index in path:
        value = getattr(node, field)
        node = value[index] if index is not None else value
    return node


def _replace(root: ast.AST, path: NodePath, new: ast.AST | None) -> None:
    """Put `new` where `path` points (None drops a list member)."""
    parent = _resolve(root, path[:-1])
    field, index = path[-1]
    if index is None:
        assert new is not None
        setattr(parent, field, new)
    elif new is None:
        del getattr(parent, field)[index]
    else:
        getattr(parent, field)[index] = new


def _is_number(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )


def _edits(
    node: ast.AST, path: NodePath, context: NodePath, label: str
) -> Iterator[tuple[NodePath, ast.AST | None, NodePath, str]]:
    """(where, replacement or None to drop, what to show, label) for every mutant in `node`.

    `context` is the innermost container or call around a number, shown before and after
    so that two changes of equal numbers read differently; `label` names the dict entry.
    """
    if isinstance(node, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
        return
    if _is_number(node):
        assert isinstance(node, ast.Constant)
        assert isinstance(node.value, int | float)
        yield path, ast.Constant(node.value + 1), context, label
    elif isinstance(node, ast.Dict):
        values = node.values
        for i, value in enumerate(values):
            others = [v for v in values[i + 1 :] + values[:i] if ast.dump(v) != ast.dump(value)]
            if others:
                where = (*path, ("values", i))
                yield where, copy.deepcopy(others[0]), where, _key_label(label, node, i)
    elif isinstance(node, _CONTAINERS) and len(node.elts) > 1:
        for i in range(len(node.elts)):
            yield (*path, ("elts", i)), None, path, label
    for step, child in _children(node):
        inner = (*path, step)
        if isinstance(node, ast.Dict) and step[0] == "values":
            assert step[1] is not None
            yield from _edits(child, inner, inner, _key_label(label, node, step[1]))
        elif isinstance(node, (*_CONTAINERS, ast.Call)):
            yield from _edits(child, inner, path, label)
        else:
            yield from _edits(child, inner, context, label)


def _key_label(label: str, node: ast.Dict, index: int) -> str:
    key = node.keys[index]
    return f"{label}[{_short(key) if key is not None else '**'}]"


def _target_name(statement: ast.Assign | ast.AnnAssign) -> str:
    target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
    return ast.unparse(target)


def mutants_of(module: str, source: str) -> list[TableMutant]:
    """Every table/constant mutant of one module's source, in source order."""
    tree = ast.parse(source)
    found: list[TableMutant] = []
    for index, statement in enumerate(tree.body):
        if not isinstance(statement, ast.Assign | ast.AnnAssign) or statement.value is None:
            continue
        name = _target_name(statement)
        if name.startswith("__"):  # __all__ and friends are not rules
            continue
        value_path: NodePath = (("body", index), ("value", None))
        for path, new, context, label in _edits(statement.value, value_path, value_path, name):
            if new is None and path[:-1] == value_path and name.startswith("("):
                continue  # `A, B = (a, b)` with a member dropped only fails to unpack
            mutated = copy.deepcopy(tree)
            _replace(mutated, path, new)
            before, after = _resolve(tree, context), _resolve(mutated, context)
            change = f"{label}: {_short(before)} -> {_short(after)}"
            found.append(TableMutant(module, change, ast.unparse(mutated)))
    return found


def files_importing(module: str, test_files: list[Path]) -> list[Path]:
    """The unit test files that import `module`; the first, quick round of a verdict."""
    dotted = module.removesuffix(".py").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    from_package = re.compile(rf"from {re.escape(package)} import [^\n]*\b{re.escape(name)}\b")
    return [
        path
        for path in test_files
        if dotted in (text := path.read_text(encoding="utf-8")) or from_package.search(text)
    ]


def run_tests(scratch: Path, tests: list[str], *, timeout: float = 300) -> int:
    """pytest's exit code for `tests` run in `scratch`, whose copy of the code is imported."""
    env = {**os.environ, "PYTHONPATH": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(
            command, cwd=scratch, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return -1  # a mutant that hangs the tests is caught
    return done.returncode


def judge(scratch: Path, mutant: TableMutant) -> bool:
    """True when tests/unit fails with the mutant in place (it is killed)."""
    target = scratch / mutant.module
    original = target.read_text(encoding="utf-8")
    test_files = sorted((scratch / "tests" / "unit").glob("test_*.py"))
    quick = [str(p.relative_to(scratch)) for p in files_importing(mutant.module, test_files)]
    try:
        target.write_text(mutant.source, encoding="utf-8")
        if quick and run_tests(scratch, quick) != 0:
            return True
        return run_tests(scratch, ["tests/unit"]) != 0
    finally:
        target.write_text(original, encoding="utf-8")
