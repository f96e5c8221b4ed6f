#!/usr/bin/env python3
"""Build src/shipyard/data/import_map.json: import name -> PyPI distribution, from the wheels themselves.

Source of truth: the file list of each distribution's newest wheel on PyPI, for the N most downloaded
distributions (ranked by a download list: a TSV with columns name, version, month,
rank_among_15000_most_downloaded). Only each wheel's zip central directory is read, through HTTP range
requests, so no wheel is downloaded whole. From the file list:

  - a top-level module (x.py, x.cpython-311-x86_64-linux-gnu.so) or a package with its own __init__
    gives the key `x`;
  - a folder without __init__ (a PEP 420 namespace: google/, azure/), or with a tiny __init__ that
    several distributions ship (the old pkgutil/pkg_resources namespaces: zope/, backports/), is not
    a key of its own: its sub-packages are (`google.cloud.storage`, `zope.sqlalchemy`);
  - test, doc and example folders and a few generic names that wheels ship by mistake are not keys.

When several distributions provide the same key, the most downloaded one wins. Hand-written choices
(data/import_overrides.json) are applied at lookup time and win over this table.

Run once in a while (about 10 minutes with the default parallelism):
    python scripts/build_import_map.py --ranks /path/to/pypi.tsv --top 5000
The raw file lists are cached (--cache) so the aggregation can be re-run without the network.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import io
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/shipyard/data/import_map.json"
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
USER_AGENT = "shipyard-build-import-map/1 (+https://pypi.org)"
TAIL_BYTES = 256 * 1024          # one request usually holds the whole central directory
MAX_DEPTH = 4                    # google.cloud.bigquery.storage is as deep as keys go
SMALL_INIT = 1024                # pkgutil/pkg_resources namespace __init__.py files are a few lines
# Top-level names that are folders of tests, docs or examples, or names too generic to mean a package
# (wheels that ship `tests/` or `utils/` at the top level by mistake).
NOT_KEYS = {
    "test", "tests", "testing", "doc", "docs", "example", "examples", "benchmark", "benchmarks", "bench",
    "scripts", "script", "tools", "src", "lib", "build", "dist", "samples", "sample", "demo", "demos",
    "app", "apps", "api", "config", "configs", "settings", "core", "common", "utils", "util", "helpers",
    "main", "models", "server", "client", "data", "conftest", "setup", "__init__", "__main__", "site",
    "version", "constants", "exceptions", "errors", "db", "database", "views", "routes", "forms", "schemas",
    "tasks", "extensions", "run", "manage", "wsgi", "asgi", "base", "types", "log", "logger", "handlers",
    "services", "resources", "admin", "urls", "auth", "plugins", "static", "templates",
}
_MODULE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z0-9_-]+)*\.(py|so|pyd)$")


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file, read with HTTP range requests (zipfile needs no more)."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.pos = url, size, 0
        self.blocks: list[tuple[int, bytes]] = []
        self.requests = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = offset if whence == 0 else self.pos + offset if whence == 1 else self.size + offset
        return self.pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self.pos + n)
        if end <= self.pos:
            return b""
        for start, data in self.blocks:
            if start <= self.pos and end <= start + len(data):
                out = data[self.pos - start:end - start]
                self.pos = end
                return out
        start = self.pos if end - self.pos >= TAIL_BYTES else max(0, min(self.pos, self.size - TAIL_BYTES))
        stop = max(end, min(self.size, start + TAIL_BYTES))
        data = _get(self.url, {"Range": f"bytes={start}-{stop - 1}"})
        self.requests += 1
        self.blocks.append((start, data))
        out = data[self.pos - start:end - start]
        self.pos = end
        return out


def _get(url: str, headers: dict[str, str] | None = None, tries: int = 3) -> bytes:
    for attempt in range(tries):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404 or attempt == tries - 1:
                raise
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            if attempt == tries - 1:
                raise
        time.sleep(1 + 2 * attempt)
    raise RuntimeError("unreachable")


def _pick_wheel(files: list[dict]) -> dict | None:
    """The pure-Python wheel if there is one, else a Linux x86_64 CPython 3 one, else any wheel."""
    wheels = [f for f in files if f.get("packagetype") == "bdist_wheel" and not f.get("yanked")]

    def score(f: dict) -> tuple[int, str]:
        name = f["filename"]
        if name.endswith("-none-any.whl"):
            return 0, name
        if "manylinux" in name and "x86_64" in name and "-cp3" in name:
            return 1, name
        if "linux" in name:
            return 2, name
        return 3, name

    return min(wheels, key=score) if wheels else None


def fetch_listing(name: str) -> dict:
    """{"name", "version", "wheel", "files": {path: size}} or {"name", "skipped": why}."""
    try:
        meta = json.loads(_get(PYPI_JSON.format(name=name)))
    except urllib.error.HTTPError as exc:
        return {"name": name, "skipped": f"HTTP {exc.code} from the JSON API"}
    except Exception as exc:  # noqa: BLE001 - one bad package must not stop the build
        return {"name": name, "skipped": f"JSON API: {exc}"}
    info = meta.get("info", {})
    wheel = _pick_wheel(meta.get("urls", []))
    if wheel is None:
        return {"name": info.get("name", name), "version": info.get("version"), "skipped": "no wheel"}
    try:
        # The index may answer with URLs relative to the JSON document (a mirror): resolve them.
        url = urllib.parse.urljoin(PYPI_JSON.format(name=name), wheel["url"])
        remote = RangeFile(url, int(wheel["size"]))
        with zipfile.ZipFile(remote) as zf:
            files = {i.filename: i.file_size for i in zf.infolist() if not i.is_dir()}
    except Exception as exc:  # noqa: BLE001
        return {"name": info.get("name", name), "version": info.get("version"), "skipped": f"wheel: {exc}"}
    return {"name": info.get("name", name), "version": info.get("version"), "wheel": wheel["filename"],
            "files": files}


# ---------------------------------------------------------------------------------------------- aggregate

def module_tree(files: dict[str, int]) -> dict[str, dict]:
    """Dotted name -> {"init": size of its __init__ or None, "module": bool} for packages and modules."""
    tree: dict[str, dict] = {}
    for path, size in files.items():
        parts = path.split("/")
        if parts[0].endswith(".dist-info"):
            continue
        if parts[0].endswith(".data"):
            if len(parts) > 2 and parts[1] in ("purelib", "platlib"):
                parts = parts[2:]
            else:
                continue
        match = _MODULE.match(parts[-1])
        if not match or not all(p.isidentifier() for p in parts[:-1]):
            continue
        dirs = parts[:-1]
        for depth in range(1, min(len(dirs), MAX_DEPTH) + 1):
            tree.setdefault(".".join(dirs[:depth]), {"init": None, "module": False})
        stem = match.group(1)
        if stem == "__init__":
            if dirs and len(dirs) <= MAX_DEPTH:
                tree[".".join(dirs)]["init"] = size
        elif len(dirs) < MAX_DEPTH:
            tree.setdefault(".".join([*dirs, stem]), {"init": None, "module": False})["module"] = True
    return tree


def _is_namespace(name: str, node: dict, shared_small: set[str]) -> bool:
    return not node["module"] and (node["init"] is None or (name in shared_small and node["init"] <= SMALL_INIT))


def provided_keys(dist: str, tree: dict[str, dict], shared_small: set[str],
                  namespace_tops: set[str] = frozenset()) -> list[str]:
    """The import names a distribution owns: regular packages and modules, below namespace folders.

    `namespace_tops` are top-level names that the most downloaded distribution shipping them uses as a
    namespace (google/): below them every distribution's sub-packages are keys, whatever its own __init__.
    """
    keys: list[str] = []

    def visit(name: str) -> None:
        node = tree[name]
        namespace = _is_namespace(name, node, shared_small) or name in namespace_tops
        if not namespace:
            keys.append(name)
            return
        children = sorted(n for n in tree if n.startswith(name + ".") and n.count(".") == name.count(".") + 1
                          and not n.rsplit(".", 1)[1].startswith("_"))
        for child in children:
            visit(child)

    for top in sorted(n for n in tree if "." not in n):
        if top.lower() in NOT_KEYS or top.startswith("_") and top != "_cffi_backend" or top.endswith("-stubs"):
            continue
        if _is_namespace(top, tree[top], shared_small) and top not in namespace_tops and namespace_tops:
            # an overlay into another distribution's package (django-utils-six's django/utils/six.py):
            # `django.utils` is Django's
            continue
        visit(top)
    return keys


def aggregate(listings: list[dict], ranks: dict[str, int]) -> dict:
    trees = {entry["name"]: module_tree(entry["files"]) for entry in listings if "files" in entry}
    # A top-level package with a small __init__ that two or more distributions ship is a namespace.
    holders: dict[str, int] = {}
    for tree in trees.values():
        for name, node in tree.items():
            if "." not in name and node["init"] is not None and node["init"] <= SMALL_INIT:
                holders[name] = holders.get(name, 0) + 1
    # ... unless they ship the same modules in it: then they are forks of one package (passlib and
    # libpass, docker and docker-py), not parts of a namespace.
    shared_small = set()
    for name in (n for n, count in holders.items() if count >= 2):
        children: dict[str, int] = {}
        for tree in trees.values():
            node = tree.get(name)
            if node is not None and node["init"] is not None and node["init"] <= SMALL_INIT:
                for child in {k.split(".")[1] for k in tree if k.startswith(name + ".")}:
                    children[child] = children.get(child, 0) + 1
        if all(count == 1 for count in children.values()):
            shared_small.add(name)
    # The most downloaded distribution that ships a top-level folder says whether it is a namespace.
    best: dict[str, tuple[int, bool]] = {}
    for dist, tree in trees.items():
        rank = ranks.get(_norm(dist), 10**9)
        for name, node in tree.items():
            if "." not in name and (name not in best or rank < best[name][0]):
                best[name] = (rank, _is_namespace(name, node, shared_small))
    namespace_tops = {name for name, (_, namespace) in best.items() if namespace}
    owners: dict[str, list[str]] = {}
    for dist, tree in trees.items():
        for key in provided_keys(dist, tree, shared_small, namespace_tops):
            owners.setdefault(key, []).append(dist)
    imports, conflicts = {}, 0
    for key in sorted(owners):
        dists = sorted(owners[key], key=lambda d: (ranks.get(_norm(d), 10**9), d))
        imports[key] = dists[0]
        conflicts += len(dists) > 1
    return {"imports": collapse(imports), "conflicts": conflicts, "namespaces": sorted(shared_small)}


def collapse(imports: dict[str, str]) -> dict[str, str]:
    """Below a namespace, keys that all belong to one distribution fold into their common folder
    (google.api.http_pb2, google.api.label_pb2, ... -> google.api), never up to the namespace itself
    (zope alone must not name zope.interface)."""
    out = dict(imports)
    changed = True
    while changed:
        changed = False
        groups: dict[str, set[str]] = {}
        for key in out:
            if key.count(".") >= 2:
                groups.setdefault(key.rsplit(".", 1)[0], set()).add(key)
        for parent, keys in groups.items():
            if parent in out:
                continue
            owners = {out[k] for k in keys} | {d for k, d in out.items() if k.startswith(parent + ".")}
            if len(owners) == 1:
                for k in [k for k in out if k.startswith(parent + ".")]:
                    del out[k]
                out[parent] = owners.pop()
                changed = True
                break
    return dict(sorted(out.items()))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_ranks(path: Path) -> dict[str, int]:
    ranks: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        name_col, rank_col = header.index("name"), header.index("rank_among_15000_most_downloaded")
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > rank_col and cols[rank_col].strip().isdigit():
                ranks.setdefault(_norm(cols[name_col]), int(cols[rank_col]))
    return ranks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ranks", type=Path, required=True, help="TSV with name and rank_among_15000_most_downloaded")
    parser.add_argument("--top", type=int, default=5000, help="how many of the most downloaded distributions")
    parser.add_argument("--jobs", type=int, default=24, help="parallel HTTP requests")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/shipyard-import-map-cache.json"),
                        help="raw wheel file lists, reused when present")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    ranks = read_ranks(args.ranks)
    chosen = [name for name, _ in sorted(ranks.items(), key=lambda kv: kv[1])][:args.top]
    cached = {}
    if args.cache.exists():
        cached = {_norm(e["name"]): e for e in json.loads(args.cache.read_text())}
    todo = [n for n in chosen if n not in cached]
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for done, entry in enumerate(pool.map(fetch_listing, todo), 1):
            cached[_norm(entry["name"])] = entry
            if done % 250 == 0:
                print(f"{done}/{len(todo)} in {time.monotonic() - started:.0f}s", file=sys.stderr)
                args.cache.write_text(json.dumps(list(cached.values())))
    args.cache.write_text(json.dumps(list(cached.values())))

    listings = [cached[n] for n in chosen if n in cached]
    result = aggregate(listings, ranks)
    skipped = [e for e in listings if "files" not in e]
    data = {
        "_about": ("Import name -> PyPI distribution, generated by scripts/build_import_map.py from the file "
                   "lists of the newest wheels of the most downloaded distributions. Do not edit by hand: "
                   "hand-written choices go to import_overrides.json, which wins."),
        "provenance": {
            "built": dt.date.today().isoformat(),
            "source": "PyPI JSON API (newest release) + each wheel's zip central directory, by HTTP range requests",
            "ranking": f"{args.ranks.name}: the {args.top} most downloaded distributions",
            "distributions_read": len(listings) - len(skipped),
            "distributions_skipped": len(skipped),
            "skipped_reasons": _count(e["skipped"].split(":")[0] for e in skipped),
            "keys": len(result["imports"]),
            "keys_with_several_providers": result["conflicts"],
            "conflicts_resolved_by": "download rank (most downloaded wins)",
            "namespaces_by_shared_small_init": result["namespaces"],
            "fetched_this_run": len(todo),
            "seconds_this_run": round(time.monotonic() - started),
        },
        "imports": result["imports"],
    }
    args.out.write_text(json.dumps(data, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(result['imports'])} keys from {len(listings) - len(skipped)} wheels "
          f"({len(skipped)} skipped)", file=sys.stderr)
    return 0


def _count(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


if __name__ == "__main__":
    sys.exit(main())
