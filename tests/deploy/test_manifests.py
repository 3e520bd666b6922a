"""deploy/ validated with what runs on these machines: hadolint for the Dockerfile, the Compose spec schema,
Kubernetes schemas (kubernetes-validate) and a schema of our own for the KEDA custom resources; plus
consistency checks between the manifests and the code (commands, probe paths, settings names)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from service.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S_FILES = sorted((DEPLOY / "k8s").glob("*.yaml"))
KEDA_KINDS = {"ScaledObject", "TriggerAuthentication"}


def _docs(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _bin(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed (it is in the project's test extra)"
    return found


def test_dockerfile_passes_hadolint():
    result = subprocess.run(
        [_bin("hadolint"), "--ignore", "DL3008", str(DEPLOY / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_pinned_dependencies():
    text = (DEPLOY / "Dockerfile").read_text()
    assert "USER 10001" in text and text.count("FROM ") >= 2
    lock = [line for line in (DEPLOY / "requirements.lock").read_text().splitlines() if line.strip()]
    assert lock and all("==" in line for line in lock if not line.startswith("#"))


def test_compose_file_matches_the_compose_spec():
    result = subprocess.run(
        [_bin("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(DEPLOY / "compose.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert {"postgres", "rabbitmq", "redis", "migrate", "api", "worker", "beat"} <= set(services)


# KEDA's custom resources have no schema in kubernetes-validate; they are checked by the test after this one.
CORE_FILES = [p for p in K8S_FILES if any(d["kind"] not in KEDA_KINDS for d in _docs(p))]


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_kubernetes_manifests_validate(path: Path, tmp_path: Path):
    docs = [d for d in _docs(path) if d["kind"] not in KEDA_KINDS]
    plain = tmp_path / path.name
    plain.write_text(yaml.safe_dump_all(docs))
    result = subprocess.run(
        [_bin("kubernetes-validate"), "--strict", "--kubernetes-version", "1.30.0", str(plain)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_keda_scaled_object_targets_the_worker_deployment_and_queue():
    docs = {d["kind"]: d for d in _docs(DEPLOY / "k8s" / "keda-scaledobject.yaml")}
    scaled = docs["ScaledObject"]
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    workers = [d for d in _docs(DEPLOY / "k8s" / "worker.yaml") if d["kind"] == "Deployment"]
    assert scaled["spec"]["scaleTargetRef"]["name"] == workers[0]["metadata"]["name"]
    trigger = scaled["spec"]["triggers"][0]
    assert trigger["type"] == "rabbitmq" and trigger["metadata"]["queueName"] == "ingest"
    assert trigger["authenticationRef"]["name"] == docs["TriggerAuthentication"]["metadata"]["name"]
    assert int(scaled["spec"]["maxReplicaCount"]) > int(scaled["spec"]["minReplicaCount"]) >= 1


def _containers():
    for path in K8S_FILES:
        for doc in _docs(path):
            spec = doc.get("spec", {}).get("template", {}).get("spec", {})
            yield from spec.get("containers", [])


def test_container_commands_and_probes_exist_in_the_code():
    from service.cli import main

    for container in _containers():
        with pytest.raises(SystemExit) as exit_info:
            main([*container["args"], "--help"])
        assert exit_info.value.code == 0, container["args"]
        for probe in ("livenessProbe", "readinessProbe"):
            path = container.get(probe, {}).get("httpGet", {}).get("path")
            assert path in (None, "/healthz", "/readyz", "/metrics"), path
        assert container.get("resources", {}).get("requests"), container["name"]


def test_configured_environment_names_are_real_settings():
    fields = {f"INGEST_{name.upper()}" for name in Settings.model_fields}
    for path in K8S_FILES:
        for doc in _docs(path):
            if doc["kind"] in ("ConfigMap", "Secret"):
                names = set((doc.get("data") or {}) | (doc.get("stringData") or {}))
                assert {n for n in names if n.startswith("INGEST_")} <= fields, path.name


def _worker_queues(args: list[str]) -> str:
    """What a worker command consumes, as `article-ingest worker` parses it."""
    from service.cli import build_parser

    return build_parser().parse_args(args).queues


@pytest.mark.parametrize("kind", ["compose", "k8s"])
def test_deployments_deliver_webhooks_apart_from_extraction(kind):
    """Every worker of a deployment takes one kind of work (a slow receiver never holds an extraction slot), and
    both kinds are taken by someone."""
    if kind == "compose":
        services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
        commands = [s["command"] for s in services.values() if s.get("command", [None])[0] == "worker"]
    else:
        commands = [c["args"] for c in _containers() if c["args"][0] == "worker"]
    queues = [_worker_queues(command) for command in commands]
    assert sorted(set(queues)) == ["ingest", "webhooks"], commands


def test_the_worker_command_keeps_delivery_apart_by_default():
    assert _worker_queues(["worker"]) == "split"
    assert _worker_queues(["worker", "--concurrency", "2", "--beat"]) == "split"
