"""The image under the Kubernetes manifests' pod settings, on the real engine (no cluster runs here):
read-only root filesystem with the manifests' emptyDirs as tmpfs, the non-root UID, every capability
dropped, no privilege escalation, the CPU and memory limits. It must answer its readiness and liveness
probes' paths and stop within the grace period with exit 0.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
import yaml

from conftest import EXAMPLES, free_port, make_tree, require_engine
from redisutil import COUNTER_APP, build_standin

pytestmark = [pytest.mark.engine, pytest.mark.slow]
SHIPYARD = [sys.executable, "-m", "shipyard"]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _restricted_run(name: str, pod: dict, container: dict) -> list[str]:
    """`docker run` with the container's Kubernetes settings: its UID and group, a read-only root, every
    capability dropped, no new privileges, its CPU and memory limits."""
    sc, limits = container["securityContext"], container["resources"]["limits"]
    cpu = str(limits["cpu"])
    cpus = int(cpu[:-1]) / 1000 if cpu.endswith("m") else float(cpu)
    return ["docker", "run", "-d", "--name", name, "--read-only",
            "--user", f"{sc['runAsUser']}:{pod['securityContext']['runAsGroup']}",
            "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
            "--cpus", str(cpus), "--memory", limits["memory"].replace("Mi", "m")]


def _assert_stops_within_grace(name: str, pod: dict) -> None:
    """SIGTERM, as the kubelet sends it: the container exits 0 well inside terminationGracePeriodSeconds."""
    began = time.monotonic()
    subprocess.run(["docker", "stop", "-t", str(pod["terminationGracePeriodSeconds"]), name],
                   capture_output=True, timeout=120, check=True)
    assert time.monotonic() - began < pod["terminationGracePeriodSeconds"]
    code = subprocess.run(["docker", "inspect", "-f", "{{.State.ExitCode}}", name], capture_output=True,
                          text=True, timeout=30).stdout.strip()
    logs = subprocess.run(["docker", "logs", name], capture_output=True, text=True, timeout=30)
    assert code == "0", logs.stdout[-3000:] + logs.stderr[-3000:]


@pytest.mark.parametrize("topology", ["bundle", "app"])
def test_image_runs_under_the_pod_security_context(topology, tmp_path, base_image):
    require_engine()
    app = tmp_path / "hello"
    subprocess.run(["cp", "-r", str(EXAMPLES / "hello"), str(app)], check=True)
    subprocess.run(["rm", "-rf", str(app / ".venv")], check=True)
    done = subprocess.run([*SHIPYARD, "init", str(app), "--kubernetes", "--no-import", "--topology", topology],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pod = yaml.safe_load((app / "deploy/kubernetes/base/deployment.yaml").read_text())["spec"]["template"]["spec"]
    web = pod["containers"][0]
    tag = f"sytest-k8s/hello:{topology}"
    done = subprocess.run([*SHIPYARD, "build", str(app), "--base", base_image, "--tag", tag,
                           "--no-verify"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]

    port = free_port()
    name = f"sytest-k8s-{uuid.uuid4().hex[:8]}"
    run = [*_restricted_run(name, pod, web), "-p", f"127.0.0.1:{port}:{web['ports'][0]['containerPort']}"]
    for mount in web["volumeMounts"]:   # the emptyDirs, writable by any UID like Kubernetes' default
        run += ["--tmpfs", f"{mount['mountPath']}:rw,mode=1777"]
    try:
        started = subprocess.run([*run, tag], capture_output=True, text=True, timeout=120)
        assert started.returncode == 0, started.stderr
        base = f"http://127.0.0.1:{port}"
        paths = [web["readinessProbe"]["httpGet"]["path"]]
        if "httpGet" in web["livenessProbe"]:
            paths.append(web["livenessProbe"]["httpGet"]["path"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _get(base + paths[0]) != 200:
            time.sleep(0.5)
        logs = subprocess.run(["docker", "logs", name], capture_output=True, text=True, timeout=30)
        for path in paths:
            assert _get(base + path) == 200, f"{path} did not answer 200 under the pod's settings:\n{logs.stderr[-3000:]}"
        # SIGTERM after the preStop pause: the tree stops cleanly well inside terminationGracePeriodSeconds
        _assert_stops_within_grace(name, pod)
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, timeout=60)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=60)


def test_redis_runs_under_its_pod_security_context(tmp_path, base_image):
    """The Redis component's container settings on the engine, with the official image's stand-in: read-only
    root, the StatefulSet's UID and group, every capability dropped, its limits, its args through the
    image's entrypoint, /data as the volume. Its probes pass, it writes its append-only file, it stops with
    exit 0 within the grace period."""
    require_engine()
    app = make_tree(tmp_path / "counter", COUNTER_APP)
    done = subprocess.run([*SHIPYARD, "init", str(app), "--kubernetes", "--no-import"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    sts = yaml.safe_load((app / "deploy/kubernetes/components/redis/statefulset.yaml").read_text())
    pod = sts["spec"]["template"]["spec"]
    redis = pod["containers"][0]
    tag = f"sytest-k8s/{redis['image']}"
    build_standin(tag, base_image)
    name = f"sytest-k8s-redis-{uuid.uuid4().hex[:8]}"
    run = _restricted_run(name, pod, redis)
    for mount in redis["volumeMounts"]:   # the PVC, which fsGroup gives to the pod's user in the cluster
        run += ["--tmpfs", f"{mount['mountPath']}:rw,uid={redis['securityContext']['runAsUser']},"
                f"gid={pod['securityContext']['fsGroup']}"]

    def probe(kind: str) -> subprocess.CompletedProcess:
        return subprocess.run(["docker", "exec", name, *redis[kind]["exec"]["command"]], capture_output=True,
                              text=True, timeout=30)

    try:
        started = subprocess.run([*run, tag, *redis["args"]], capture_output=True, text=True, timeout=120)
        assert started.returncode == 0, started.stderr
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and probe("readinessProbe").returncode != 0:
            time.sleep(0.5)
        logs = subprocess.run(["docker", "logs", name], capture_output=True, text=True, timeout=30)
        assert probe("readinessProbe").returncode == 0, logs.stdout[-3000:] + logs.stderr[-3000:]
        assert probe("livenessProbe").returncode == 0
        written = subprocess.run(["docker", "exec", name, "redis-cli", "set", "hits", "10"], capture_output=True,
                                 text=True, timeout=30)
        assert written.stdout.strip() == "OK", written.stdout + written.stderr
        data = subprocess.run(["docker", "exec", name, "ls", redis["volumeMounts"][0]["mountPath"]],
                              capture_output=True, text=True, timeout=30)
        assert "appendonlydir" in data.stdout.split(), data.stdout + data.stderr
        _assert_stops_within_grace(name, pod)
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, timeout=60)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=60)
