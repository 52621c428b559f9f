"""The exported SDL passes graphql-schema-linter with the checked-in rule set (issue 21):
every type, field, argument, input field and enum value described, names as GraphQL
names them, deprecations with a reason, connections as Relay specifies them.

The linter is an npm package pinned in tools/schema-lint/package-lock.json; `make deps`
installs it (npm ci, cached in ~/.npm). The rules it runs, and why the others are off,
are in tools/schema-lint/.graphql-schema-linterrc and docs/api.md."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_DIR = ROOT / "tools" / "schema-lint"
LINTER = LINT_DIR / "node_modules" / ".bin" / "graphql-schema-linter"
SDL = ROOT / "schema" / "schema.graphql"

# The description and naming rules the issue asks for, which the config must keep.
REQUIRED_RULES = {
    "types-have-descriptions",
    "fields-have-descriptions",
    "arguments-have-descriptions",
    "input-object-values-have-descriptions",
    "enum-values-have-descriptions",
    "deprecations-have-a-reason",
    "types-are-capitalized",
    "fields-are-camel-cased",
    "input-object-values-are-camel-cased",
    "enum-values-all-caps",
}


def test_the_rule_set_keeps_every_description_and_naming_rule():
    rules = set(json.loads((LINT_DIR / ".graphql-schema-linterrc").read_text())["rules"])
    assert rules >= REQUIRED_RULES


def test_the_exported_schema_has_no_violation():
    assert LINTER.exists(), "graphql-schema-linter is not installed: run `make deps`"
    done = subprocess.run(
        [str(LINTER), "--config-directory", str(LINT_DIR), "--format", "json", str(SDL)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stdout)
    assert [e["message"] for e in report["errors"]] == []
    assert done.returncode == 0, done.stderr
