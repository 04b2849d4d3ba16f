"""Problems found in the input, collected and reported together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, precise enough to fix without guessing."""

    file: str
    """Path of the file, as the user wrote it (relative to the project)."""
    key: str
    """Key path inside the file (`claims[3].quote`), or '' for the file as a whole."""
    message: str
    """What is wrong, naming the offending value."""
    fix: str = ""
    """How to put it right, or the valid choices."""
    line: int | None = None
    """1-based line number where known."""
    severity: str = "error"
    """`error` stops the build; `warning` stops it only in strict mode."""

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        key = f" [{self.key}]" if self.key else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{self.severity}: {where}{key}: {self.message}{fix}"


class DossierError(Exception):
    """Raised once, at the end of a stage, with every problem that stage found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} found:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


def fail_on(problems: list[Problem], strict: bool = False) -> None:
    """Raise DossierError if any problem is an error (or, in strict mode, a warning)."""
    fatal = [p for p in problems if p.severity == "error" or strict]
    if fatal:
        raise DossierError(problems)


def or_raise(value, problems):
    """`value`, unless `problems` holds one: then DossierError with them (for callers outside the pipeline)."""
    if problems:
        raise DossierError(problems)
    return value
