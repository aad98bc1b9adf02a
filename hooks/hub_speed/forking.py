"""Forked processes of the speed layer end when the build that forked them ends.

A killed build (Ctrl-C twice, SIGKILL, a CI timeout) must not leave a helper writing pages into
a folder the build script has already removed or swapped: on Linux the kernel kills the child
when its parent dies (PR_SET_PDEATHSIG); elsewhere, and if the parent died before the call,
`parent_gone` tells the child to stop at its next step.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """In a freshly forked child: be killed when `parent_pid` dies; exit now if it already has."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: parent_gone() is checked between pages
    if parent_gone(parent_pid):
        os._exit(1)


def parent_gone(parent_pid: int) -> bool:
    return os.getppid() != parent_pid
