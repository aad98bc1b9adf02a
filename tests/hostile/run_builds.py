"""Build fixture hubs in a child process and print one JSON result per hub.

`python run_builds.py CONFIG...`: each hub is built in-process with --strict (as tests do);
an exception is caught and reported with its traceback, so the parent can tell a crash from an
abort. The parent runs this with a timeout: a hang fails the test instead of stalling it.
"""
from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent / "hooks"))

from hubsite import build_hub  # noqa: E402


def main(configs: list[str]) -> None:
    results = []
    for config in configs:
        started = time.monotonic()
        try:
            result = build_hub(Path(config), strict=True)
            outcome = {"aborted": result.aborted, "log": result.log, "crash": None}
        except BaseException:  # noqa: BLE001 - a crash is what we report
            outcome = {"aborted": None, "log": [], "crash": traceback.format_exc()}
        outcome.update(config=config, seconds=round(time.monotonic() - started, 2))
        results.append(outcome)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
