"""Fixtures for the graph store tests: a real Bolt server for the session, and a fresh store per test.

`bolt_server` is the Neo4j named by IKG_TEST_NEO4J_URI (+ _USER, _PASSWORD, _DATABASE) when set, else an
ArcadeDB server with its Bolt plugin started from the installed `arcadedb-embedded` package. If that cannot
start the tests fail; they never skip. WARNING: every Bolt test wipes the database it is given.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest


def load_helper(name: str) -> ModuleType:
    """Import a helper module of this folder by path (test folders are not packages)."""
    module_name = f"ikg_tests_graph_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


bolt = load_helper("bolt_server")


@pytest.fixture(scope="session")
def factory() -> ModuleType:
    return load_helper("factory")


@pytest.fixture(scope="session")
def crash_writer() -> ModuleType:
    return load_helper("crash_writer")
