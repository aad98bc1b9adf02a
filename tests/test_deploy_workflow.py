"""The deploy workflow restores and saves the render cache so hourly rebuilds start warm, and
never restores a cache made by other requirements, hooks, templates or settings."""
from __future__ import annotations

import re

import yaml

from hubsite import ROOT

CODE = ["requirements.txt", "hooks/**", "theme_overrides/**", "mkdocs.yml"]


def _steps() -> list[dict]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    return workflow["jobs"]["build"]["steps"]


def _hashed(expression: str) -> list[list[str]]:
    """The file patterns of each hashFiles(...) in a key, in order."""
    return [re.findall(r"'([^']+)'", call) for call in re.findall(r"hashFiles\(([^)]*)\)", expression)]


def test_render_cache_restored_before_the_build_and_keyed_by_code_then_content():
    steps = _steps()
    cache = [i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/cache@")]
    build = [i for i, step in enumerate(steps) if step.get("run") == "./dev build"]
    assert len(cache) == 1 and len(build) == 1 and cache[0] < build[0]
    options = steps[cache[0]]["with"]
    assert options["path"] == ".cache/hub"
    key, restore = options["key"], options["restore-keys"].strip().splitlines()
    assert _hashed(key) == [CODE, ["content/**"]]  # code first: a code change never matches a prefix
    assert restore == [key[:key.index("${{ hashFiles('content/**') }}")]]  # content-only change: restored
    assert _hashed(restore[0]) == [CODE]
