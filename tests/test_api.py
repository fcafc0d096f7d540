"""The public API: every name in ``worldorder.__all__`` resolves, and importing stays light."""

from __future__ import annotations

import subprocess
import sys

import worldorder


def test_every_public_name_resolves():
    for name in worldorder.__all__:
        assert getattr(worldorder, name) is not None, name


def test_import_does_not_load_pandas():
    code = "import sys, worldorder; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
