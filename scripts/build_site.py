"""`./dev build`: build with --strict into a fresh folder beside site/, then swap it in.

A build that fails (bad content, a strict warning after pages were written, a crash, Ctrl-C)
leaves the previous site/ exactly as it was: MkDocs only ever writes into the temporary folder.
On Linux the swap is one renameat2(RENAME_EXCHANGE) call, so there is no moment without a
site/; elsewhere it is two renames.

The previous site's folders, emptied of every file, are kept beside it (`.site.folders/`) and
become the next build's temporary folder: the hook reuses folders (hooks/hub_speed/folders.py), and
on this kind of machine making a folder and its first file costs several times what writing a
file into a folder that exists does.

Usage: build_site.py [-f mkdocs.yml] [-d site] [other `mkdocs build` options]
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from hub_speed.folders import remove_files

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _split_args(args: list[str]) -> tuple[Path, Path | None, list[str]]:
    """(config file, site dir or None, the other arguments)."""
    config, site, rest = Path("mkdocs.yml"), None, []
    it = iter(args)
    for arg in it:
        if arg in ("-f", "--config-file"):
            config = Path(next(it))
        elif arg.startswith("--config-file="):
            config = Path(arg.split("=", 1)[1])
        elif arg in ("-d", "--site-dir"):
            site = Path(next(it))
        elif arg.startswith("--site-dir="):
            site = Path(arg.split("=", 1)[1])
        else:
            rest.append(arg)
    return config, site, rest


def _configured_site_dir(config: Path) -> Path:
    """site_dir from mkdocs.yml (relative to it), default `site`."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_IgnoreTags) or {}
    except (OSError, yaml.YAMLError):
        data = {}
    value = data.get("site_dir", "site") if isinstance(data, dict) else "site"
    return (config.parent / str(value)).resolve()


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may hold `!ENV` and `!!python/name:` tags; we only want site_dir."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False if the call is not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(new: Path, site: Path) -> None:
    """Put `new` where `site` is; the old site's folders, emptied, are kept for the next build."""
    if site.exists() and exchange(new, site):
        _keep_folders(new, site)
        return
    if site.exists():
        old = site.with_name(f".{site.name}.old-{os.getpid()}")
        site.rename(old)
        new.rename(site)
        _keep_folders(old, site)
    else:
        new.rename(site)


def _folders_path(site: Path) -> Path:
    return site.with_name(f".{site.name}.folders")


def _keep_folders(old: Path, site: Path) -> None:
    """The old site's folders without their files, where the next build starts from."""
    kept = _folders_path(site)
    try:
        shutil.rmtree(kept, ignore_errors=True)
        remove_files(old)
        old.rename(kept)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


def _start_folder(site: Path) -> Path:
    """The temporary folder to build into: the kept folders if there are any."""
    building = site.with_name(f".{site.name}.building-{os.getpid()}")
    try:
        _folders_path(site).rename(building)
    except OSError:
        pass  # none kept: MkDocs makes the folder
    return building


def _remove_stale(site: Path) -> None:
    """Temporary folders of builds that were killed; their process is gone."""
    for stale in site.parent.glob(f".{site.name}.building-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(stale, ignore_errors=True)


def main(args: list[str]) -> int:
    config, site, rest = _split_args(args)
    site = (site.resolve() if site else _configured_site_dir(config))
    _remove_stale(site)
    building = _start_folder(site)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
               "--site-dir", str(building), *rest]
    try:
        code = subprocess.call(command)
    except KeyboardInterrupt:
        code = 130
    if code != 0:
        shutil.rmtree(building, ignore_errors=True)
        state = "left as it was" if site.exists() else "not created"
        print(f"Build failed: {site.name}/ {state}.", file=sys.stderr)
        return code
    swap_in(building, site)
    print(f"Built into {site.name}/.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
