"""How the passage model computes, which precision is the default here, and which can share an index.

- fp32: torch, float32.
- bf16: torch with the weights in bfloat16 (fp32 accumulation in the matrix units); vectors within cosine
  0.9999 of fp32, so it shares fp32's index. Fast only where the CPU has AMX (3x fp32 per CPU-second here);
  elsewhere it is emulated and slower than fp32, which the timing finds.
- int8: onnxruntime on an int8 export with per-channel weight scales (`onnx_export`); cosine ~0.997 to
  fp32, so its vectors get an index of their own.
- auto: the fastest of them on this machine, chosen by a one-off timing (`passage_model.time_precisions`)
  stored beside the model as `ikg_precision.json`, and redone when the CPU or `TIMING_VERSION` differs.
  Without a stored timing it means fp32, so the default is never slower than fp32 by guesswork. Imports
  nothing heavy.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

PRECISIONS = ("auto", "fp32", "bf16", "int8")
CONCRETE = ("fp32", "bf16", "int8")
CHOICE_FILE = "ikg_precision.json"
# Bumped when what a precision runs changes, so a timing of the old code is redone. 2: bf16 runs bf16
# weights instead of autocast, and torch's and onnxruntime's threads wait passively instead of spinning.
TIMING_VERSION = 2


def cpu_fingerprint() -> str:
    """The CPU model and core count: a timing made on another CPU does not hold here."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model} x{os.cpu_count()}"


def stored_choice(directory: Path) -> str | None:
    """The precision the stored timing found fastest on this CPU, or None (none stored, or another CPU)."""
    try:
        raw = json.loads((directory / CHOICE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    fastest = raw.get("fastest")
    if raw.get("cpu") != cpu_fingerprint() or raw.get("version") != TIMING_VERSION or fastest not in CONCRETE:
        return None
    return str(fastest)


def store_choice(directory: Path, rates: dict[str, float]) -> str:
    """Record passages/s per precision; returns the fastest. fp32 wins ties, so auto is never slower."""
    fastest = max(rates, key=lambda p: (rates[p], p == "fp32"))
    record = {
        "cpu": cpu_fingerprint(),
        "version": TIMING_VERSION,
        "passages_per_s": rates,
        "fastest": fastest,
    }
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f".{CHOICE_FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, directory / CHOICE_FILE)
    except OSError:
        pass  # a read-only model folder: the timing is redone next time, nothing is lost
    return fastest


def resolve_precision(precision: str, choice_dir: Path | None = None) -> str:
    """`auto` made concrete from the stored timing (fp32 when none is stored); other values as given."""
    if precision != "auto":
        return precision
    return (stored_choice(choice_dir) if choice_dir is not None else None) or "fp32"


def index_model_name(model_name: str, precision: str) -> str:
    """The model name an index records: int8 vectors differ enough from fp32/bf16 ones to need their own."""
    return f"{model_name}+int8" if precision == "int8" else model_name
