"""How many worker processes fit the container: its CPU quota and memory limit, not the host's cores.

Standard library only and free of shipyard imports: its source is embedded verbatim into the generated
gunicorn.conf.py and shipyard_runtime.py (which uWSGI and granian use), so every server sizes workers alike.
"""

import math
import os

CGROUP_ROOT = "/sys/fs/cgroup"
MEMORY_PER_WORKER = 128 * 1024 * 1024  # a typical Python web worker's resident size, with headroom
RESERVED_MEMORY = 64 * 1024 * 1024     # left for the master process, nginx and supervisord


def _read(path):
    try:
        with open(path) as handle:
            return handle.read().strip()
    except (OSError, ValueError):
        return None


def _cgroup_dirs(root):
    """The process's own cgroup folder first (v2, seen from the host), then the root (inside a container)."""
    dirs = []
    for line in (_read("/proc/self/cgroup") or "").splitlines():
        if line.startswith("0::/") and len(line) > 4:
            dirs.append(root + line[3:])
    dirs.append(root)
    return dirs


def cpu_limit(root=CGROUP_ROOT):
    """CPUs this process may use: the affinity mask, lowered by a cgroup v2 or v1 CPU quota."""
    if hasattr(os, "sched_getaffinity"):
        cpus = float(len(os.sched_getaffinity(0)))
    else:
        cpus = float(os.cpu_count() or 1)
    for folder in _cgroup_dirs(root):
        v2 = _read(folder + "/cpu.max")
        if v2:
            quota, _, period = v2.partition(" ")
            if quota != "max" and int(period or 100000) > 0:
                cpus = min(cpus, int(quota) / int(period or 100000))
            return cpus
    for folder in (root + "/cpu", root + "/cpu,cpuacct"):
        quota, period = _read(folder + "/cpu.cfs_quota_us"), _read(folder + "/cpu.cfs_period_us")
        if quota and period and int(quota) > 0 and int(period) > 0:
            return min(cpus, int(quota) / int(period))
    return cpus


def memory_limit(root=CGROUP_ROOT):
    """Bytes of memory the container may use, or None when unlimited (cgroup v2 memory.max, v1 limit_in_bytes)."""
    for folder in _cgroup_dirs(root):
        v2 = _read(folder + "/memory.max")
        if v2:
            return None if v2 == "max" else int(v2)
    v1 = _read(root + "/memory/memory.limit_in_bytes")
    if v1 and int(v1) < 1 << 60:  # v1 writes a huge number for "no limit"
        return int(v1)
    return None


def container_workers(configured=0, asgi=False, root=CGROUP_ROOT, cpus_per_worker=1):
    """`configured` (WEB_CONCURRENCY or the workers setting) when above 0; else 2 x CPUs + 1 for WSGI
    (workers wait on I/O) or one per `cpus_per_worker` CPUs for ASGI and granian (each worker keeps its
    CPUs busy by itself), capped by memory."""
    if configured and int(configured) > 0:
        return int(configured)
    cpus = max(1, math.ceil(cpu_limit(root)))
    workers = max(1, math.ceil(cpus / cpus_per_worker)) if asgi else 2 * cpus + 1
    memory = memory_limit(root)
    if memory is not None:
        workers = min(workers, max(1, (memory - RESERVED_MEMORY) // MEMORY_PER_WORKER))
    return max(1, workers)
