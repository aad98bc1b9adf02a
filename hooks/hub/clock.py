"""The build's notion of "now", taken from the inputs, never from the wall clock.

Stories dated after it are scheduled, not published. It comes from SOURCE_DATE_EPOCH (CI sets
it; a scheduled rebuild sets it to its start time) or else from the last git commit, so the
same commit always builds the same site.
"""
from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path


def build_time(project_dir: Path, environ: dict[str, str] | None = None) -> datetime | None:
    """SOURCE_DATE_EPOCH, else the HEAD commit's time, else None (nothing counts as future)."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        epoch = _git_head_time(project_dir)
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc)


def _git_head_time(project_dir: Path) -> str:
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project_dir,
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
