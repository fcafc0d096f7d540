"""Files that network pictures are written to: the suffix checked, the folder made."""

from __future__ import annotations

import os
from pathlib import Path

from worldorder.networks.layers import NetworkError


def output_file(path: str | os.PathLike, suffixes: tuple[str, ...], what: str) -> tuple[Path, str]:
    """``path`` as a Path and its lower-case suffix, refused unless among ``suffixes``; its folder is made."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise NetworkError(f"{path}: {what} must end in {', '.join(suffixes)}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path, suffix
