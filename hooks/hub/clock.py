"""The build's notion of "now": stories dated after it are scheduled, not published.

In order:
1. `SOURCE_DATE_EPOCH`, when set (a scheduled rebuild sets it to its start time);
2. the current time, when the checkout has uncommitted changes under the docs folder and this
   is not CI: an editor's `./dev build` or `./dev serve` then shows the story written today;
3. the last commit's time, so the same commit always builds the same site (CI, the deploy and
   any clean checkout);
4. the current time when git gives no commit time (no history, not a git checkout, "dubious
   ownership"): it fails safe, a story dated in the future stays unpublished.
This is the one place the hub reads the wall clock; `BuildTime.reason` says why it did.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class BuildTime:
    time: datetime
    reason: str = ""  # set when the time is the wall clock's: one line for the build log


def build_time(project_dir: Path, environ: dict[str, str] | None = None, docs_dir: Path | None = None,
               wall_clock: datetime | None = None) -> BuildTime:
    """The build time (see the module docstring); `wall_clock` stands in for now() in tests."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return BuildTime(datetime.fromtimestamp(int(epoch), tz=timezone.utc))
    now = wall_clock or datetime.now(tz=timezone.utc).replace(microsecond=0)
    commit = _git(project_dir, "log", "-1", "--format=%ct")
    if not commit.isdigit():
        return BuildTime(now, "git gave no commit time: the build time is now, so stories dated later stay "
                              "unpublished; set SOURCE_DATE_EPOCH for a reproducible build")
    if not environ.get("CI") and docs_dir is not None and _git(project_dir, "status", "--porcelain", "--", str(docs_dir)):
        return BuildTime(now, f"uncommitted changes under {docs_dir.name}/: the build time is now "
                              "(a clean checkout builds with its last commit's time)")
    return BuildTime(datetime.fromtimestamp(int(commit), tz=timezone.utc))


def _git(project_dir: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=project_dir, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
