#!/usr/bin/env python3
"""The Kubernetes manifests of deploy/kubernetes/ parse and say what the deployment needs, and the
ConfigMap holds rules/ byte for byte (tools/kubernetes-configmap writes it).

    tests/scaleout/kubernetes_test.py --deploy deploy --rules rules
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path

try:
    import yaml
except ImportError:
    print("kubernetes_test: PyYAML is missing: apt-get install python3-yaml", file=sys.stderr)
    sys.exit(1)

problems: list[str] = []


def check(condition: bool, message: str) -> bool:
    if not condition:
        problems.append(message)
    return condition


def dig(value, *path, default=None):
    for key in path:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return default
    return value


def contains_in_order(args: list, wanted: list) -> bool:
    return any(args[i:i + len(wanted)] == wanted for i in range(len(args) - len(wanted) + 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deploy", type=Path, required=True, help="the deploy/ folder")
    parser.add_argument("--rules", type=Path, required=True, help="the rules/ folder")
    args = parser.parse_args()
    manifests_dir = args.deploy / "kubernetes"

    documents: dict[str, list[dict]] = {}
    for path in sorted(manifests_dir.glob("*.yaml")):
        try:
            documents[path.name] = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
        except yaml.YAMLError as error:
            problems.append(f"{path}: not YAML: {error}")
    by_kind: dict[str, list[dict]] = {}
    for name, docs in documents.items():
        for doc in docs:
            check(isinstance(doc, dict) and "kind" in doc and "apiVersion" in doc, f"{name}: a document without kind or apiVersion")
            if isinstance(doc, dict):
                by_kind.setdefault(doc.get("kind"), []).append(doc)
    for kind in ("Deployment", "Service", "ConfigMap", "Kustomization"):
        check(len(by_kind.get(kind, [])) == 1, f"expected one {kind}, found {len(by_kind.get(kind, []))}")
    if problems:
        return report()

    kustomization = by_kind["Kustomization"][0]
    listed = set(kustomization.get("resources", []))
    manifests = {name for name, docs in documents.items() if any(d.get("kind") != "Kustomization" for d in docs)}
    check(listed == manifests, f"kustomization.yaml lists {sorted(listed)}, the folder holds {sorted(manifests)}")

    deployment, service, configmap = by_kind["Deployment"][0], by_kind["Service"][0], by_kind["ConfigMap"][0]
    spec = deployment.get("spec", {})
    pod = dig(spec, "template", "spec", default={})
    pod_labels = dig(spec, "template", "metadata", "labels", default={})
    check(spec.get("replicas") == 3, f"the Deployment runs {spec.get('replicas')} replicas, not 3")
    selector = dig(spec, "selector", "matchLabels", default={})
    check(bool(selector) and all(pod_labels.get(k) == v for k, v in selector.items()),
          "the Deployment's selector does not match its pods' labels")
    service_selector = dig(service, "spec", "selector", default={})
    check(bool(service_selector) and all(pod_labels.get(k) == v for k, v in service_selector.items()),
          "the Service's selector does not match the pods' labels")

    containers = pod.get("containers", [])
    if not check(len(containers) == 1, f"expected one container, found {len(containers)}"):
        return report()
    container = containers[0]
    container_args = [str(a) for a in container.get("args", [])]
    check(container_args[:1] == ["serve"], f"the container's args do not start with serve: {container_args}")
    check(contains_in_order(container_args, ["--listen", "0.0.0.0:8181"]), "the container does not listen on 0.0.0.0:8181")
    check(contains_in_order(container_args, ["--rules", "/etc/telpolicy/rules"]), "the rules are not read from /etc/telpolicy/rules")
    ports = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
    check(ports.get("http") == 8181, f"the container port named http is not 8181: {ports}")
    check(any(p.get("targetPort") in ("http", 8181) and p.get("port") for p in dig(service, "spec", "ports", default=[])),
          "the Service does not target the http port")

    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        got = dig(container, probe, "httpGet", default={})
        check(got.get("path") == path and got.get("port") in ("http", 8181),
              f"{probe} is not GET {path} on the http port: {got}")
    # Stopping at SIGTERM while load balancers still list the pod would refuse their connections.
    check(bool(dig(container, "lifecycle", "preStop", "exec", "command")),
          "the container has no preStop delay before it stops accepting connections")

    pod_security = pod.get("securityContext", {})
    security = container.get("securityContext", {})
    check(pod_security.get("runAsNonRoot") is True or security.get("runAsNonRoot") is True, "runAsNonRoot is not set")
    run_as = security.get("runAsUser", pod_security.get("runAsUser"))
    check(isinstance(run_as, int) and run_as > 0, f"runAsUser is not a non-root id: {run_as}")
    check(security.get("readOnlyRootFilesystem") is True, "the root file system is not read-only")
    check(security.get("allowPrivilegeEscalation") is False, "privilege escalation is not turned off")
    check("ALL" in (dig(security, "capabilities", "drop", default=[]) or []), "capabilities are not all dropped")
    for kind in ("requests", "limits"):
        got = dig(container, "resources", kind, default={})
        check("cpu" in got and "memory" in got, f"resources.{kind} lacks cpu or memory: {got}")

    token = next((e for e in container.get("env", []) if e.get("name") == "TELPOLICY_ADMIN_TOKEN"), None)
    check(bool(dig(token, "valueFrom", "secretKeyRef", "name")) and bool(dig(token, "valueFrom", "secretKeyRef", "key")),
          "TELPOLICY_ADMIN_TOKEN does not come from a Secret")
    check(not any(d.get("kind") == "Secret" for docs in documents.values() for d in docs),
          "a Secret is committed: the admin token must be created in the cluster, never kept in the repository")

    configmap_name = dig(configmap, "metadata", "name")
    volumes = {v.get("name"): v for v in pod.get("volumes", [])}
    mounts = {m.get("mountPath"): m for m in container.get("volumeMounts", [])}
    rules_mount = mounts.get("/etc/telpolicy/rules")
    if check(rules_mount is not None, "nothing is mounted at /etc/telpolicy/rules"):
        check("subPath" not in rules_mount, "the rules are mounted with subPath: ConfigMap edits would never reach the pods")
        check(dig(volumes.get(rules_mount.get("name")), "configMap", "name") == configmap_name,
              f"/etc/telpolicy/rules is not the ConfigMap {configmap_name}")

    # The ConfigMap is rules/, byte for byte.
    data = configmap.get("data") or {}
    expected = sorted(p for p in args.rules.glob("*.yaml") if not p.name.endswith(".tests.yaml"))
    check(sorted(data) == [p.name for p in expected],
          f"the ConfigMap holds {sorted(data)}, rules/ has {[p.name for p in expected]}: run tools/kubernetes-configmap")
    check("us.yaml" in data, "the ConfigMap has no us.yaml")
    for path in expected:
        if path.name in data:
            check(data[path.name].encode("utf-8") == path.read_bytes(),
                  f"the ConfigMap's {path.name} differs from rules/{path.name}: run tools/kubernetes-configmap")
    tool = args.deploy.parent / "tools" / "kubernetes-configmap"
    checked = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    check(checked.returncode == 0, f"tools/kubernetes-configmap --check: {checked.stderr.strip()}")

    # The image runs as the user the Deployment says.
    dockerfile = (args.deploy / "Dockerfile").read_text(encoding="utf-8")
    check(re.search(r"^FROM debian:bookworm", dockerfile, re.M) is not None, "deploy/Dockerfile is not based on Debian bookworm")
    user = re.findall(r"^USER\s+(\d+)", dockerfile, re.M)
    check(bool(user) and int(user[-1]) == run_as, f"deploy/Dockerfile's USER {user[-1:] or 'none'} is not runAsUser {run_as}")
    check(re.search(r"^EXPOSE\s+8181\b", dockerfile, re.M) is not None, "deploy/Dockerfile does not EXPOSE 8181")
    return report()


def report() -> int:
    for problem in problems:
        print(f"kubernetes_test: FAIL: {problem}", file=sys.stderr)
    if not problems:
        print("kubernetes_test: deploy/kubernetes is consistent, and its ConfigMap is rules/ byte for byte")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
