"""How `hub check` prints a problem: for people, or as GitHub Actions workflow commands.

GitHub turns `::error file=...,line=...::message` lines in a job's log into annotations on the
pull request's diff, so an editor sees each problem on the line that causes it.
"""
from __future__ import annotations

from .problems import Problem


def human(problem: Problem, path: str) -> str:
    """`file:line: field: message Fix: ...`, the form editors' tools and editors jump to."""
    kind = "" if problem.is_error else " [advisory]"
    text = f"{path}:{problem.line}: {problem.field}: {problem.message}{kind}"
    return f"{text} Fix: {problem.fix}" if problem.fix else text


def github(problem: Problem, path: str) -> str:
    """An error or warning workflow command; advisories become warnings, which never fail a job."""
    command = "error" if problem.is_error else "warning"
    message = f"{problem.field}: {problem.message}" + (f" Fix: {problem.fix}" if problem.fix else "")
    return (f"::{command} file={_property(path)},line={problem.line},"
            f"title={_property('hub check: ' + problem.field)}::{_data(message)}")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


FORMATS = {"human": human, "github": github}
