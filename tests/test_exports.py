"""One style of public names: every package states them as a module -> names map given to ``worldorder._exports.exports``."""

from __future__ import annotations

import ast
import importlib
import sys
import types
from pathlib import Path

import pytest

import worldorder
from worldorder._exports import exports

PACKAGE = Path(worldorder.__file__).parent
#: Packages without public names of their own (the command line, the data sources' internals, the web's routers).
UNLISTED = {"worldorder.cli", "worldorder.data", "worldorder.data.parsers", "worldorder.web.routes"}


def _packages() -> list[tuple[str, Path]]:
    return [(".".join(("worldorder", *p.parent.relative_to(PACKAGE).parts)), p) for p in sorted(PACKAGE.rglob("__init__.py"))]


@pytest.mark.parametrize(("name", "path"), [p for p in _packages() if p[0] not in UNLISTED], ids=lambda v: str(v))
def test_every_package_states_its_names_one_way(name, path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assigned = [node for node in tree.body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Tuple) and [getattr(e, "id", None) for e in t.elts] == ["__all__", "__getattr__", "__dir__"]
                        for t in node.targets)]
    assert len(assigned) == 1 and isinstance(assigned[0].value, ast.Call) and assigned[0].value.func.id == "exports", name
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ImportFrom)) and (
        getattr(node, "name", None) == "__getattr__" or (getattr(node, "module", "") or "").startswith(name + ".") and node.module != "worldorder._exports")], name
    module = importlib.import_module(name)
    assert module.__all__ == sorted(set(module.__all__) - {"VERSION", "__version__"}) or name == "worldorder"
    assert all(hasattr(module, public) for public in module.__all__)


def test_no_module_adds_to_its_all_later():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.AugAssign) and getattr(n.target, "id", None) == "__all__"], path


def test_names_resolve_on_first_use_and_a_shadowing_submodule_gives_the_function(monkeypatch):
    import worldorder.power.polarity
    import worldorder.power.transitions  # noqa: F401 - imported to check it does not shadow the function

    from worldorder.power import polarity, transitions
    from worldorder.power.labels import polarity as polarity_function
    from worldorder.power.transitions import transitions as transitions_function

    assert polarity is polarity_function and transitions is transitions_function
    namespace: dict = {}
    names, getattr_, dir_ = exports("pkg", {"worldorder.power.transitions": ["transitions"], "worldorder.seeds": ["DEFAULT_SEED"]}, namespace)
    assert names == ["DEFAULT_SEED", "transitions"] and namespace == {}
    assert getattr_("DEFAULT_SEED") == worldorder.DEFAULT_SEED and namespace == {"DEFAULT_SEED": worldorder.DEFAULT_SEED}
    assert dir_() == ["DEFAULT_SEED", "transitions"]
    with pytest.raises(AttributeError, match="'pkg' has no attribute 'nope'"):
        getattr_("nope")
    package, submodule = types.ModuleType("fakepkg"), types.ModuleType("fakepkg.trend")
    submodule.trend = lambda: "the function"
    package.trend = submodule  # what importing fakepkg.trend leaves on the package
    monkeypatch.setitem(sys.modules, "fakepkg", package)
    namespace = {"trend": submodule}
    exports("pkg", {"fakepkg": ["trend"]}, namespace, eager=True)
    assert namespace["trend"]() == "the function"


def test_no_submodule_hides_a_public_name_of_its_package():
    """After every submodule is imported, each package's public names are still what they name, not a module.

    (Importing ``pkg.name`` sets the attribute ``name`` on ``pkg``; a module named
    like one of its package's functions would replace the function.)
    """
    import pkgutil

    for name, _ in _packages():
        package = importlib.import_module(name)
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{name}.{info.name}")
        shadowed = [public for public in getattr(package, "__all__", []) if isinstance(getattr(package, public), types.ModuleType)]
        assert not shadowed, f"{name}: {shadowed} resolve to submodules"
