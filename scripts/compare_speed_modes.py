"""Warm == cold == plain, byte for byte: the check `.ci/run` makes after the test suite.

Builds the starter hub and a synthetic bench hub (300 stories by default) three ways, each with
`mkdocs build --strict` in a fresh process: with the speed layer on into an empty cache (cold),
again with the cache it left (warm), and with `HUB_SPEED=0` (the plain path). Every file of the
three sites must be identical. Exit status 1 names the files that differ.

    python scripts/compare_speed_modes.py [--stories 300] [--work DIR]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import run as bench  # noqa: E402  (bench/run.py: the synthetic story generator)


def _digests(site: Path) -> dict[str, str]:
    return {str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def _build(config: Path, site: Path, speed: bool) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1800000000", HUB_SPEED="1" if speed else "0")
    shutil.rmtree(site, ignore_errors=True)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                          cwd=config.parent, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"build failed ({config}, speed {'on' if speed else 'off'}):\n{done.stderr[-3000:]}")
    return _digests(site)


def _config(project: Path, docs: Path) -> Path:
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["docs_dir"] = str(docs)
    settings["theme"]["custom_dir"] = str(ROOT / "theme_overrides")
    settings["hooks"] = [str(ROOT / hook) for hook in settings.get("hooks", [])]
    settings.pop("watch", None)
    config = project / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return config


def compare(name: str, config: Path) -> bool:
    cold = _build(config, config.parent / "site-cold", speed=True)
    warm = _build(config, config.parent / "site-warm", speed=True)
    plain = _build(config, config.parent / "site-plain", speed=False)
    differ = sorted(path for path in cold.keys() | warm.keys() | plain.keys()
                    if not cold.get(path) == warm.get(path) == plain.get(path))
    print(f"{name}: {len(cold)} files; cold, warm and plain builds "
          + ("identical" if not differ else f"differ in {len(differ)}: {', '.join(differ[:10])}"))
    return not differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="hub-modes-"))
    starter = work / "starter"
    shutil.rmtree(starter, ignore_errors=True)
    shutil.copytree(ROOT / "content", starter / "content")
    synthetic = work / f"bench-{args.stories}"
    synthetic.mkdir(parents=True, exist_ok=True)
    bench.generate(synthetic, args.stories)
    ok = compare("starter hub", _config(starter, starter / "content"))
    ok = compare(f"bench hub ({args.stories} stories)", _config(synthetic, synthetic / "content")) and ok
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
