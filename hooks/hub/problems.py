"""Problems found in the content, each pointing at a file, a line and a field."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    ADVISORY = "advisory"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file. `fix` tells the editor what to do about it."""

    path: str
    line: int
    field: str
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class ProblemList(list[Problem]):
    """Problems collected for one file, so readers can say `problems.add(...)` tersely."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def add(self, line: int, field: str, message: str, fix: str = "",
            severity: Severity = Severity.ERROR) -> None:
        self.append(Problem(self.path, line, field, message, fix, severity))
