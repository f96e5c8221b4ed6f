"""Container engines (Docker, Podman) and Compose behind one narrow interface; see base.py."""

from .base import BuildFailed, BuildResult, ComposeService, ContainerState, Engine, EngineInfo, ImageInfo, Process
from .detect import find_compose, find_engine

__all__ = ["BuildFailed", "BuildResult", "ComposeService", "ContainerState", "Engine", "EngineInfo", "ImageInfo",
           "Process", "find_compose", "find_engine"]
