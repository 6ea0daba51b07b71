"""How the passage model computes, and which precisions can share an index. Imports nothing heavy.

"auto" picks bf16 where the CPU multiplies bf16 natively (AVX512-BF16 or AMX), else fp32. bf16 runs the
matrix products in bfloat16 with fp32 accumulation (torch autocast): 2.6x faster on this project's 2-core
AVX512-BF16 machine, vectors within cosine 0.99998 of fp32, so an index built either way serves both.
int8 quantizes the linear layers per channel (2.2x faster, cosine ~0.985 to fp32): its vectors get an
index of their own.
"""

from __future__ import annotations

PRECISIONS = ("auto", "fp32", "bf16", "int8")


def native_bf16() -> bool:
    """Whether this CPU has bf16 matrix instructions (imports torch)."""
    import torch

    probes = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, probe, lambda: False)()) for probe in probes)


def resolve_precision(precision: str, device: str = "cpu") -> str:
    """`auto` made concrete for this machine; other values as given (imports torch for `auto`)."""
    if precision != "auto":
        return precision
    return "bf16" if device == "cpu" and native_bf16() else "fp32"


def index_model_name(model_name: str, precision: str) -> str:
    """The model name an index records: int8 vectors differ enough from fp32/bf16 ones to need their own."""
    return f"{model_name}+int8" if precision == "int8" else model_name
