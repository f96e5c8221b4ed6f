"""Compose files: services with the line of every key, so findings point at the line to change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[Any, ...]


@dataclass
class Service:
    name: str
    data: dict[str, Any]
    line: int
    lines: dict[Path_, int]         # (key, ...) inside the service -> line

    def at(self, *path: Any) -> int:
        """Line of a key (or list item) inside the service; the service's own line when absent."""
        for n in range(len(path), 0, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return self.line

    @property
    def image(self) -> str:
        return str(self.data.get("image") or "")

    @property
    def builds(self) -> bool:
        return "build" in self.data

    @property
    def dockerfile(self) -> str:
        build = self.data.get("build")
        if isinstance(build, dict):
            context = str(build.get("context") or ".")
            return _join(context, str(build.get("dockerfile") or "Dockerfile"))
        if isinstance(build, str):
            return _join(build, "Dockerfile")
        return ""

    def environment(self) -> dict[str, tuple[str | None, int]]:
        """name -> (value or None when passed through from the host, line)."""
        env = self.data.get("environment")
        out: dict[str, tuple[str | None, int]] = {}
        if isinstance(env, dict):
            for k, v in env.items():
                out[str(k)] = (None if v is None else str(v), self.at("environment", k))
        elif isinstance(env, list):
            for n, item in enumerate(env):
                key, sep, value = str(item).partition("=")
                out[key] = (value if sep else None, self.at("environment", n))
        return out

    def command(self) -> tuple[list[str] | None, str | None, int]:
        """(argv of an exec-form list, or None; the string form, or None; line)."""
        value = self.data.get("command")
        if isinstance(value, list):
            return [str(v) for v in value], None, self.at("command")
        if isinstance(value, str):
            return None, value, self.at("command")
        return None, None, 0

    def ports(self) -> list[tuple[str, int, int]]:
        """Published ports: (host address or "", container port, line)."""
        out = []
        for n, item in enumerate(self.data.get("ports") or []):
            line = self.at("ports", n)
            if isinstance(item, dict):
                target = item.get("target")
                if target is not None:
                    out.append((str(item.get("host_ip") or ""), int(target), line))
                continue
            text = str(item).split("/")[0]
            m = re.fullmatch(r"(?:(\[[^\]]*\]|[^:]*):)?(?:([^:]*):)?(\d+)(?:-\d+)?", text)
            if not m:
                continue
            first, second, target = m.group(1), m.group(2), int(m.group(3))
            host = first if second is not None else ""
            if second is None and first is not None and not re.fullmatch(r"[\d-]*", first or ""):
                host = first
            out.append(((host or "").strip("[]"), target, line))
        return out

    def cpus(self) -> float | None:
        """The CPU limit: `cpus:` or deploy.resources.limits.cpus."""
        for value in (self.data.get("cpus"),
                      ((self.data.get("deploy") or {}).get("resources") or {}).get("limits", {}).get("cpus")
                      if isinstance(self.data.get("deploy"), dict) else None):
            try:
                if value is not None:
                    return float(value)
            except (TypeError, ValueError):
                continue
        return None


@dataclass
class Compose:
    path: str
    services: dict[str, Service] = field(default_factory=dict)
    error: str = ""


def _join(base: str, rel: str) -> str:
    base = base.strip().rstrip("/")
    if rel.startswith("/") or base in ("", "."):
        return rel.lstrip("./") if rel.startswith("./") else rel
    return f"{base.lstrip('./')}/{rel}"


def _value(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key == "<<":          # merge keys: rare in compose files; keep the merged mapping's keys
                merged = _value(value_node, path, lines)
                if isinstance(merged, dict):
                    out.update(merged)
                continue
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _value(value_node, path + (key,), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for n, item in enumerate(node.value):
            lines[path + (n,)] = item.start_mark.line + 1
            items.append(_value(item, path + (n,), lines))
        return items
    return _SCALARS.construct_object(node, deep=True) if node.tag != "tag:yaml.org,2002:str" else node.value


_SCALARS = yaml.constructor.SafeConstructor()


def read(path: str, text: str) -> Compose:
    compose = Compose(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        compose.error = str(exc).splitlines()[0]
        return compose
    if root is None:
        return compose
    lines: dict[Path_, int] = {}
    data = _value(root, (), lines)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return compose
    for name, body in services.items():
        if not isinstance(body, dict):
            continue
        own = {p[2:]: line for p, line in lines.items() if p[:2] == ("services", name) and len(p) > 2}
        compose.services[str(name)] = Service(str(name), body, lines[("services", name)], own)
    return compose
