"""Export a local BERT-style sentence model to ONNX and quantize it to int8 with per-channel scales.

`torch.onnx.export` of the model loaded with eager attention (so onnxruntime's BERT fusion finds the
attention blocks), then onnxruntime's transformer optimizer, then dynamic int8 quantization per channel.
Per-tensor scales lose too much (cosine 0.987 to fp32); per channel keeps ~0.997. Nothing is downloaded.
The result is written as `<export dir>/onnx/model-int8.onnx`, atomically, once.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from ikg.graph.errors import ModelError

ONNX_DIR = "onnx"
INT8_FILE = "model-int8.onnx"
EXPORT_VERSION = 1  # bump when the export changes, so old exports are rebuilt
_MARKER = "export.json"


def int8_model_path(export_dir: Path) -> Path:
    return export_dir / ONNX_DIR / INT8_FILE


def is_exported(export_dir: Path) -> bool:
    try:
        marker = json.loads((export_dir / ONNX_DIR / _MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker.get("export_version") == EXPORT_VERSION and int8_model_path(export_dir).is_file()


def ensure_int8_onnx(model_dir: Path, export_dir: Path) -> Path:
    """The int8 ONNX file of a sentence-transformers directory whose transformer sits at its root (as
    `e5_convert` writes it), kept under `export_dir`; exported on first use (~30-150 s).
    Raises `ModelError`."""
    if not is_exported(export_dir):
        _export(model_dir, export_dir)
    return int8_model_path(export_dir)


def _export(model_dir: Path, export_dir: Path) -> None:
    try:
        import onnxruntime  # noqa: F401  # fail early, before the slow export
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from onnxruntime.transformers.optimizer import optimize_model
        from transformers import AutoConfig, AutoModel
    except ImportError as exc:
        raise ModelError(f"int8 embedding needs onnxruntime and onnx: {exc}") from exc
    os.environ["HF_HUB_OFFLINE"] = "1"
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    try:
        config = AutoConfig.from_pretrained(str(model_dir), local_files_only=True)
        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager")
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load {model_dir} for the ONNX export: {exc}") from exc
    model.eval()

    class _Hidden(torch.nn.Module):  # keyword call: the positional order of forward() varies by version
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, return_dict=True)
            return out.last_hidden_state  # type: ignore[no-any-return]

    try:
        export_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".onnx.", suffix=".tmp", dir=export_dir))
    except OSError as exc:
        raise ModelError(f"cannot create {export_dir} for the ONNX export: {exc}") from exc
    try:
        ids = torch.ones((2, 16), dtype=torch.long)
        mask = torch.ones((2, 16), dtype=torch.long)
        exported, fused = tmp / "model.onnx", tmp / "model-fused.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(model),
                (ids, mask),
                str(exported),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "tokens"},
                    "attention_mask": {0: "batch", 1: "tokens"},
                    "last_hidden_state": {0: "batch", 1: "tokens"},
                },
                opset_version=17,
                dynamo=False,
            )
        del model
        optimized = optimize_model(
            str(exported),
            model_type="bert",
            num_heads=int(config.num_attention_heads),
            hidden_size=int(config.hidden_size),
        )
        optimized.save_model_to_file(str(fused))
        exported.unlink()
        logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # "pre-processing" advice
        quantize_dynamic(
            str(fused),
            str(tmp / INT8_FILE),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": 1},  # needed on the fused graph: some outputs lack a type
        )
        fused.unlink()
        (tmp / _MARKER).write_text(json.dumps({"export_version": EXPORT_VERSION}) + "\n", encoding="utf-8")
        for path in [tmp, *tmp.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        target = export_dir / ONNX_DIR
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except (OSError, RuntimeError, ValueError) as exc:
        raise ModelError(f"cannot export {model_dir} to ONNX int8: {exc}") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
