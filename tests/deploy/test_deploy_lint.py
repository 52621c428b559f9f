"""make lint's offline check of deploy/ (referral_hub/devtools/deploy_lint.py): what is
shipped passes, and a deliberately broken copy of each file is refused, naming the
place. No container runtime or cluster: the schemas come with kubernetes-validate and
compose-go's module (make deploy-schemas)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from referral_hub.devtools.deploy_lint import (
    COMPOSE_FILE,
    K8S_DIR,
    compose_problems,
    compose_schema_path,
    kubernetes_problems,
)

ROOT = Path(__file__).resolve().parents[2]
HADOLINT = Path(sys.executable).parent / "hadolint"


@pytest.fixture
def k8s(tmp_path: Path) -> Path:
    return Path(shutil.copytree(K8S_DIR, tmp_path / "k8s"))


@pytest.fixture
def compose(tmp_path: Path) -> Path:
    return Path(shutil.copy(COMPOSE_FILE, tmp_path / "compose.yaml"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_compose_schema_is_the_pinned_compose_go_one():
    path = compose_schema_path()
    assert path.exists(), "run `make deploy-schemas`"
    assert "compose-go/v2@v2.16.2" in str(path)


def test_the_shipped_manifests_and_compose_file_pass():
    assert kubernetes_problems() == []
    assert compose_problems() == []


def test_a_wrongly_typed_field_is_refused(k8s: Path):
    _edit(k8s / "web-deployment.yaml", "replicas: 2", 'replicas: "two"')
    assert kubernetes_problems(k8s) == [
        "web-deployment.yaml: spec.replicas: 'two' is not of type 'integer', 'null'"
    ]


def test_an_unknown_field_is_refused(k8s: Path):
    # strict: a misspelt field would otherwise be dropped by the API server in silence
    _edit(k8s / "web-pdb.yaml", "minAvailable: 1", "minAvailible: 1")
    [problem] = kubernetes_problems(k8s)
    assert problem.startswith("web-pdb.yaml: spec: ")
    assert "'minAvailible'" in problem


def test_a_manifest_the_kustomization_does_not_list_is_refused(k8s: Path):
    shutil.copy(k8s / "web-service.yaml", k8s / "extra-service.yaml")
    _edit(k8s / "kustomization.yaml", "  - web-pdb.yaml\n", "  - web-pdb.yaml\n  - gone.yaml\n")
    assert kubernetes_problems(k8s) == [
        "kustomization.yaml: lists gone.yaml, which is missing",
        "extra-service.yaml: not listed in kustomization.yaml (never applied)",
    ]


def test_the_beat_is_a_singleton_that_is_stopped_before_its_replacement_starts():
    [beat] = yaml.safe_load_all((K8S_DIR / "beat-deployment.yaml").read_text(encoding="utf-8"))
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}


def test_web_probes_ask_livez_for_liveness_and_healthz_for_readiness():
    """Readiness is Neo4j and Redis (/healthz), not /readyz: that one also needs a live
    worker, and a worker's restart must not take every web pod out of the Service."""
    [web] = yaml.safe_load_all((K8S_DIR / "web-deployment.yaml").read_text(encoding="utf-8"))
    [container] = web["spec"]["template"]["spec"]["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["spec"]["replicas"] >= 2


def _load(path: Path) -> dict:
    [document] = yaml.safe_load_all(path.read_text(encoding="utf-8"))
    return document


def test_compose_trusts_exactly_its_own_gateway_as_the_proxy():
    """The host's reverse proxy reaches web through the compose network's gateway: the
    example trusts that one address, not Docker's wide default pools (docs/serving.md)."""
    from referral_hub.core.forwarding import parse_networks

    [subnet] = _load(COMPOSE_FILE)["networks"]["default"]["ipam"]["config"]
    example = (COMPOSE_FILE.parent / "hub.env.example").read_text(encoding="utf-8")
    [trusted] = [
        line.partition("=")[2]
        for line in example.splitlines()
        if line.startswith("HUB_TRUSTED_PROXIES=")
    ]
    assert [str(n) for n in parse_networks(trusted)] == [subnet["gateway"] + "/32"]
    assert subnet["gateway"] == "172.30.99.1"


def test_only_the_ingress_and_prometheus_reach_the_web_pods():
    from referral_hub.core.forwarding import parse_networks

    policy = _load(K8S_DIR / "web-networkpolicy.yaml")
    web = _load(K8S_DIR / "web-deployment.yaml")
    labels = web["spec"]["template"]["metadata"]["labels"]
    selected = policy["spec"]["podSelector"]["matchLabels"]
    assert selected.items() <= labels.items()
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    [rule] = policy["spec"]["ingress"]
    assert [peer["namespaceSelector"]["matchLabels"] for peer in rule["from"]] == [
        {"kubernetes.io/metadata.name": "ingress-nginx"},
        {"kubernetes.io/metadata.name": "monitoring"},
    ]
    assert rule["ports"] == [{"port": "http"}]
    config = _load(K8S_DIR / "configmap.yaml")["data"]
    assert [str(n) for n in parse_networks(config["HUB_TRUSTED_PROXIES"])] == ["10.244.0.0/16"]


def test_a_compose_file_against_the_specification_is_refused(compose: Path):
    _edit(compose, "condition: service_completed_successfully", "condition: service_finished")
    problems = compose_problems(compose)
    assert "compose.yaml: services.web.depends_on: " in "\n".join(problems)
    assert all(p.startswith("compose.yaml: services.") for p in problems), problems


def test_an_unknown_compose_key_is_refused(compose: Path):
    _edit(compose, "    image: postgres:16-bookworm\n", "    imagee: postgres:16-bookworm\n")
    assert compose_problems(compose) == [
        "compose.yaml: services.postgres: Unevaluated properties are not allowed "
        "('imagee' was unexpected)"
    ]


def test_a_second_beat_and_a_missing_dependency_are_refused(compose: Path):
    _edit(compose, "    deploy:\n      replicas: 1\n", "    deploy:\n      replicas: 2\n")
    _edit(
        compose,
        "      postgres:\n        condition: service_healthy\n",
        "      postgress:\n        condition: service_healthy\n",
    )
    assert compose_problems(compose) == [
        "compose.yaml: services.migrate.depends_on: no service 'postgress'",
        "compose.yaml: services.beat.deploy.replicas: must be 1 (two beats run every task twice)",
    ]


def test_hadolint_passes_the_containerfiles_and_refuses_a_broken_one(tmp_path: Path):
    files = sorted((ROOT / "deploy" / "container").glob("*Containerfile"))
    assert [f.name for f in files] == ["Containerfile", "neo4j.Containerfile"]
    assert subprocess.run([HADOLINT, *files], capture_output=True).returncode == 0
    broken = tmp_path / "Containerfile"
    broken.write_text("FROM python:3.11-slim-bookworm\nRUN cd /tmp && pip install gunicorn\n")
    result = subprocess.run([HADOLINT, broken], capture_output=True, text=True)
    assert result.returncode == 1
    assert "DL3003" in result.stdout  # cd in RUN
    assert "DL3013" in result.stdout  # pip install without a pinned version
