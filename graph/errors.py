"""The one error root of ikg and the few kinds a caller can act on.

The CLI maps every `IkgError` to `ikg: error: <message>` and its `exit_code`; anything else is a bug.
"""

from __future__ import annotations

from pathlib import Path


class IkgError(Exception):
    exit_code = 1


class InputError(IkgError):
    """A report file we cannot use: empty, binary, undecodable, truncated, too large, no structure."""

    exit_code = 2

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class ConfigError(IkgError):
    """Settings that cannot work: unknown store kind, missing credentials, bad model path."""

    exit_code = 2


class StoreError(IkgError):
    """The graph database is unreachable or a write failed (the transaction was rolled back)."""


class NotFoundError(IkgError):
    """A report, issue or regulation the user named does not exist in the graph."""


class IndexMissingError(IkgError):
    """The vector index is missing or unreadable."""


class IndexMismatchError(IkgError):
    """The index on disk was built with another model or another graph; `ikg reindex` fixes it."""


class ModelError(IkgError):
    """The embedding model cannot be built or loaded."""
