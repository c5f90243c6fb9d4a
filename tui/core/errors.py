"""The one error type a user ever sees from reading a thread file."""

from __future__ import annotations

from pathlib import Path


class ThreadError(Exception):
    """A thread file that cannot be read, with a reason worded for the user.

    `str(error)` is the whole one-line message: ``threadread: PATH: reason``.
    """

    def __init__(self, path: Path | str | None, reason: str) -> None:
        self.path = None if path is None else Path(path)
        self.reason = reason
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.path}: " if self.path is not None else ""
        return f"threadread: {where}{self.reason}"


class UsageError(Exception):
    """A bad command line, worded for the user (argparse's own errors exit by itself)."""


class EnvPathError(UsageError, OSError):
    """An environment variable naming a path that cannot be expanded (`~nosuchuser/…`).

    A `UsageError`, so the command line reports it as one line and exit status 2; an
    `OSError` too, so code that already copes with a state or config file it cannot
    use (a theme choice not remembered) copes with this as well.
    """

    def __init__(self, variable: str, value: str, reason: str) -> None:
        self.variable = variable
        super().__init__(f"{variable}={value}: {reason}")

    def __str__(self) -> str:
        return str(self.args[0])
