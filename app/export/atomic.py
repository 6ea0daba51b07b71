"""Write an export beside its destination, then move it into place: OUT is whole or untouched.

A file is written to a hidden temporary file in OUT's folder and `os.replace`d; a folder (neo4j-csv) is
written as a hidden temporary folder and renamed, the old one (with `--force`) moved aside first and
removed only after the new one is in place.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ikg.graph.errors import InputError


def check_destination(out: Path, *, force: bool, folder: bool) -> None:
    """InputError (exit 2) when OUT exists without `force`, is of the wrong kind, or has no folder."""
    if not out.parent.is_dir():
        raise InputError(out, f"folder {out.parent} does not exist")
    if not out.exists() and not out.is_symlink():
        return
    if not force:
        raise InputError(out, "already exists; pass --force to replace it")
    if folder and not out.is_dir():
        raise InputError(out, "exists and is not a folder; neo4j-csv writes a folder of CSV files")
    if not folder and out.is_dir():
        raise InputError(out, "is a folder; give a file name")


@contextmanager
def atomic_file(out: Path, *, force: bool) -> Iterator[Path]:
    """Yield a temporary path in OUT's folder; on a clean exit it replaces OUT, on an error it is removed."""
    check_destination(out, force=force, folder=False)
    tmp = _fresh(out, ".tmp")
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))  # the umask applies, as for any file
    try:
        yield tmp
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(out: Path, *, force: bool) -> Iterator[Path]:
    """Yield an empty temporary folder beside OUT; on a clean exit it becomes OUT."""
    check_destination(out, force=force, folder=True)
    tmp = _fresh(out, ".tmp")
    tmp.mkdir()
    try:
        yield tmp
        if out.exists():
            old = _fresh(out, ".old")
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _fresh(out: Path, suffix: str) -> Path:
    """A hidden name beside OUT that nothing uses (mkstemp would make the file private, mode 600)."""
    while True:
        path = out.parent / f".{out.name}.{secrets.token_hex(4)}{suffix}"
        if not path.exists():
            return path
