"""The editors' command line (`hub`)."""
from __future__ import annotations


def main() -> int:
    print("hub: editor commands are coming; see the README.")
    return 0
