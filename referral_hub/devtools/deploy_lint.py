"""`make lint`'s check of deploy/, offline: no container runtime or cluster is needed.

- The Kubernetes manifests (deploy/k8s) against the Kubernetes API's JSON schemas, strict
  (an unknown field is an error), with kubernetes-validate, which ships the schemas of
  every Kubernetes release in its wheel. Every file kustomization.yaml lists is checked,
  and a manifest it does not list is an error too (it would never be applied).
- The compose file (deploy/compose/compose.yaml) against the Compose Specification's
  schema, as compose-go (the library Docker Compose itself parses with) ships it in its Go
  module: `--fetch` downloads that module once through the Go module proxy into Go's
  module cache (`go mod download`, checked against Go's checksum database); afterwards
  the check reads it from there. Then what the schema cannot say: every `depends_on`
  names a service, and beat runs exactly once.
- The Helm values note (deploy/k8s/neo4j-values.yaml) is at least well-formed YAML.

    python -m referral_hub.devtools.deploy_lint [--fetch] [--k8s DIR] [--compose FILE]

The exit status is 1 when anything is wrong, each problem printed on its own line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S_DIR = ROOT / "deploy" / "k8s"
COMPOSE_FILE = ROOT / "deploy" / "compose" / "compose.yaml"
# The oldest Kubernetes minor release still maintained upstream when these were written:
# a manifest valid there is valid on every newer cluster a municipality may run.
KUBERNETES_VERSION = "1.33.0"
COMPOSE_GO_MODULE = "github.com/compose-spec/compose-go/v2"
COMPOSE_GO_VERSION = "v2.16.2"
# Files in deploy/k8s that are not Kubernetes objects.
NOT_MANIFESTS = frozenset({"kustomization.yaml", "neo4j-values.yaml"})


def _go() -> str:
    # Debian's golang-go puts `go` on PATH; the Go distribution's own lives here.
    found = shutil.which("go") or shutil.which("/usr/local/go/bin/go")
    if found is None:
        raise SystemExit("deploy_lint: no `go` command (make system-deps installs golang-go)")
    return found


def compose_schema_path() -> Path:
    """Where `--fetch` leaves the Compose Specification's schema (Go's module cache)."""
    cache = (
        os.environ.get("GOMODCACHE")
        or subprocess.run(
            [_go(), "env", "GOMODCACHE"], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    return (
        Path(cache) / f"{COMPOSE_GO_MODULE}@{COMPOSE_GO_VERSION}" / "schema" / "compose-spec.json"
    )


def fetch_compose_schema() -> Path:
    """Download compose-go once; a second call finds it in the module cache and is quick."""
    path = compose_schema_path()
    if not path.exists():
        subprocess.run(
            [_go(), "mod", "download", f"{COMPOSE_GO_MODULE}@{COMPOSE_GO_VERSION}"], check=True
        )
    return path


def _documents(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def kubernetes_problems(directory: Path = K8S_DIR, version: str = KUBERNETES_VERSION) -> list[str]:
    """Every problem of the manifests in `directory`, as `file: message` lines."""
    import kubernetes_validate  # a dev tool: imported here, so the app never needs it

    kustomization = _documents(directory / "kustomization.yaml")[0]
    listed: list[str] = list(kustomization.get("resources", []))
    present = sorted(p.name for p in directory.glob("*.yaml") if p.name not in NOT_MANIFESTS)
    problems = [
        f"kustomization.yaml: lists {name}, which is missing"
        for name in listed
        if name not in present
    ]
    problems += [
        f"{name}: not listed in kustomization.yaml (never applied)"
        for name in present
        if name not in listed
    ]
    for name in (n for n in listed if n in present):
        for doc in _documents(directory / name):
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                where = ".".join(str(part) for part in error.path) or "(top level)"
                problems.append(f"{name}: {where}: {error.message}")
            except kubernetes_validate.SchemaNotFoundError:
                problems.append(
                    f"{name}: no schema for {doc.get('apiVersion')}/{doc.get('kind')} in {version}"
                )
    for name in sorted(NOT_MANIFESTS - {"kustomization.yaml"}):
        if (directory / name).exists():
            try:
                _documents(directory / name)
            except yaml.YAMLError as error:
                problems.append(f"{name}: not YAML: {error}")
    return problems


def compose_problems(path: Path = COMPOSE_FILE, schema_path: Path | None = None) -> list[str]:
    """Every problem of a compose file, against the Compose Specification and our rules."""
    from jsonschema import Draft202012Validator

    schema_path = schema_path or compose_schema_path()
    if not schema_path.exists():
        return [f"{schema_path}: missing; run `make deploy-schemas` (go mod download) first"]
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    document = _documents(path)[0]
    name = path.name
    problems = [
        f"{name}: {'.'.join(str(p) for p in error.absolute_path) or '(top level)'}: {error.message}"
        for error in sorted(
            Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path)
        )
    ]
    return problems + list(_compose_rules(name, document))


def _compose_rules(name: str, document: dict[str, Any]) -> Iterable[str]:
    services = document.get("services") or {}
    for service, spec in services.items():
        depends = (spec or {}).get("depends_on") or []
        for needed in depends:
            if needed not in services:
                yield f"{name}: services.{service}.depends_on: no service {needed!r}"
    beat = services.get("beat")
    if beat is None:
        yield f"{name}: services: no beat (the periodic tasks would never run)"
    elif (beat.get("deploy") or {}).get("replicas", 1) != 1:
        yield f"{name}: services.beat.deploy.replicas: must be 1 (two beats run every task twice)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetch", action="store_true", help="download the compose schema only")
    parser.add_argument("--k8s", type=Path, default=K8S_DIR)
    parser.add_argument("--compose", type=Path, default=COMPOSE_FILE)
    args = parser.parse_args(argv)
    if args.fetch:
        print(fetch_compose_schema())
        return 0
    problems = kubernetes_problems(args.k8s) + compose_problems(args.compose)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
