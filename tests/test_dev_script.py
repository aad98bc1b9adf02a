"""`./dev` names the Python it needs, and makes a .venv from an older Python again, whole."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from hubsite import ROOT


def _project(tmp_path: Path) -> Path:
    for name in ("dev", "requirements.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def _script(path: Path, text: str) -> Path:
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(0o755)
    return path


def test_an_old_python_is_named_with_the_version_needed(tmp_path):
    project = _project(tmp_path)
    old = _script(tmp_path / "python3.9", 'case "$1" in -V) echo "Python 3.9.18";; *) exit 1;; esac\n')
    done = subprocess.run([str(project / "dev"), "test"], capture_output=True, text=True,
                          env=dict(os.environ, PYTHON=str(old)))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"./dev: needs Python 3.11 or newer; `{old}` is: Python 3.9.18.",
        "Install Python 3.11+ and run again, naming it if it is not python3: PYTHON=python3.11 ./dev test"]
    assert not (project / ".venv").exists()


def test_a_venv_made_by_an_older_python_is_made_again(tmp_path):
    project = _project(tmp_path)
    (project / ".venv" / "bin").mkdir(parents=True)
    _script(project / ".venv" / "bin" / "python", "exit 1\n")  # what a 3.9 venv answers the check
    log = tmp_path / "venv-args"
    # A Python 3.11 that records how `-m venv` is called and stops there.
    python = _script(tmp_path / "python", f'if [ "$1" = "-m" ]; then echo "$@" > {log}; exit 7; fi\n'
                                          f'exec {sys.executable} "$@"\n')
    done = subprocess.run([str(project / "dev"), "test"], capture_output=True, text=True,
                          env=dict(os.environ, PYTHON=str(python)))
    assert done.returncode == 7
    assert log.read_text().split() == ["-m", "venv", "--clear", ".venv"]
    # A venv of the right Python is kept (only its packages are brought up to date).
    _script(project / ".venv" / "bin" / "python", f'exec {sys.executable} "$@"\n')
    subprocess.run([str(project / "dev"), "test"], capture_output=True, text=True,
                   env=dict(os.environ, PYTHON=str(python)))
    assert log.read_text().split() == ["-m", "venv", ".venv"]
