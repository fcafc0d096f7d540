"""The public API is the only door: the interfaces import only names that `worldorder` exports."""

from __future__ import annotations

import ast
import types
from pathlib import Path

import worldorder

PACKAGE = Path(worldorder.__file__).parent
INTERFACES = [PACKAGE / "cli", PACKAGE / "web", *sorted(PACKAGE.glob("report*"))]


def _imports(interface: Path):
    """(file, line, module, names) of every import of a worldorder module from ``interface``."""
    own = f"worldorder.{interface.stem}"
    files = sorted(interface.rglob("*.py")) if interface.is_dir() else [interface]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("worldorder"):
                if node.module != own and not node.module.startswith(own + "."):
                    yield path, node.lineno, node.module, [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("worldorder.") and not alias.name.startswith(own):
                        yield path, node.lineno, alias.name, []


def test_interfaces_import_only_top_level_public_names():
    public = set(worldorder.__all__)
    wrong = []
    for interface in INTERFACES:
        for path, line, module, names in _imports(interface):
            where = f"{path.relative_to(PACKAGE)}:{line}"
            if module != "worldorder":
                wrong.append(f"{where}: from {module} import {', '.join(names)}")
            else:
                wrong += [f"{where}: {name} is not in worldorder.__all__" for name in names if name not in public]
    assert not wrong, "interfaces must import `from worldorder import NAME` only:\n" + "\n".join(wrong)


def test_every_public_name_resolves_and_none_is_a_module():
    for name in worldorder.__all__:
        value = getattr(worldorder, name)
        assert not isinstance(value, types.ModuleType), name
    assert worldorder.__all__ == ["VERSION", "__version__", *sorted(set(worldorder.__all__) - {"VERSION", "__version__"})]


def test_domain_errors_share_one_base():
    errors = [getattr(worldorder, name) for name in worldorder.__all__ if name.endswith("Error")]
    assert len(errors) > 10
    for error in errors:
        assert issubclass(error, worldorder.WorldOrderError), error.__name__
