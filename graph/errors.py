"""The one error root of ikg and the few kinds a caller can act on.

The CLI maps every `IkgError` to `ikg: error: <message>` and its `exit_code`; anything else is a bug.
`ExitCode` is the one table of exit codes (the README's "Exit codes" section mirrors it, and a test
checks that they agree).
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # a file failed, graph and index disagree, or what was asked for does not exist
    BAD_INPUT = 2  # bad settings, flags, queries or command line: fix the command and run it again
    STORE_UNAVAILABLE = 3  # the graph store cannot be used now: unreachable, refused, locked or damaged
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class IkgError(Exception):
    exit_code: int = ExitCode.FAILED


class InputError(IkgError):
    """A report file we cannot use: empty, binary, undecodable, truncated, too large, no structure."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class ConfigError(IkgError):
    """Settings that cannot work: unknown store kind, missing credentials, bad model path."""

    exit_code = ExitCode.BAD_INPUT


class QueryError(IkgError):
    """A query or argument that cannot be answered as given: empty text, an out-of-range number."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"{what}: {reason}")
        self.what = what
        self.reason = reason


class StoreError(IkgError):
    """The graph database is unreachable or a write failed (the transaction was rolled back)."""


class StoreUnavailableError(StoreError):
    """The graph store cannot be used at all right now: unreachable, credentials refused, locked, damaged."""

    exit_code = ExitCode.STORE_UNAVAILABLE


class NotFoundError(IkgError):
    """A report, issue or regulation the user named does not exist in the graph."""


class IndexMissingError(IkgError):
    """The vector index is missing or unreadable."""


class IndexMismatchError(IkgError):
    """The index on disk was built with another model or another graph; `ikg reindex` fixes it."""


class ModelError(IkgError):
    """The embedding model cannot be built or loaded."""
